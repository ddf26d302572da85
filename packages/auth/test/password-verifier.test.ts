// PasswordVerifier (HTTP Basic's check) over real SCRAM credentials and PLAIN users: right and
// wrong passwords per mechanism, unknown users, and a changed credential invalidating the cache.
import { describe, expect, it } from 'vitest';
import { PasswordVerifier, PlainUsers, SCRAM_SHA_256, SCRAM_SHA_512, credentialFromPassword, type ScramCredential } from '../src/index';

function lookup(entries: Map<string, ScramCredential>) {
  return { credential: (user: string, mechanism: string) => entries.get(`${mechanism}:${user}`) };
}

describe('PasswordVerifier', () => {
  it('accepts the SCRAM password of either mechanism and refuses a wrong one', async () => {
    const creds = new Map([
      ['SCRAM-SHA-512:alice', credentialFromPassword(SCRAM_SHA_512, 'alice-pw')],
      ['SCRAM-SHA-256:bob', credentialFromPassword(SCRAM_SHA_256, 'bob-pw', { iterations: 8192 })],
    ]);
    const v = new PasswordVerifier({ scramCredentials: lookup(creds) });
    expect(await v.verify('alice', 'alice-pw')).toBe(true);
    expect(await v.verify('alice', 'alice-pw ')).toBe(false);
    expect(await v.verify('bob', 'bob-pw')).toBe(true);
    expect(await v.verify('bob', 'alice-pw')).toBe(false);
    expect(await v.verify('carol', 'alice-pw')).toBe(false);
    expect(await v.verify('', '')).toBe(false);
    expect(await v.verify('alice', '')).toBe(false);
  });

  it('accepts PLAIN users', async () => {
    const v = new PasswordVerifier({ scramCredentials: lookup(new Map()), plainUsers: new PlainUsers({ dave: 'dave-pw' }) });
    expect(await v.verify('dave', 'dave-pw')).toBe(true);
    expect(await v.verify('dave', 'nope')).toBe(false);
  });

  it('forgets a cached success once the credential changes or is deleted', async () => {
    const creds = new Map([['SCRAM-SHA-512:alice', credentialFromPassword(SCRAM_SHA_512, 'old-pw')]]);
    let now = 0;
    const v = new PasswordVerifier({ scramCredentials: lookup(creds), now: () => now });
    expect(await v.verify('alice', 'old-pw')).toBe(true);
    creds.set('SCRAM-SHA-512:alice', credentialFromPassword(SCRAM_SHA_512, 'new-pw'));
    expect(await v.verify('alice', 'old-pw')).toBe(false);
    expect(await v.verify('alice', 'new-pw')).toBe(true);
    creds.delete('SCRAM-SHA-512:alice');
    expect(await v.verify('alice', 'new-pw')).toBe(false);
    creds.set('SCRAM-SHA-512:alice', credentialFromPassword(SCRAM_SHA_512, 'new-pw'));
    expect(await v.verify('alice', 'new-pw')).toBe(true);
    now += 61_000; // past the TTL: derived again (still right)
    expect(await v.verify('alice', 'new-pw')).toBe(true);
  });
});
