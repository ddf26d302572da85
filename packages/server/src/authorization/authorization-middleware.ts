// The authorizer as a dispatcher middleware: each API key's rule (Kafka's per-API checks) runs
// before its handler. Installed only when authorizer.class.name names an authorizer, so a broker
// without one pays nothing. APIs a client needs before it can authenticate are open; an API with
// no rule (one added later) is refused unless the principal may ALTER the cluster — closed by default.
import { AclOperation as Op, type AclStore } from '@mq/acl';
import { ErrorCode } from '@mq/protocol';
import { Completion } from '../completion';
import type { RequestMiddleware } from '../request-middleware';
import { ADMIN_RULES } from './admin-rules';
import { DATA_RULES } from './data-rules';
import { GROUP_RULES } from './group-rules';
import { METADATA_RULES } from './metadata-rules';
import { type AclRule, RequestAuthz } from './request-authz';
import { SHARE_RULES } from './share-rules';
import { TXN_RULES } from './txn-rules';

/** SaslHandshake, ApiVersions, SaslAuthenticate: answered to anyone, as Kafka. */
const OPEN_APIS: ReadonlySet<number> = new Set([17, 18, 36]);

/** Every API key's rule. */
export const ACL_RULES: ReadonlyMap<number, AclRule> = new Map([...DATA_RULES, ...METADATA_RULES, ...GROUP_RULES, ...TXN_RULES, ...ADMIN_RULES, ...SHARE_RULES]);

export function authorizationMiddleware(acls: AclStore): RequestMiddleware {
  const authorizer = acls.authorizer;
  return (call, next) => {
    const apiKey = call.ctx.apiKey;
    if (OPEN_APIS.has(apiKey)) return next();
    const authz = new RequestAuthz(authorizer, call.ctx);
    const rule = ACL_RULES.get(apiKey);
    if (rule !== undefined) return rule(call, authz, next);
    return authz.cluster(Op.ALTER) ? next() : Completion.now(call.errorResponse(ErrorCode.CLUSTER_AUTHORIZATION_FAILED));
  };
}
