// DeleteAcls (key 31), versions 0-3 (v1+: pattern types; flexible 2+): removes every binding each
// filter matches (one commit for the request) and lists them per filter; a filter with an unknown
// element gets INVALID_REQUEST. ALTER on CLUSTER is checked by the authorization middleware.
// Without an authorizer: SECURITY_DISABLED, as Kafka.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { NO_AUTHORIZER, aclEntryOf, aclFilterOf } from './acl-filter-of';

type DeleteAclsRequest = RequestBodyFor<typeof ApiKey.DeleteAcls>;
type DeleteAclsResponse = ResponseInputFor<typeof ApiKey.DeleteAcls>;

export const deleteAclsHandler = defineHandler<DeleteAclsRequest, DeleteAclsResponse>({
  apiKey: ApiKey.DeleteAcls,
  minVersion: 0,
  maxVersion: 3,
  async handle(req, ctx) {
    const acls = ctx.broker.acls;
    if (acls === undefined) return { throttleTimeMs: 0, filterResults: req.filters.map(() => ({ ...NO_AUTHORIZER, matchingAcls: [] })) };
    const results = await acls.delete(req.filters.map(aclFilterOf));
    const deleted = results.reduce((n, r) => n + ('deleted' in r ? r.deleted.length : 0), 0);
    if (deleted > 0) ctx.logger.info({ principal: ctx.session.principal, deleted }, 'ACLs deleted');
    return {
      throttleTimeMs: 0,
      filterResults: results.map((r) =>
        'error' in r
          ? { errorCode: r.error.errorCode, errorMessage: r.error.message, matchingAcls: [] }
          : {
              errorCode: ErrorCode.NONE,
              errorMessage: null,
              matchingAcls: r.deleted.map((b) => ({
                errorCode: ErrorCode.NONE,
                errorMessage: null,
                resourceType: b.resourceType,
                resourceName: b.resourceName,
                patternType: b.patternType,
                ...aclEntryOf(b),
              })),
            },
      ),
    };
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, filterResults: req.filters.map(() => ({ errorCode, errorMessage: null, matchingAcls: [] })) };
  },
});
