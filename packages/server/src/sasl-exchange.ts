// The broker's half of SASL on one connection, shared by SaslHandshake / SaslAuthenticate and the
// raw tokens that follow a v0 handshake: start an exchange, feed it tokens, and on success set the
// Session's principal (KIP-368: with a session lifetime, shortened by a token's expiry). A failure is logged with the claimed user
// (never a token: PLAIN's carries the password), answered after connection.failed.authentication.delay.ms,
// and closes the connection.
import { SaslAuthenticationError, UnsupportedSaslMechanismError } from '@mq/auth';
import { ErrorCode, kafkaErrorCode } from '@mq/protocol';
import type { Logger } from 'pino';
import type { BrokerServices } from './handler';
import { type Session, usesSasl } from './session';

export interface HandshakeResult {
  readonly errorCode: number;
  readonly mechanisms: string[];
  /** The connection must close after the answer (an unsupported mechanism, as Kafka). */
  readonly close: boolean;
}

export function saslHandshake(session: Session, mechanism: string, version: number, b: BrokerServices, logger: Logger): HandshakeResult {
  const auth = b.sasl;
  const mechanisms = auth === undefined || !usesSasl(session.securityProtocol) ? [] : [...auth.enabledMechanisms];
  // Kafka answers a handshake on a listener without SASL with ILLEGAL_SASL_STATE.
  if (auth === undefined || !usesSasl(session.securityProtocol)) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms, close: false };
  if (session.sasl !== null) return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms, close: true };
  if (session.authenticated) {
    // KIP-368 re-authentication: v1 only, the same mechanism as the first time.
    if (version === 0 || mechanism !== session.saslMechanism) {
      logger.warn({ principal: session.principal, mechanism }, 're-authentication must use SaslHandshake v1 and the same mechanism: closing connection');
      return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms, close: true };
    }
  }
  try {
    session.sasl = auth.create(mechanism);
  } catch (err) {
    if (!(err instanceof UnsupportedSaslMechanismError)) throw err;
    logger.warn({ mechanism, remote: `${session.remoteAddress}:${session.remotePort}` }, 'unsupported SASL mechanism: closing connection');
    return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms, close: true };
  }
  session.saslRawTokens = version === 0;
  return { errorCode: ErrorCode.NONE, mechanisms, close: false };
}

export interface AuthenticateResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly authBytes: Buffer;
  /** KIP-368: ms until the session must be re-authenticated; 0 = no limit. */
  readonly sessionLifetimeMs: bigint;
  /** Close after answering: a failed or out-of-order exchange. */
  readonly close: boolean;
}

/** One SASL token; failures resolve after the configured delay (a slower password guesser). */
export function saslAuthenticate(session: Session, token: Buffer, b: BrokerServices, logger: Logger): AuthenticateResult | Promise<AuthenticateResult> {
  const exchange = session.sasl;
  // As Kafka's KafkaApis on a listener without SASL: an error answer, the connection stays.
  if (!usesSasl(session.securityProtocol)) {
    return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, errorMessage: 'this listener does not use SASL', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n, close: false };
  }
  if (exchange === null) {
    return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, errorMessage: 'SaslAuthenticate without a SaslHandshake first', authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n, close: true };
  }
  let reply: Buffer;
  try {
    if (token.length > b.config.saslServerMaxReceiveSize) {
      throw new SaslAuthenticationError(`SASL token of ${token.length} bytes is larger than sasl.server.max.receive.size (${b.config.saslServerMaxReceiveSize})`);
    }
    reply = exchange.evaluate(token);
  } catch (err) {
    return failed(session, exchange.mechanism, exchange.claimedUser, err, b, logger);
  }
  // OAUTHBEARER answers a refused token with its JSON error challenge and fails on the client's \x01
  // (RFC 7628); SaslAuthenticate can say so now, with the challenge, and every client sees the error.
  if (exchange.failure !== undefined && !session.saslRawTokens) return failed(session, exchange.mechanism, exchange.claimedUser, exchange.failure, b, logger, reply);
  if (!exchange.complete) return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: reply, sessionLifetimeMs: 0n, close: false };
  const principal = `User:${exchange.authorizationId!}`;
  session.sasl = null;
  session.saslRawTokens = false;
  if (session.authenticated && principal !== session.principal) {
    // KIP-368: a re-authentication may not change who the connection is.
    return failed(session, exchange.mechanism, exchange.claimedUser, new SaslAuthenticationError('Cannot change principals during re-authentication'), b, logger);
  }
  const reauth = session.authenticated;
  if (!reauth && b.tenants !== undefined) {
    // The tenant's maxConnections counts a connection once its principal is known: here.
    const tenant = b.tenants.acquireConnection(principal);
    if (tenant === false) {
      return failed(session, exchange.mechanism, exchange.claimedUser, new SaslAuthenticationError(`tenant ${b.tenants.of(principal)!.name} is at its connection limit (maxConnections ${b.tenants.of(principal)!.maxConnections})`), b, logger);
    }
    session.tenant = tenant;
  }
  session.principal = principal;
  session.saslMechanism = exchange.mechanism;
  session.authenticated = true;
  const lifetime = sessionLifetimeMs(b.config.connectionsMaxReauthMs, exchange.credentialExpiresAtMs, b.clock.now());
  session.sessionExpiresAtMs = lifetime === null ? null : b.clock.monotonic() + lifetime;
  logger.info({ principal, mechanism: exchange.mechanism, listener: session.listenerName, reauthentication: reauth }, reauth ? 're-authenticated' : 'authenticated');
  return { errorCode: ErrorCode.NONE, errorMessage: null, authBytes: reply, sessionLifetimeMs: BigInt(lifetime ?? 0), close: false };
}

/**
 * KIP-368 as Kafka's SaslServerAuthenticator computes it: connections.max.reauth.ms, cut short by
 * the credential's own expiry (an OAUTHBEARER token's exp) even when reauth is off; null = forever.
 */
function sessionLifetimeMs(maxReauthMs: number, credentialExpiresAtMs: number | undefined, nowMs: number): number | null {
  const untilExpiry = credentialExpiresAtMs === undefined ? undefined : Math.max(0, credentialExpiresAtMs - nowMs);
  if (maxReauthMs <= 0) return untilExpiry ?? null;
  return untilExpiry === undefined ? maxReauthMs : Math.min(maxReauthMs, untilExpiry);
}

function failed(session: Session, mechanism: string, user: string | undefined, err: unknown, b: BrokerServices, logger: Logger, authBytes: Buffer = Buffer.alloc(0)): Promise<AuthenticateResult> {
  session.sasl = null;
  const errorCode = err instanceof SaslAuthenticationError ? ErrorCode.SASL_AUTHENTICATION_FAILED : kafkaErrorCode(err);
  const errorMessage = err instanceof SaslAuthenticationError ? err.message : 'Authentication failed';
  logger.warn(
    { user: user ?? null, mechanism, listener: session.listenerName, remote: `${session.remoteAddress}:${session.remotePort}`, reason: errorMessage },
    'failed authentication: closing connection',
  );
  const result: AuthenticateResult = { errorCode, errorMessage, authBytes, sessionLifetimeMs: 0n, close: true };
  const delay = b.config.connectionFailedAuthenticationDelayMs;
  if (delay <= 0) return Promise.resolve(result);
  return new Promise((resolve) => b.clock.schedule(delay, () => resolve(result)));
}
