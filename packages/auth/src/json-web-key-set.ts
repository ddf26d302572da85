// A JSON Web Key Set (RFC 7517 §5) as the keys that verify signed OAUTHBEARER tokens: RSA and EC
// public keys and symmetric (`oct`) keys, each with its kid and, when the set says so, its alg.
// Keys for encryption (`use: "enc"`) and of types this package does not verify with are skipped.
import { type KeyObject, createPublicKey, createSecretKey } from 'node:crypto';

export type JwkKeyType = 'RSA' | 'EC' | 'oct';

export interface VerificationKey {
  readonly kid: string | undefined;
  readonly kty: JwkKeyType;
  /** The one algorithm the set allows this key for, when it names one. */
  readonly alg: string | undefined;
  /** EC keys: the curve (P-256, P-384, P-521). */
  readonly crv: string | undefined;
  readonly key: KeyObject;
}

/** A JWKS document that cannot be used: not JSON, no `keys` array, or a key node:crypto refuses. */
export class JsonWebKeySetError extends Error {
  override readonly name = 'JsonWebKeySetError';
}

export class JsonWebKeySet {
  static readonly EMPTY = new JsonWebKeySet([]);

  constructor(readonly keys: readonly VerificationKey[]) {}

  /** From a JWKS document's text; `source` names it in errors (a file or a URL). */
  static parse(text: string, source: string): JsonWebKeySet {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new JsonWebKeySetError(`${source}: not JSON`);
    }
    const list = (doc as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw new JsonWebKeySetError(`${source}: not a JSON Web Key Set (no "keys" array)`);
    const keys: VerificationKey[] = [];
    for (const [i, jwk] of list.entries()) {
      const k = verificationKey(jwk as Record<string, unknown>, `${source}: key ${i}`);
      if (k !== undefined) keys.push(k);
    }
    return new JsonWebKeySet(keys);
  }

  /** The keys with this kid, or every key when the token names none. */
  candidates(kid: string | undefined): VerificationKey[] {
    return kid === undefined ? [...this.keys] : this.keys.filter((k) => k.kid === kid);
  }

  hasKid(kid: string): boolean {
    return this.keys.some((k) => k.kid === kid);
  }
}

function verificationKey(jwk: Record<string, unknown>, where: string): VerificationKey | undefined {
  if (typeof jwk !== 'object' || jwk === null) throw new JsonWebKeySetError(`${where}: not an object`);
  if (jwk.use !== undefined && jwk.use !== 'sig') return undefined;
  const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  const alg = typeof jwk.alg === 'string' ? jwk.alg : undefined;
  try {
    if (jwk.kty === 'oct') {
      if (typeof jwk.k !== 'string' || jwk.k === '') throw new JsonWebKeySetError(`${where}: an oct key needs "k"`);
      return { kid, kty: 'oct', alg, crv: undefined, key: createSecretKey(Buffer.from(jwk.k, 'base64url')) };
    }
    if (jwk.kty === 'RSA' || jwk.kty === 'EC') {
      // Only the public parts: a set that carries private members does not make the broker a signer.
      const pub = jwk.kty === 'RSA' ? { kty: 'RSA', n: jwk.n, e: jwk.e } : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
      return { kid, kty: jwk.kty, alg, crv: typeof jwk.crv === 'string' ? jwk.crv : undefined, key: createPublicKey({ key: pub as never, format: 'jwk' }) };
    }
  } catch (err) {
    if (err instanceof JsonWebKeySetError) throw err;
    throw new JsonWebKeySetError(`${where}: ${(err as Error).message}`, { cause: err });
  }
  return undefined;
}
