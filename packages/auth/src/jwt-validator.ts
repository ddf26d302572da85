// Signed JWTs (Kafka's OAuthBearerValidatorCallbackHandler, KIP-768): the JWS signature checked
// with node:crypto against a key of the configured JSON Web Key Set — HS256/384/512 with `oct` keys,
// RS256/384/512 and PS256/384/512 with RSA keys, ES256/384/512 with EC keys of the matching curve
// (an algorithm only ever meets its own key type, so a public key never serves as an HMAC secret) —
// then the shared claim checks. `alg: none` is refused.
import { constants, createHmac, timingSafeEqual, verify } from 'node:crypto';
import type { JsonWebKeySet, JwkKeyType, VerificationKey } from './json-web-key-set';
import { parseCompactJws } from './jws';
import { type JwtClaimRules, checkClaims } from './jwt-claims';
import { type OAuthBearerToken, OAuthBearerValidationError, type OAuthBearerValidator } from './oauthbearer-token';

interface Algorithm {
  readonly kty: JwkKeyType;
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  readonly crv?: string;
  readonly pss?: boolean;
}

const ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  HS256: { kty: 'oct', hash: 'sha256' },
  HS384: { kty: 'oct', hash: 'sha384' },
  HS512: { kty: 'oct', hash: 'sha512' },
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256', pss: true },
  PS384: { kty: 'RSA', hash: 'sha384', pss: true },
  PS512: { kty: 'RSA', hash: 'sha512', pss: true },
  ES256: { kty: 'EC', hash: 'sha256', crv: 'P-256' },
  ES384: { kty: 'EC', hash: 'sha384', crv: 'P-384' },
  ES512: { kty: 'EC', hash: 'sha512', crv: 'P-521' },
};

export const JWT_ALGORITHMS: readonly string[] = Object.keys(ALGORITHMS);

export interface JwtValidatorOptions extends JwtClaimRules {
  /** The keys now (a JWKS that is refreshed swaps what this returns). */
  readonly keys: () => JsonWebKeySet;
  /** Told when a token names a kid the set does not have (a rotated key: time to fetch the set again). */
  readonly onUnknownKid?: (kid: string) => void;
}

export class JwtValidator implements OAuthBearerValidator {
  constructor(private readonly opts: JwtValidatorOptions) {}

  validate(token: string): OAuthBearerToken {
    const jws = parseCompactJws(token);
    const algName = jws.header.alg;
    const alg = typeof algName === 'string' ? ALGORITHMS[algName] : undefined;
    if (alg === undefined) throw new OAuthBearerValidationError(`the token's alg ${JSON.stringify(algName ?? null)} is not one of ${JWT_ALGORITHMS.join(', ')}`);
    const kid = typeof jws.header.kid === 'string' ? jws.header.kid : undefined;
    const set = this.opts.keys();
    if (kid !== undefined && !set.hasKid(kid)) {
      this.opts.onUnknownKid?.(kid);
      throw new OAuthBearerValidationError(`no key with kid ${JSON.stringify(kid)} in the JSON Web Key Set`);
    }
    const keys = set.candidates(kid).filter((k) => fits(k, algName as string, alg));
    if (keys.length === 0) throw new OAuthBearerValidationError(`no ${alg.kty} key${kid === undefined ? '' : ` with kid ${JSON.stringify(kid)}`} for ${algName as string} in the JSON Web Key Set`);
    if (!keys.some((k) => signatureMatches(k, alg, jws.signingInput, jws.signature))) throw new OAuthBearerValidationError('the token’s signature does not verify');
    return checkClaims(jws.claims, this.opts);
  }
}

function fits(k: VerificationKey, algName: string, alg: Algorithm): boolean {
  return k.kty === alg.kty && (k.alg === undefined || k.alg === algName) && (alg.crv === undefined || k.crv === alg.crv);
}

function signatureMatches(k: VerificationKey, alg: Algorithm, data: Buffer, signature: Buffer): boolean {
  if (alg.kty === 'oct') {
    const mac = createHmac(alg.hash, k.key).update(data).digest();
    return mac.length === signature.length && timingSafeEqual(mac, signature);
  }
  try {
    if (alg.kty === 'EC') return verify(alg.hash, data, { key: k.key, dsaEncoding: 'ieee-p1363' }, signature);
    if (alg.pss === true) return verify(alg.hash, data, { key: k.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
    return verify(alg.hash, data, k.key, signature);
  } catch {
    // A signature of the wrong length for the key: not a match, not a crash.
    return false;
  }
}
