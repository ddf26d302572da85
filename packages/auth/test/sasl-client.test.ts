// The client side against RFC 7677's SHA-256 test vector and against our own ScramServer / PlainServer:
// a right password completes (the server's signature verified), a wrong one is refused by the server,
// and a server that does not hold the credential (a forged signature) is refused by the client.
import { SaslAuthenticationFailedError } from '@mq/errors';
import { describe, expect, it } from 'vitest';
import {
  PlainServer,
  PlainUsers,
  SCRAM_SHA_256,
  SCRAM_SHA_512,
  ScramClient,
  ScramServer,
  credentialFromPassword,
  saslClient,
  type SaslClient,
  type SaslServer,
} from '../src/index';

/** Runs the exchange to its end; returns the server's authorization id. */
function exchange(client: SaslClient, server: SaslServer): string | undefined {
  let challenge: Buffer | undefined = server.evaluate(client.initial());
  for (;;) {
    const next = client.evaluate(challenge);
    if (next === undefined) break;
    challenge = server.evaluate(next);
  }
  return server.authorizationId;
}

describe('ScramClient', () => {
  it('sends RFC 7677 §3’s client messages byte for byte and checks its server signature', () => {
    const c = new ScramClient(SCRAM_SHA_256, 'user', 'pencil', () => 'rOprNGfwEbeRWgbNEkqO');
    expect(c.initial().toString()).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    const final = c.evaluate(Buffer.from('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'));
    expect(final?.toString()).toBe('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
    expect(c.evaluate(Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).toBeUndefined();
  });

  it('refuses a server signature that does not match, and a nonce the server did not extend', () => {
    const c = new ScramClient(SCRAM_SHA_256, 'user', 'pencil', () => 'rOprNGfwEbeRWgbNEkqO');
    c.initial();
    c.evaluate(Buffer.from('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'));
    expect(() => c.evaluate(Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95H4='))).toThrow(SaslAuthenticationFailedError);
    const d = new ScramClient(SCRAM_SHA_256, 'user', 'pencil', () => 'abc');
    d.initial();
    expect(() => d.evaluate(Buffer.from('r=xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'))).toThrow(/nonce/);
    expect(() => new ScramClient(SCRAM_SHA_256, 'u', 'p').evaluate(Buffer.from('garbage'))).toThrow(SaslAuthenticationFailedError);
  });

  it('completes against ScramServer (SHA-512, a user name with , and =); a wrong password is refused', () => {
    const cred = credentialFromPassword(SCRAM_SHA_512, 'broker-secret', { iterations: 4096 });
    const lookup = { credential: (user: string, mechanism: string) => (user === 'inter,broker=1' && mechanism === 'SCRAM-SHA-512' ? cred : undefined) };
    expect(exchange(saslClient({ mechanism: 'SCRAM-SHA-512', username: 'inter,broker=1', password: 'broker-secret' }), new ScramServer(SCRAM_SHA_512, lookup))).toBe('inter,broker=1');
    expect(() => exchange(saslClient({ mechanism: 'SCRAM-SHA-512', username: 'inter,broker=1', password: 'wrong' }), new ScramServer(SCRAM_SHA_512, lookup))).toThrow(SaslAuthenticationFailedError);
  });
});

describe('PlainClient', () => {
  it('authenticates against PlainServer; a wrong password is refused', () => {
    const users = new PlainUsers(new Map([['broker', 'pw']]));
    expect(exchange(saslClient({ mechanism: 'PLAIN', username: 'broker', password: 'pw' }), new PlainServer(users))).toBe('broker');
    expect(() => exchange(saslClient({ mechanism: 'PLAIN', username: 'broker', password: 'nope' }), new PlainServer(users))).toThrow(SaslAuthenticationFailedError);
  });

  it('has no client for GSSAPI', () => {
    expect(() => saslClient({ mechanism: 'GSSAPI', username: 'u', password: 'p' })).toThrow(/no client side/);
  });
});
