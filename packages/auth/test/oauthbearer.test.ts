// OAUTHBEARER: the RFC 7628 client message, Kafka's unsecured-JWS validator semantics, signed JWTs
// (HS256 / RS256 / ES256 made with node:crypto) against a JSON Web Key Set, the claim checks, and the
// server's JSON error challenge followed by the failure on the client's \x01.
import { type KeyObject, createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  JsonWebKeySet,
  JwtValidator,
  OAuthBearerValidationError,
  SaslAuthenticationError,
  SaslAuthenticator,
  UnsecuredJwsValidator,
  formatOAuthBearerClientResponse,
  parseOAuthBearerClientResponse,
} from '../src/index';

const NOW = 1_800_000_000_000;
const now = () => NOW;
const b64 = (v: object | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');
const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'alice', exp: NOW / 1000 + 600, iat: NOW / 1000 - 5, ...extra });
const unsecured = (c: object) => `${b64({ alg: 'none' })}.${b64(c)}.`;

function signed(alg: string, key: KeyObject | Buffer, c: object, kid?: string): string {
  const input = `${b64({ alg, typ: 'JWT', ...(kid === undefined ? {} : { kid }) })}.${b64(c)}`;
  const data = Buffer.from(input);
  let sig: Buffer;
  if (alg === 'HS256') sig = createHmac('sha256', key as Buffer).update(data).digest();
  else if (alg === 'ES256') sig = sign('sha256', data, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  else sig = sign('sha256', data, key as KeyObject);
  return `${input}.${b64(sig)}`;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const secret = randomBytes(32);
const jwks = JsonWebKeySet.parse(
  JSON.stringify({
    keys: [
      { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1' },
      { kty: 'oct', k: secret.toString('base64url'), kid: 'hs-1' },
      { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'enc-1', use: 'enc' },
    ],
  }),
  'test jwks',
);

function refusal(fn: () => unknown): OAuthBearerValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OAuthBearerValidationError);
    return err as OAuthBearerValidationError;
  }
  throw new Error('expected a refusal');
}

describe('the client message', () => {
  it('parses the token, the authorization id and the extensions', () => {
    const m = parseOAuthBearerClientResponse(Buffer.from('n,a=al=2Cice,\u0001auth=Bearer abc.def.\u0001traceId=42\u0001\u0001'));
    expect(m).toEqual({ authorizationId: 'al,ice', token: 'abc.def.', extensions: new Map([['traceId', '42']]) });
    expect(parseOAuthBearerClientResponse(formatOAuthBearerClientResponse('t.u.v')).token).toBe('t.u.v');
  });

  it('refuses malformed messages with SASL_AUTHENTICATION_FAILED', () => {
    for (const bad of ['', 'y,,\u0001auth=Bearer x\u0001\u0001', 'n,,auth=Bearer x\u0001\u0001', 'n,,\u0001auth=Basic x\u0001\u0001', 'n,,\u0001k=v\u0001\u0001', 'n,,\u0001auth=Bearer x\u0001', 'n,b=x,\u0001auth=Bearer x\u0001\u0001']) {
      expect(() => parseOAuthBearerClientResponse(Buffer.from(bad)), JSON.stringify(bad)).toThrow(SaslAuthenticationError);
    }
  });
});

describe('UnsecuredJwsValidator (Kafka’s unsecured validator)', () => {
  const v = new UnsecuredJwsValidator({ now, requiredScope: ['kafka'] });

  it('accepts alg none with the principal from sub and the lifetime from exp', () => {
    expect(v.validate(unsecured(claims({ scope: 'kafka other' })))).toEqual({ principalName: 'alice', scope: ['kafka', 'other'], lifetimeMs: NOW + 600_000 });
    expect(v.validate(unsecured(claims({ scope: ['kafka'] }))).scope).toEqual(['kafka']);
  });

  it('refuses signed tokens, a missing exp or sub, an expired or future token, a missing scope', () => {
    expect(refusal(() => v.validate(signed('HS256', secret, claims({ scope: 'kafka' })))).reason).toMatch(/alg is "HS256"/);
    expect(refusal(() => v.validate(unsecured({ sub: 'alice', scope: 'kafka' }))).reason).toBe('the token has no exp claim');
    expect(refusal(() => v.validate(unsecured(claims({ sub: '', scope: 'kafka' })))).reason).toMatch(/no principal/);
    expect(refusal(() => v.validate(unsecured(claims({ exp: NOW / 1000 - 1, scope: 'kafka' })))).reason).toMatch(/expired at 2027/);
    expect(refusal(() => v.validate(unsecured(claims({ iat: NOW / 1000 + 60, scope: 'kafka' })))).reason).toMatch(/issued in the future/);
    const scope = refusal(() => v.validate(unsecured(claims({ scope: 'other' }))));
    expect(scope.challenge()).toBe('{"status":"insufficient_scope","scope":"kafka"}');
    expect(refusal(() => v.validate('not-a-jwt')).challenge()).toBe('{"status":"invalid_token"}');
    expect(refusal(() => v.validate(`${b64({ alg: 'none' })}.bm90IGpzb24.`)).reason).toMatch(/payload is not JSON/);
  });
});

