// DescribeAcls (key 29), versions 0-3 (v1+: pattern types; flexible 2+): the bindings matching the
// filter, grouped by resource pattern. DESCRIBE on CLUSTER is checked by the authorization
// middleware. Without an authorizer: SECURITY_DISABLED, as Kafka. v0 knows only LITERAL patterns,
// so a v0 answer leaves PREFIXED bindings out.
import { type AclBinding, PatternType, describeBinding } from '@mq/acl';
import { ApiKey, ErrorCode, kafkaErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { NO_AUTHORIZER, aclEntryOf, aclFilterOf } from './acl-filter-of';

type DescribeAclsRequest = RequestBodyFor<typeof ApiKey.DescribeAcls>;
type DescribeAclsResponse = ResponseInputFor<typeof ApiKey.DescribeAcls>;
type AclDescription = ReturnType<typeof aclEntryOf>;
interface Resource {
  resourceType: number;
  resourceName: string;
  patternType: number;
  acls: AclDescription[];
}

export const describeAclsHandler = defineHandler<DescribeAclsRequest, DescribeAclsResponse>({
  apiKey: ApiKey.DescribeAcls,
  minVersion: 0,
  maxVersion: 3,
  async handle(req, ctx) {
    const acls = ctx.broker.acls;
    if (acls === undefined) return { throttleTimeMs: 0, ...NO_AUTHORIZER, resources: [] };
    let bindings: AclBinding[];
    try {
      bindings = acls.describe(aclFilterOf(req));
    } catch (err) {
      return this.errorResponse(req, kafkaErrorCode(err), ctx);
    }
    const byPattern = new Map<string, Resource>();
    for (const b of bindings) {
      if (ctx.apiVersion === 0 && b.patternType !== PatternType.LITERAL) continue;
      const key = `${b.resourceType}\u0000${b.patternType}\u0000${b.resourceName}`;
      let r = byPattern.get(key);
      if (r === undefined) byPattern.set(key, (r = { resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType, acls: [] }));
      r.acls.push(aclEntryOf(b));
      ctx.logger.trace({ binding: describeBinding(b) }, 'described ACL');
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, resources: [...byPattern.values()] };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, resources: [] };
  },
});
