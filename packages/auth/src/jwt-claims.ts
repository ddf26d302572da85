// The claim checks every OAUTHBEARER validator shares (Kafka's OAuthBearerValidationUtils and the
// secured validator's jose4j checks): `exp` required and not past, `nbf` / `iat` not in the future
// (each within the allowed clock skew), `iss` and `aud` when expected, the principal claim a
// non-empty string, and every required scope present.
import { OAuthBearerValidationError, type OAuthBearerToken } from './oauthbearer-token';

export interface JwtClaimRules {
  /** The claim the principal's name is taken from (sasl.oauthbearer.sub.claim.name; Kafka: `sub`). */
  readonly principalClaimName?: string;
  /** The claim holding the scope (sasl.oauthbearer.scope.claim.name; Kafka: `scope`). */
  readonly scopeClaimName?: string;
  /** Scopes a token must carry (Kafka's unsecuredValidatorRequiredScope); none by default. */
  readonly requiredScope?: readonly string[];
  /** sasl.oauthbearer.expected.issuer: `iss` must equal it. */
  readonly expectedIssuer?: string | undefined;
  /** sasl.oauthbearer.expected.audience: `aud` must name one of these. */
  readonly expectedAudience?: readonly string[];
  /** How far `exp`, `nbf` and `iat` may be off (sasl.oauthbearer.clock.skew.seconds × 1000). */
  readonly clockSkewMs?: number;
  /** Wall-clock ms since the epoch. */
  readonly now?: () => number;
}

export function checkClaims(claims: Readonly<Record<string, unknown>>, rules: JwtClaimRules): OAuthBearerToken {
  const now = (rules.now ?? Date.now)();
  const skew = rules.clockSkewMs ?? 0;
  const exp = numericDate(claims, 'exp', true)!;
  if (exp + skew <= now) throw new OAuthBearerValidationError(`the token expired at ${iso(exp)}`);
  const nbf = numericDate(claims, 'nbf', false);
  if (nbf !== undefined && nbf - skew > now) throw new OAuthBearerValidationError(`the token is not valid before ${iso(nbf)}`);
  const iat = numericDate(claims, 'iat', false);
  if (iat !== undefined && iat - skew > now) throw new OAuthBearerValidationError(`the token was issued in the future (iat ${iso(iat)})`);
  if (rules.expectedIssuer !== undefined && claims.iss !== rules.expectedIssuer) {
    throw new OAuthBearerValidationError(`the token's issuer ${JSON.stringify(claims.iss ?? null)} is not the expected ${JSON.stringify(rules.expectedIssuer)}`);
  }
  const audience = rules.expectedAudience ?? [];
  if (audience.length > 0) {
    const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    if (!aud.some((a) => typeof a === 'string' && audience.includes(a))) {
      throw new OAuthBearerValidationError(`the token's audience ${JSON.stringify(claims.aud ?? null)} names none of ${audience.join(', ')}`);
    }
  }
  const principalClaim = rules.principalClaimName ?? 'sub';
  const principal = claims[principalClaim];
  if (typeof principal !== 'string' || principal.trim() === '') throw new OAuthBearerValidationError(`the token has no principal: claim ${principalClaim} is missing or not a non-empty string`);
  const scope = scopeOf(claims, rules.scopeClaimName ?? 'scope');
  const missing = (rules.requiredScope ?? []).filter((s) => !scope.includes(s));
  if (missing.length > 0) {
    throw new OAuthBearerValidationError(`the token's scope lacks ${missing.join(' ')}`, 'insufficient_scope', (rules.requiredScope ?? []).join(' '));
  }
  return { principalName: principal, scope, lifetimeMs: exp };
}

/** A NumericDate claim (RFC 7519 §2: seconds since the epoch, fractions allowed) in ms. */
function numericDate(claims: Readonly<Record<string, unknown>>, name: string, required: boolean): number | undefined {
  const v = claims[name];
  if (v === undefined) {
    if (required) throw new OAuthBearerValidationError(`the token has no ${name} claim`);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new OAuthBearerValidationError(`the token's ${name} claim is not a number of seconds`);
  return v * 1000;
}

function scopeOf(claims: Readonly<Record<string, unknown>>, name: string): string[] {
  const v = claims[name];
  if (v === undefined) return [];
  if (typeof v === 'string') return v.split(' ').filter((s) => s !== '');
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw new OAuthBearerValidationError(`the token's ${name} claim is neither a string nor an array of strings`);
}

function iso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}
