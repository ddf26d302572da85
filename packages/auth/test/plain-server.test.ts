// PLAIN: RFC 4616 messages against users from JAAS text; malformed tokens and wrong passwords fail.
import { describe, expect, it } from 'vitest';
import { PlainServer, PlainUsers, SaslAuthenticationError, SaslAuthenticator, UnsupportedSaslMechanismError } from '../src/index';

const jaas = `KafkaServer {
  org.apache.kafka.common.security.plain.PlainLoginModule required
  username="admin" password="admin-secret"
  user_admin="admin-secret"
  user_alice="al\\"ice";
};`;

describe('PlainUsers', () => {
  it('reads every user_<name>="<password>" of JAAS text (not the broker\'s own username/password)', () => {
    const users = PlainUsers.fromJaas(jaas);
    expect(users.names().sort()).toEqual(['admin', 'alice']);
    expect(users.verify('alice', 'al"ice')).toBe(true);
    expect(users.verify('alice', 'admin-secret')).toBe(false);
    expect(users.verify('nobody', 'admin-secret')).toBe(false);
  });
});

describe('PlainServer', () => {
  const users = PlainUsers.fromJaas(jaas);
  const token = (...parts: string[]) => Buffer.from(parts.join('\u0000'));

  it('authenticates authcid/password, with an empty or equal authzid', () => {
    for (const t of [token('', 'admin', 'admin-secret'), token('admin', 'admin', 'admin-secret')]) {
      const s = new PlainServer(users);
      expect(s.evaluate(t).length).toBe(0);
      expect(s.complete).toBe(true);
      expect(s.authorizationId).toBe('admin');
    }
  });

  it('refuses wrong passwords, unknown users, other authzids, malformed tokens and a second token', () => {
    const bad = [token('', 'admin', 'wrong'), token('', 'nobody', 'x'), token('alice', 'admin', 'admin-secret'), token('admin', 'admin-secret'), token('', '', 'x'), token('', 'admin', ''), Buffer.from('garbage'), Buffer.alloc(0)];
    for (const t of bad) {
      const s = new PlainServer(users);
      expect(() => s.evaluate(t)).toThrow(SaslAuthenticationError);
      expect(s.complete).toBe(false);
    }
    const s = new PlainServer(users);
    s.evaluate(token('', 'admin', 'admin-secret'));
    expect(() => s.evaluate(token('', 'admin', 'admin-secret'))).toThrow(SaslAuthenticationError);
  });
});

describe('SaslAuthenticator', () => {
  it('creates exchanges for enabled mechanisms only, and refuses a mechanism without its users', () => {
    const a = new SaslAuthenticator({ enabledMechanisms: ['PLAIN'], plainUsers: new PlainUsers({ u: 'p' }) });
    expect(a.create('PLAIN').mechanism).toBe('PLAIN');
    expect(() => a.create('SCRAM-SHA-256')).toThrow(UnsupportedSaslMechanismError);
    expect(() => new SaslAuthenticator({ enabledMechanisms: ['GSSAPI'] })).toThrow(/not supported/);
    expect(() => new SaslAuthenticator({ enabledMechanisms: ['PLAIN'] })).toThrow(/no PLAIN users/);
    expect(() => new SaslAuthenticator({ enabledMechanisms: ['SCRAM-SHA-512'] })).toThrow(/credential store/);
  });
});
