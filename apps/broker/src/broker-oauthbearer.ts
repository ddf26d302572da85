// startBroker({ security: { oauthBearer } }): how SASL OAUTHBEARER checks tokens. `jwt` (the
// default once a JWKS is configured) verifies signed JWTs against the keys of
// sasl.oauthbearer.jwks.endpoint.url (Kafka's OAuthBearerValidatorCallbackHandler); `unsecured` is
// Kafka's default OAuthBearerUnsecuredValidatorCallbackHandler — alg "none" tokens anyone can mint,
// so the broker warns.
import { type JwtClaimRules, JwtValidator, type OAuthBearerValidator, UnsecuredJwsValidator } from '@mq/auth';
import type { Clock } from '@mq/timerwheel';
import type { Logger } from 'pino';
import { ConfigError } from './config-error';
import { JwksSource } from './jwks-source';

export type OAuthBearerValidatorKind = 'jwt' | 'unsecured';

export interface BrokerOAuthBearerOptions {
  /** mq.sasl.oauthbearer.validator; default `jwt` with a jwksEndpointUrl, else `unsecured`. */
  validator?: OAuthBearerValidatorKind;
  /** sasl.oauthbearer.jwks.endpoint.url: `file:///…/jwks.json` or `http(s)://…`. */
  jwksEndpointUrl?: string;
  /** sasl.oauthbearer.jwks.endpoint.refresh.ms; default 3,600,000 (0: never again). */
  jwksEndpointRefreshMs?: number;
  /** sasl.oauthbearer.expected.audience */
  expectedAudience?: readonly string[];
  /** sasl.oauthbearer.expected.issuer */
  expectedIssuer?: string;
  /** sasl.oauthbearer.sub.claim.name; default `sub`. */
  subClaimName?: string;
  /** sasl.oauthbearer.scope.claim.name; default `scope`. */
  scopeClaimName?: string;
  /** mq.sasl.oauthbearer.required.scope */
  requiredScope?: readonly string[];
  /** sasl.oauthbearer.clock.skew.seconds; default 30. */
  clockSkewSeconds?: number;
}

export interface OAuthBearerSetup {
  readonly validator: OAuthBearerValidator;
  readonly close: () => void;
}

export const DEFAULT_JWKS_REFRESH_MS = 3_600_000;
export const DEFAULT_CLOCK_SKEW_SECONDS = 30;

export async function oauthBearerSetup(o: BrokerOAuthBearerOptions | undefined, clock: Clock, logger: Logger): Promise<OAuthBearerSetup> {
  const kind = o?.validator ?? (o?.jwksEndpointUrl !== undefined ? 'jwt' : 'unsecured');
  const rules: JwtClaimRules = {
    principalClaimName: o?.subClaimName ?? 'sub',
    scopeClaimName: o?.scopeClaimName ?? 'scope',
    requiredScope: o?.requiredScope ?? [],
    expectedIssuer: o?.expectedIssuer,
    expectedAudience: o?.expectedAudience ?? [],
    clockSkewMs: (o?.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) * 1000,
    now: () => clock.now(),
  };
  if (kind === 'unsecured') {
    if (o?.jwksEndpointUrl !== undefined) throw new ConfigError('mq.sasl.oauthbearer.validator=unsecured ignores sasl.oauthbearer.jwks.endpoint.url: set one or the other');
    logger.warn('OAUTHBEARER accepts unsecured tokens (alg "none"): anyone can claim any principal; set sasl.oauthbearer.jwks.endpoint.url to verify signed JWTs');
    return { validator: new UnsecuredJwsValidator(rules), close: () => undefined };
  }
  if (o?.jwksEndpointUrl === undefined) throw new ConfigError('mq.sasl.oauthbearer.validator=jwt needs sasl.oauthbearer.jwks.endpoint.url (a file: URL or an http(s) JWKS endpoint)');
  const jwks = await JwksSource.open(o.jwksEndpointUrl, o.jwksEndpointRefreshMs ?? DEFAULT_JWKS_REFRESH_MS, clock, logger);
  return { validator: new JwtValidator({ ...rules, keys: () => jwks.keys(), onUnknownKid: (kid) => jwks.unknownKid(kid) }), close: () => jwks.close() };
}
