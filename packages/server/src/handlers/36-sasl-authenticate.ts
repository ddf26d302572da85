// SaslAuthenticate (key 36), versions 0-2 (2 flexible): one SASL token of the exchange SaslHandshake
// v1 started (sasl-exchange.ts). v1+ answers session_lifetime_ms (KIP-368, connections.max.reauth.ms).
// A failure answers SASL_AUTHENTICATION_FAILED after connection.failed.authentication.delay.ms and
// closes the connection; a token without a handshake gets ILLEGAL_SASL_STATE and closes it too.
import { ApiKey, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { saslAuthenticate } from '../sasl-exchange';

type SaslAuthenticateRequest = RequestBodyFor<typeof ApiKey.SaslAuthenticate>;
type SaslAuthenticateResponse = ResponseInputFor<typeof ApiKey.SaslAuthenticate>;

export const saslAuthenticateHandler = defineHandler<SaslAuthenticateRequest, SaslAuthenticateResponse>({
  apiKey: ApiKey.SaslAuthenticate,
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const r = await saslAuthenticate(ctx.session, Buffer.from(req.authBytes), ctx.broker, ctx.logger);
    if (r.close) ctx.closeConnection(`SaslAuthenticate failed (error ${r.errorCode})`);
    return { errorCode: r.errorCode, errorMessage: r.errorMessage, authBytes: r.authBytes, sessionLifetimeMs: r.sessionLifetimeMs };
  },
  errorResponse(_req, errorCode) {
    return { errorCode, errorMessage: null, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
  },
});
