// CreateAcls (key 30), versions 0-3 (v1+: the resource pattern type, v0 creates LITERAL; flexible
// 2+): one result per creation, in order; a bad binding gets INVALID_REQUEST with Kafka's message
// and does not stop the others. ALTER on CLUSTER is checked by the authorization middleware.
// Without an authorizer: SECURITY_DISABLED, as Kafka.
import type { AclBinding } from '@mq/acl';
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { NO_AUTHORIZER } from './acl-filter-of';

type CreateAclsRequest = RequestBodyFor<typeof ApiKey.CreateAcls>;
type CreateAclsResponse = ResponseInputFor<typeof ApiKey.CreateAcls>;

export const createAclsHandler = defineHandler<CreateAclsRequest, CreateAclsResponse>({
  apiKey: ApiKey.CreateAcls,
  minVersion: 0,
  maxVersion: 3,
  async handle(req, ctx) {
    const acls = ctx.broker.acls;
    if (acls === undefined) return { throttleTimeMs: 0, results: req.creations.map(() => NO_AUTHORIZER) };
    // Codes are checked by validateBinding (in AclStore.create): the casts only name the fields.
    const bindings = req.creations.map(
      (c): AclBinding => ({
        resourceType: c.resourceType as AclBinding['resourceType'],
        resourceName: c.resourceName,
        patternType: c.resourcePatternType as AclBinding['patternType'],
        principal: c.principal,
        host: c.host,
        operation: c.operation as AclBinding['operation'],
        permissionType: c.permissionType as AclBinding['permissionType'],
      }),
    );
    const results = await acls.create(bindings);
    const created = results.filter((r) => r === undefined).length;
    if (created > 0) ctx.logger.info({ principal: ctx.session.principal, created }, 'ACLs created');
    return {
      throttleTimeMs: 0,
      results: results.map((r) => (r === undefined ? { errorCode: ErrorCode.NONE, errorMessage: null } : { errorCode: r.errorCode, errorMessage: r.message })),
    };
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, results: req.creations.map(() => ({ errorCode, errorMessage: null })) };
  },
});
