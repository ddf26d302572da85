// One SASL authentication on an open connection (Kafka's SaslClientAuthenticator): SaslHandshake v1
// names the mechanism, then SaslAuthenticate (v2 when the broker has it) carries the tokens until
// the mechanism is done and has verified the server (SCRAM's server signature). Refusals are the one
// table's typed errors — UNSUPPORTED_SASL_MECHANISM, ILLEGAL_SASL_STATE, SASL_AUTHENTICATION_FAILED —
// with the broker's message; no message carries a password or a token.
import {
  ApiKey,
  ErrorCode,
  IllegalSaslStateError,
  KafkaError,
  type RequestInputFor,
  type ResponseBodyFor,
  SaslAuthenticationFailedError,
  UnsupportedSaslMechanismError,
  saslClient,
} from '@mq/protocol';
import { MqClientError } from '../errors';
import { type SaslOptions, saslCredentials } from './sasl-options';

/** What the exchange needs from a connection: requests at negotiated versions, and its address for messages. */
export interface SaslTransport {
  readonly host: string;
  readonly port: number;
  request<K extends number>(apiKey: K, body: RequestInputFor<K>): Promise<ResponseBodyFor<K>>;
}

/** Authenticates; resolves the session lifetime the broker granted (KIP-368), 0 for none. */
export async function authenticate(conn: SaslTransport, sasl: SaslOptions): Promise<number> {
  const where = `${conn.host}:${conn.port}`;
  let credentials: Awaited<ReturnType<typeof saslCredentials>>;
  try {
    credentials = await saslCredentials(sasl);
  } catch (err) {
    if (err instanceof KafkaError || err instanceof MqClientError) throw err;
    throw new SaslAuthenticationFailedError(`SASL OAUTHBEARER: the token provider failed: ${(err as Error).message}`, { cause: err });
  }
  const exchange = saslClient(credentials);
  const hs = await conn.request(ApiKey.SaslHandshake, { mechanism: exchange.mechanism });
  if (hs.errorCode === ErrorCode.UNSUPPORTED_SASL_MECHANISM) {
    throw new UnsupportedSaslMechanismError(`broker ${where} does not enable SASL ${exchange.mechanism} (it enables ${hs.mechanisms.join(', ') || 'none'})`);
  }
  if (hs.errorCode === ErrorCode.ILLEGAL_SASL_STATE) {
    throw new IllegalSaslStateError(`broker ${where} refused SaslHandshake: ${hs.mechanisms.length === 0 ? 'this listener does not use SASL' : 'out of order'}`);
  }
  if (hs.errorCode !== ErrorCode.NONE) throw new KafkaError(hs.errorCode, `SaslHandshake to ${where} failed`);
  let token: Buffer | undefined = exchange.initial();
  let lifetimeMs = 0;
  while (token !== undefined) {
    const res = await conn.request(ApiKey.SaslAuthenticate, { authBytes: token });
    if (res.errorCode !== ErrorCode.NONE) {
      const message = `SASL ${exchange.mechanism} authentication to ${where} failed: ${res.errorMessage ?? new KafkaError(res.errorCode).message}`;
      if (res.errorCode === ErrorCode.SASL_AUTHENTICATION_FAILED) throw new SaslAuthenticationFailedError(message);
      throw new KafkaError(res.errorCode, message);
    }
    lifetimeMs = Number(res.sessionLifetimeMs ?? 0n);
    try {
      token = exchange.evaluate(Buffer.from(res.authBytes));
    } catch (err) {
      if (err instanceof KafkaError) throw new KafkaError(err.errorCode, `SASL ${exchange.mechanism} with ${where}: ${err.message}`);
      throw err;
    }
  }
  return lifetimeMs;
}

/** KIP-368 as Kafka's client does it: re-authenticate at a random 85–95 % of the session lifetime. */
export function reauthenticationDelayMs(lifetimeMs: number, random: () => number = Math.random): number {
  return Math.floor(lifetimeMs * (0.85 + 0.1 * random()));
}
