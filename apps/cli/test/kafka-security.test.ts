// How the CLI resolves TLS and SASL for the Kafka-protocol commands, in-process (kafka-security.ts):
// flag over MQ_* over profile for each setting, OAUTHBEARER's token shared with the HTTP commands'
// --bearer-token, PEM files read at start, and every bad combination a UsageError (exit 2) whose one
// line names the flags and never a secret. The spawned CLI against real SASL listeners is
// tests/compat/test/cli-sasl.test.ts.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli-error';
import { kafkaSecurity } from '../src/kafka-security';
import { run } from '../src/index';

const SECRET = 'very-secret-password-5';

describe('kafkaSecurity', () => {
  it('takes each setting from its flag, else MQ_*, else the profile', async () => {
    const profile = { 'sasl-mechanism': 'PLAIN', 'sasl-username': 'p-user', 'sasl-password': 'p-pw' };
    expect(await kafkaSecurity({}, {}, profile)).toEqual({ sasl: { mechanism: 'PLAIN', username: 'p-user', password: 'p-pw' } });
    expect(await kafkaSecurity({ saslUsername: 'f-user' }, { MQ_SASL_MECHANISM: 'scram-sha-512', MQ_SASL_PASSWORD: 'e-pw' }, profile)).toEqual({
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'f-user', password: 'e-pw' },
    });
    expect(await kafkaSecurity({ saslMechanism: 'OAUTHBEARER' }, { MQ_BEARER_TOKEN: 'env.token.x' }, { 'bearer-token': 'profile.token' })).toEqual({ sasl: { mechanism: 'OAUTHBEARER', token: 'env.token.x' } });
    expect(await kafkaSecurity({}, {}, {})).toEqual({});
    // A bearer token alone stays the HTTP commands' credential: no SASL on the Kafka listener.
    expect(await kafkaSecurity({ bearerToken: 'a.b.c' }, {}, {})).toEqual({});
  });

  it('TLS: --tls trusts the system CAs; --tls-ca / --tls-cert / --tls-key are read as PEM', async () => {
    expect(await kafkaSecurity({ tls: true }, {}, {})).toEqual({ ssl: true });
    expect(await kafkaSecurity({}, { MQ_TLS: '1' }, {})).toEqual({ ssl: true });
    expect(await kafkaSecurity({}, {}, { tls: true })).toEqual({ ssl: true });
    const ca = join(tmpdir(), `mq-cli-ca-${process.pid}.pem`);
    await writeFile(ca, '-----BEGIN CERTIFICATE-----\n');
    expect(await kafkaSecurity({}, {}, { 'tls-ca': ca })).toEqual({ ssl: { ca: '-----BEGIN CERTIFICATE-----\n' } });
  });

  it('refuses bad combinations with a UsageError that never shows the secret', async () => {
    const cases: [Parameters<typeof kafkaSecurity>[0], RegExp][] = [
      [{ saslMechanism: 'GSSAPI' }, /^--sasl-mechanism must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, not GSSAPI$/],
      [{ saslMechanism: 'SCRAM-SHA-256', saslPassword: SECRET }, /^--sasl-mechanism SCRAM-SHA-256 needs --sasl-username and --sasl-password/],
      [{ saslMechanism: 'PLAIN', saslUsername: 'u' }, /needs --sasl-username and --sasl-password/],
      [{ saslMechanism: 'OAUTHBEARER' }, /^--sasl-mechanism OAUTHBEARER needs a token: --bearer-token, MQ_BEARER_TOKEN or the profile's bearer-token$/],
      [{ saslMechanism: 'OAUTHBEARER', bearerToken: 'a.b.c', saslPassword: SECRET }, /^--sasl-mechanism OAUTHBEARER takes --bearer-token, not --sasl-username \/ --sasl-password$/],
      [{ saslMechanism: 'OAUTHBEARER', bearerToken: 'has space' }, /^--bearer-token: a bearer token is non-empty printable ASCII/],
      [{ saslPassword: SECRET }, /^--sasl-username \/ --sasl-password need --sasl-mechanism/],
      [{ tlsKey: '/k.pem' }, /^--tls-cert and --tls-key go together/],
      [{ tlsCa: join(tmpdir(), 'no-such-ca.pem') }, /^--tls-ca: cannot read .*no-such-ca\.pem: ENOENT$/],
    ];
    for (const [flags, re] of cases) {
      const err = await kafkaSecurity(flags, {}, {}).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).not.toContain(SECRET);
    }
  });

  it('mq exits 2 with one line before connecting; profile create checks the same', async () => {
    const sink = () => {
      const w = new Writable({
        write(chunk: Buffer, _enc, cb) {
          w.text += chunk.toString();
          cb();
        },
      }) as Writable & { text: string };
      w.text = '';
      return w;
    };
    const config = join(tmpdir(), `mq-cli-sasl-${process.pid}.yaml`);
    for (const args of [
      ['-b', '127.0.0.1:1', '--sasl-mechanism', 'SCRAM-SHA-512', '--sasl-password', SECRET, 'topics', 'list'],
      ['profile', 'create', 'p', '--brokers', '127.0.0.1:1', '--sasl-mechanism', 'OAUTHBEARER', '--sasl-password', SECRET],
    ]) {
      const out = sink();
      const err = sink();
      expect(await run(args, { stdin: process.stdin, stdout: out, stderr: err, env: { MQ_CLI_CONFIG: config } })).toBe(2);
      expect(err.text.trimEnd().split('\n')).toHaveLength(1);
      expect(err.text).toMatch(/^error: --sasl-mechanism /);
      expect(err.text).not.toContain(SECRET);
    }
  });
});
