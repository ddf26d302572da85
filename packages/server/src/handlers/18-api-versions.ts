// ApiVersions (key 18), versions 0-3 (3 is flexible; the response header is always v0, KIP-511).
// Advertises exactly the registered handlers' ranges ∩ the protocol's schema ranges. v3's client
// software name and version are kept in the connection's Session.
// An unsupported ApiVersions version is answered by the dispatcher (v0 body, UNSUPPORTED_VERSION).
// Not implemented: supported/finalized features (empty: no feature flags on a single node).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';

type ApiVersionsRequest = RequestBodyFor<typeof ApiKey.ApiVersions>;

type ApiVersionsResponse = ResponseInputFor<typeof ApiKey.ApiVersions>;

export const apiVersionsHandler = defineHandler<ApiVersionsRequest, ApiVersionsResponse>({
  apiKey: ApiKey.ApiVersions,
  minVersion: 0,
  maxVersion: 3,
  async handle(req, ctx) {
    if (ctx.apiVersion >= 3) {
      // KIP-511: the client names its software once per connection, here.
      ctx.session.clientSoftwareName = req.clientSoftwareName;
      ctx.session.clientSoftwareVersion = req.clientSoftwareVersion;
    }
    return {
      errorCode: ErrorCode.NONE,
      apiKeys: ctx.broker.apiVersions.map((r) => ({ apiKey: r.apiKey, minVersion: r.minVersion, maxVersion: r.maxVersion })),
      throttleTimeMs: 0,
    };
  },
  errorResponse(_req, errorCode, ctx) {
    return {
      errorCode,
      apiKeys: ctx.broker.apiVersions.map((r) => ({ apiKey: r.apiKey, minVersion: r.minVersion, maxVersion: r.maxVersion })),
      throttleTimeMs: 0,
    };
  },
});