describe('JwtValidator (signed JWTs against a JWKS)', () => {
  const unknown: string[] = [];
  const v = new JwtValidator({ keys: () => jwks, now, clockSkewMs: 30_000, expectedIssuer: 'https://idp.test', expectedAudience: ['mq'], onUnknownKid: (k) => unknown.push(k) });
  const good = claims({ iss: 'https://idp.test', aud: ['other', 'mq'] });

  it('verifies HS256, RS256 and ES256 with the key of the token’s kid, or any fitting key without one', () => {
    expect(v.validate(signed('RS256', rsa.privateKey, good, 'rsa-1')).principalName).toBe('alice');
    expect(v.validate(signed('ES256', ec.privateKey, good, 'ec-1')).principalName).toBe('alice');
    expect(v.validate(signed('HS256', secret, good, 'hs-1')).principalName).toBe('alice');
    expect(v.validate(signed('RS256', rsa.privateKey, good)).lifetimeMs).toBe(NOW + 600_000);
  });

  it('refuses a wrong signature, a wrong key type, alg none, an unknown kid, a bad iss / aud / nbf', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(refusal(() => v.validate(signed('RS256', other.privateKey, good, 'rsa-1'))).reason).toBe('the token’s signature does not verify');
    // An RS256 token whose "HMAC" uses the RSA public key's bytes: the oct key is never used for RS256.
    expect(refusal(() => v.validate(signed('HS256', Buffer.from(rsa.publicKey.export({ format: 'pem', type: 'spki' })), good, 'rsa-1'))).reason).toMatch(/no oct key/);
    expect(refusal(() => v.validate(unsecured(good))).reason).toMatch(/alg "none" is not one of/);
    expect(refusal(() => v.validate(signed('RS256', rsa.privateKey, good, 'enc-1'))).reason).toMatch(/no key with kid "enc-1"/);
    expect(refusal(() => v.validate(signed('RS256', rsa.privateKey, good, 'rotated'))).reason).toMatch(/no key with kid "rotated"/);
    expect(unknown).toContain('rotated');
    expect(refusal(() => v.validate(signed('RS256', rsa.privateKey, { ...good, iss: 'https://evil.test' }, 'rsa-1'))).reason).toMatch(/issuer "https:\/\/evil.test"/);
    expect(refusal(() => v.validate(signed('RS256', rsa.privateKey, { ...good, aud: 'someone-else' }, 'rsa-1'))).reason).toMatch(/audience/);
    expect(refusal(() => v.validate(signed('RS256', rsa.privateKey, { ...good, nbf: NOW / 1000 + 120 }, 'rsa-1'))).reason).toMatch(/not valid before/);
    // Within the 30 s skew: accepted.
    expect(v.validate(signed('RS256', rsa.privateKey, { ...good, exp: NOW / 1000 - 10 }, 'rsa-1')).principalName).toBe('alice');
  });

  it('takes the principal from a configured claim', () => {
    const byEmail = new JwtValidator({ keys: () => jwks, now, principalClaimName: 'email' });
    expect(byEmail.validate(signed('ES256', ec.privateKey, claims({ email: 'bob@example.test' }), 'ec-1')).principalName).toBe('bob@example.test');
    expect(refusal(() => byEmail.validate(signed('ES256', ec.privateKey, claims(), 'ec-1'))).reason).toMatch(/claim email/);
  });

  it('refuses an unusable JWKS document', () => {
    expect(() => JsonWebKeySet.parse('{', 'f')).toThrow(/not JSON/);
    expect(() => JsonWebKeySet.parse('{"kid":1}', 'f')).toThrow(/no "keys" array/);
    expect(() => JsonWebKeySet.parse('{"keys":[{"kty":"RSA","n":"AQ"}]}', 'f')).toThrow(/key 0/);
  });
});

describe('OAuthBearerServer', () => {
  const auth = new SaslAuthenticator({ enabledMechanisms: ['OAUTHBEARER'], oauthBearerValidator: new UnsecuredJwsValidator({ now }) });

  it('completes with the token’s principal and its expiry', () => {
    const s = auth.create('OAUTHBEARER');
    expect(s.evaluate(formatOAuthBearerClientResponse(unsecured(claims()))).length).toBe(0);
    expect([s.complete, s.authorizationId, s.credentialExpiresAtMs]).toEqual([true, 'alice', NOW + 600_000]);
  });

  it('answers a refused token with the JSON error challenge, then fails on \\x01 with the reason', () => {
    const s = auth.create('OAUTHBEARER');
    const challenge = s.evaluate(formatOAuthBearerClientResponse(unsecured(claims({ exp: NOW / 1000 - 60 }))));
    expect(challenge.toString()).toBe('{"status":"invalid_token"}');
    expect(s.complete).toBe(false);
    expect(s.failure?.message).toMatch(/^OAUTHBEARER: the token expired at /);
    expect(() => s.evaluate(Buffer.from([1]))).toThrow(/the token expired/);
    expect(() => s.evaluate(Buffer.from([1]))).toThrow(SaslAuthenticationError);
  });

  it('refuses an authorization id that is not the token’s principal, and a second message', () => {
    const s = auth.create('OAUTHBEARER');
    expect(() => s.evaluate(Buffer.from(`n,a=mallory,\u0001auth=Bearer ${unsecured(claims())}\u0001\u0001`))).toThrow(/not the token's principal alice/);
    expect(() => s.evaluate(formatOAuthBearerClientResponse(unsecured(claims())))).toThrow(/unexpected token/);
  });

  it('is refused at construction without a validator', () => {
    expect(() => new SaslAuthenticator({ enabledMechanisms: ['OAUTHBEARER'] })).toThrow(/without a token validator/);
  });
});
