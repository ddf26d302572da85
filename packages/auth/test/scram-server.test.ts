// SCRAM against RFC 7677's SHA-256 test vector, a full SHA-512 exchange with a client written from
// RFC 5802 here, and the failures: wrong password, unknown user, malformed and replayed messages.
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SCRAM_SHA_256,
  SCRAM_SHA_512,
  SaslAuthenticationError,
  ScramServer,
  credentialFromPassword,
  credentialFromSaltedPassword,
  decodeCredential,
  encodeCredential,
  type ScramCredential,
  type ScramMechanism,
} from '../src/index';

const lookupOf = (creds: Record<string, ScramCredential>) => ({ credential: (user: string, mechanism: string) => creds[`${mechanism}:${user}`] });

describe('SCRAM-SHA-256 (RFC 7677 §3 test vector)', () => {
  const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
  const cred = credentialFromPassword(SCRAM_SHA_256, 'pencil', { salt, iterations: 4096 });
  const server = () => new ScramServer(SCRAM_SHA_256, lookupOf({ 'SCRAM-SHA-256:user': cred }), { nonce: () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0' });

  it('answers the RFC messages byte for byte', () => {
    const s = server();
    const first = s.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(first.toString()).toBe('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    expect(s.complete).toBe(false);
    const final = s.evaluate(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='));
    expect(final.toString()).toBe('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=');
    expect(s.complete).toBe(true);
    expect(s.authorizationId).toBe('user');
  });

  it('refuses a proof with one bit flipped', () => {
    const s = server();
    s.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(() => s.evaluate(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVM='))).toThrow(SaslAuthenticationError);
    expect(s.complete).toBe(false);
    expect(s.authorizationId).toBeUndefined();
  });

  it('refuses a nonce the server did not issue and a changed channel binding', () => {
    const a = server();
    a.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(() => a.evaluate(Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqOXXX,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='))).toThrow(/nonce/);
    const b = server();
    b.evaluate(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(() => b.evaluate(Buffer.from('c=eSws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='))).toThrow(/channel binding/);
  });
});

/** A client from RFC 5802 §3, independent of the server's code. */
function clientExchange(m: ScramMechanism, server: ScramServer, user: string, password: string): { ok: boolean; serverSignatureValid: boolean } {
  const clientNonce = 'fyko+d2lbbFgONRv9qkxdawL';
  const bare = `n=${user.replace(/=/g, '=3D').replace(/,/g, '=2C')},r=${clientNonce}`;
  const serverFirst = server.evaluate(Buffer.from(`n,,${bare}`)).toString();
  const fields = Object.fromEntries(serverFirst.split(',').map((kv) => [kv[0], kv.slice(2)]));
  const salted = pbkdf2Sync(password, Buffer.from(fields.s!, 'base64'), Number(fields.i), m.keyLength, m.hash);
  const clientKey = createHmac(m.hash, salted).update('Client Key').digest();
  const storedKey = createHash(m.hash).update(clientKey).digest();
  const withoutProof = `c=biws,r=${fields.r}`;
  const authMessage = `${bare},${serverFirst},${withoutProof}`;
  const signature = createHmac(m.hash, storedKey).update(authMessage).digest();
  const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
  try {
    const final = server.evaluate(Buffer.from(`${withoutProof},p=${proof.toString('base64')}`)).toString();
    const serverKey = createHmac(m.hash, salted).update('Server Key').digest();
    return { ok: true, serverSignatureValid: final === `v=${createHmac(m.hash, serverKey).update(authMessage).digest('base64')}` };
  } catch (err) {
    expect(err).toBeInstanceOf(SaslAuthenticationError);
    return { ok: false, serverSignatureValid: false };
  }
}

describe('SCRAM-SHA-512', () => {
  const cred = credentialFromPassword(SCRAM_SHA_512, 'alice-secret', { iterations: 8192 });
  const creds = { 'SCRAM-SHA-512:alice': cred, 'SCRAM-SHA-512:we,ird=name': credentialFromPassword(SCRAM_SHA_512, 'x') };

  it('authenticates the right password and signs the server-final message', () => {
    const s = new ScramServer(SCRAM_SHA_512, lookupOf(creds));
    expect(clientExchange(SCRAM_SHA_512, s, 'alice', 'alice-secret')).toEqual({ ok: true, serverSignatureValid: true });
    expect(s.authorizationId).toBe('alice');
  });

  it('decodes saslname escapes (=2C, =3D)', () => {
    const s = new ScramServer(SCRAM_SHA_512, lookupOf(creds));
    expect(clientExchange(SCRAM_SHA_512, s, 'we,ird=name', 'x').ok).toBe(true);
    expect(s.authorizationId).toBe('we,ird=name');
  });

  it('refuses a wrong password and an unknown user alike, with the same salt for the same unknown user', () => {
    const wrong = new ScramServer(SCRAM_SHA_512, lookupOf(creds));
    expect(clientExchange(SCRAM_SHA_512, wrong, 'alice', 'nope').ok).toBe(false);
    const unknown = new ScramServer(SCRAM_SHA_512, lookupOf(creds));
    expect(clientExchange(SCRAM_SHA_512, unknown, 'mallory', 'anything').ok).toBe(false);
    const salts = [1, 2].map(() => new ScramServer(SCRAM_SHA_512, lookupOf(creds)).evaluate(Buffer.from('n,,n=mallory,r=abc')).toString().split(',')[1]);
    expect(salts[0]).toBe(salts[1]);
    expect(unknown.claimedUser).toBe('mallory');
  });

  it('a credential of the other mechanism does not authenticate', () => {
    const s = new ScramServer(SCRAM_SHA_256, lookupOf(creds));
    expect(clientExchange(SCRAM_SHA_256, s, 'alice', 'alice-secret').ok).toBe(false);
  });

  it('refuses garbage, an authzid of someone else, extensions it does not know, and any token after the end', () => {
    const bad = ['', 'garbage', 'p=tls-unique,,n=alice,r=abc', 'n,,m=ext,n=alice,r=abc', 'n,,n=alice', 'n,a=bob,n=alice,r=abc', 'n,,n=al=ice,r=abc', 'n,,n=alice,r=a,b,tokenauth=true', '\u00ff\u00fe'];
    for (const t of bad) {
      const s = new ScramServer(SCRAM_SHA_512, lookupOf(creds));
      expect(() => s.evaluate(Buffer.from(t)), t).toThrow(SaslAuthenticationError);
      expect(s.complete).toBe(false);
    }
    const invalidUtf8 = new ScramServer(SCRAM_SHA_512, lookupOf(creds));
    expect(() => invalidUtf8.evaluate(Buffer.from([0x6e, 0x2c, 0x2c, 0xc3, 0x28]))).toThrow(SaslAuthenticationError);
    const done = new ScramServer(SCRAM_SHA_512, lookupOf(creds));
    clientExchange(SCRAM_SHA_512, done, 'alice', 'alice-secret');
    expect(() => done.evaluate(Buffer.from('n,,n=alice,r=abc'))).toThrow(SaslAuthenticationError);
  });
});

describe('credentials', () => {
  it('round-trip through the stored JSON, which holds neither password nor salted password', () => {
    const salt = Buffer.from('salt-salt-salt');
    const c = credentialFromPassword(SCRAM_SHA_256, 'hunter2', { salt, iterations: 4096 });
    const salted = pbkdf2Sync('hunter2', salt, 4096, 32, 'sha256');
    expect(credentialFromSaltedPassword(SCRAM_SHA_256, salt, salted, 4096)).toEqual(c);
    const json = encodeCredential(c);
    expect(json).not.toContain('hunter2');
    expect(json).not.toContain(salted.toString('base64'));
    expect(decodeCredential(json)).toEqual(c);
    expect(decodeCredential('{"salt":1}')).toBeUndefined();
    expect(decodeCredential('not json')).toBeUndefined();
  });

  it('refuses iterations outside 4096..16384, an empty salt and a salted password of the wrong length', () => {
    expect(() => credentialFromPassword(SCRAM_SHA_256, 'p', { iterations: 4095 })).toThrow(/iterations/);
    expect(() => credentialFromPassword(SCRAM_SHA_256, 'p', { iterations: 16_385 })).toThrow(/iterations/);
    expect(() => credentialFromPassword(SCRAM_SHA_256, 'p', { salt: Buffer.alloc(0) })).toThrow(/salt/);
    expect(() => credentialFromSaltedPassword(SCRAM_SHA_512, Buffer.from('s'), Buffer.alloc(32), 4096)).toThrow(/64 bytes/);
  });
});

describe('librdkafka < 2.6.1 (librdkafka#4895)', () => {
  it('accepts a client-final nonce with the client nonce repeated in front, as Kafka 3.8.1+, and still checks the proof', () => {
    const cred = credentialFromPassword(SCRAM_SHA_256, 'pencil', { salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64') });
    const lookup = lookupOf({ 'SCRAM-SHA-256:user': cred });
    const s = new ScramServer(SCRAM_SHA_256, lookup, { nonce: () => 'srv' });
    s.evaluate(Buffer.from('n,,n=user,r=cli'));
    // A wrong proof with the doubled nonce is still refused (nonce accepted, proof checked).
    expect(() => s.evaluate(Buffer.from(`c=biws,r=cliclisrv,p=${Buffer.alloc(32).toString('base64')}`))).toThrow(SaslAuthenticationError);
    const t = new ScramServer(SCRAM_SHA_256, lookup, { nonce: () => 'srv' });
    t.evaluate(Buffer.from('n,,n=user,r=cli'));
    expect(() => t.evaluate(Buffer.from(`c=biws,r=clisrvX,p=${Buffer.alloc(32).toString('base64')}`))).toThrow(/nonce/);
  });
});
