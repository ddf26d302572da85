// SaslHandshake (key 17), versions 0-1: picks the connection's SASL mechanism (sasl-exchange.ts).
// v1 is followed by SaslAuthenticate requests; v0 by raw SASL tokens without a Kafka header (the
// Connection hands those to the exchange). On a listener without SASL: ILLEGAL_SASL_STATE, as Kafka.
// An unsupported mechanism is answered with the enabled ones, then the connection closes.
import { ApiKey, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { saslHandshake } from '../sasl-exchange';

type SaslHandshakeRequest = RequestBodyFor<typeof ApiKey.SaslHandshake>;
type SaslHandshakeResponse = ResponseInputFor<typeof ApiKey.SaslHandshake>;

export const saslHandshakeHandler = defineHandler<SaslHandshakeRequest, SaslHandshakeResponse>({
  apiKey: ApiKey.SaslHandshake,
  minVersion: 0,
  maxVersion: 1,
  async handle(req, ctx) {
    const r = saslHandshake(ctx.session, req.mechanism, ctx.apiVersion, ctx.broker, ctx.logger);
    if (r.close) ctx.closeConnection(`SaslHandshake refused (error ${r.errorCode})`);
    return { errorCode: r.errorCode, mechanisms: r.mechanisms };
  },
  errorResponse(_req, errorCode) {
    return { errorCode, mechanisms: [] };
  },
});
