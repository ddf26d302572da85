// The spawned `mq` CLI's Kafka-protocol commands (topics, produce, consume) against a broker process
// with SASL_PLAINTEXT and SASL_SSL listeners (openssl-made certificates; OAUTHBEARER checked against
// a JWKS a loopback HTTP server serves; ssl.client.auth=required): PLAIN from flags, SCRAM-SHA-512
// from MQ_SASL_* / MQ_TLS_* over mTLS, OAUTHBEARER from --bearer-token over mTLS, SCRAM-SHA-256 from a
// profile whose password is printed REDACTED. Bad input: a wrong password, an expired token, an
// untrusted broker certificate, a missing client certificate and no SASL towards the SASL listener
// (the line names --sasl-mechanism) exit 1 with one line that never
// echoes the secret; a bad flag combination exits 2 with one line.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { mq } from '../src/mq-cli';
import { JwksServer, TestSigningKeys, claimsFor } from '../src/oauthbearer-tokens';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { type TestCerts, makeTestCerts } from '../src/test-certs';

const ISSUER = 'https://idp.example.test';
const PASSWORDS = { alice: 'alice-plain-secret-1', bob: 'bob-scram256-secret-2', carol: 'carol-scram512-secret-3', wrong: 'wrong-password-secret-4' };

describe('mq CLI over SASL_PLAINTEXT and SASL_SSL', () => {
  let dir: string;
  let certs: TestCerts;
  let jwks: JwksServer;
  let broker: BrokerProcess;
  let plain: string;
  let tls: string;
  const keys = new TestSigningKeys();
  const token = (sub: string, lifetime = 3600) => keys.sign('RS256', claimsFor(sub, lifetime, Date.now(), { iss: ISSUER, aud: 'mq' }));
  // Every run gets its own config file path: the developer's ~/.config/mq never leaks in.
  const cli = (args: string[], env: Record<string, string> = {}, input?: string) => mq(args, { env: { MQ_CLI_CONFIG: join(dir, 'none.yaml'), ...env }, ...(input === undefined ? {} : { input }) });
  const oneLine = (stderr: string) => {
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    return stderr.trim();
  };

  beforeAll(async () => {
    dir = await makeTempDir('cli-sasl');
    [certs, jwks] = await Promise.all([makeTestCerts(dir), JwksServer.start(() => keys.jwks())]);
    const config = join(dir, 'server.properties');
    await writeFile(
      config,
      [
        'listeners=SASL_PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0',
        'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
        `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="${PASSWORDS.alice}";`,
        `mq.sasl.bootstrap.users=bob:SCRAM-SHA-256:${PASSWORDS.bob},carol:SCRAM-SHA-512:${PASSWORDS.carol}`,
        `sasl.oauthbearer.jwks.endpoint.url=${jwks.url}`,
        `sasl.oauthbearer.expected.issuer=${ISSUER}`,
        'sasl.oauthbearer.expected.audience=mq',
        `ssl.keystore.location=${certs.serverKeystore}`,
        // mTLS on the SASL_SSL listener: a run without --tls-cert / --tls-key is refused in the handshake.
        `ssl.truststore.location=${certs.caCert}`,
        'ssl.client.auth=required',
        'connection.failed.authentication.delay.ms=10',
        '',
      ].join('\n'),
    );
    broker = await BrokerProcess.start({ dataDir: join(dir, 'data'), configFile: config });
    const banner = broker.logLines.map((l) => JSON.parse(l) as { msg?: string; listenerPorts?: Record<string, number> }).find((l) => l.msg === 'broker listening')!;
    plain = `127.0.0.1:${banner.listenerPorts!.SASL_PLAINTEXT}`;
    tls = `127.0.0.1:${banner.listenerPorts!.SASL_SSL}`;
  }, 60_000);

  afterAll(async () => {
    await broker?.stop();
    await jwks?.close();
    await removeDir(dir);
  });

  it('PLAIN from flags, SCRAM-SHA-512 from MQ_SASL_* over mTLS and OAUTHBEARER from --bearer-token over mTLS create, produce and consume', async () => {
    const alice = ['-b', plain, '--sasl-mechanism', 'PLAIN', '--sasl-username', 'alice', '--sasl-password', PASSWORDS.alice];
    const created = await cli([...alice, 'topics', 'create', 'orders', '--partitions', '1']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const carolEnv = { MQ_SASL_MECHANISM: 'SCRAM-SHA-512', MQ_SASL_USERNAME: 'carol', MQ_SASL_PASSWORD: PASSWORDS.carol, MQ_TLS_CA: certs.caCert, MQ_TLS_CERT: certs.clientCert, MQ_TLS_KEY: certs.clientKey };
    const produced = await cli(['-b', tls, 'produce', 'orders'], carolEnv, 'first\nsecond\n');
    expect(produced.stderr).toBe('');
    expect(produced.code).toBe(0);
    const mtls = ['--tls-ca', certs.caCert, '--tls-cert', certs.clientCert, '--tls-key', certs.clientKey];
    const consumed = await cli(['-b', tls, ...mtls, '--sasl-mechanism', 'OAUTHBEARER', '--bearer-token', token('dave'), 'consume', 'orders', '--from-beginning', '-e']);
    expect(consumed.stderr).toBe('');
    expect(consumed.stdout).toBe('first\nsecond\n');
  });

  it("SCRAM-SHA-256 from a profile: used by topics, its password printed REDACTED by profile show / list", async () => {
    const env = { MQ_CLI_CONFIG: join(dir, 'profiles.yaml') };
    const created = await cli(['profile', 'create', 'secure', '--brokers', plain, '--sasl-mechanism', 'scram-sha-256', '--sasl-username', 'bob', '--sasl-password', PASSWORDS.bob, '--use'], env);
    expect(created.code).toBe(0);
    const [described, shown, listed] = await Promise.all([cli(['topics', 'describe', 'orders', '-o', 'json'], env), cli(['profile', 'show', '-o', 'json'], env), cli(['profile', 'list', '-o', 'json'], env)]);
    expect(described.stderr).toBe('');
    expect(described.code).toBe(0);
    for (const r of [shown, listed]) {
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(PASSWORDS.bob);
      expect(r.stdout).toContain('REDACTED');
    }
    expect(JSON.parse(shown.stdout)).toMatchObject({ profile: 'secure', 'sasl-mechanism': 'SCRAM-SHA-256', 'sasl-username': 'bob', 'sasl-password': 'REDACTED' });
  });

  it('a wrong password, an expired token, an untrusted broker certificate and no client certificate exit 1, a bad combination 2, each with one line and never the secret', async () => {
    const expired = token('dave', -120);
    const [wrong, late, untrusted, noCert, usage, noSasl] = await Promise.all([
      cli(['-b', tls, '--tls-ca', certs.caCert, 'topics', 'list'], { MQ_SASL_MECHANISM: 'SCRAM-SHA-512', MQ_SASL_USERNAME: 'carol', MQ_SASL_PASSWORD: PASSWORDS.wrong, MQ_TLS_CERT: certs.clientCert, MQ_TLS_KEY: certs.clientKey }),
      cli(['-b', plain, '--sasl-mechanism', 'OAUTHBEARER', '--bearer-token', expired, 'topics', 'list']),
      cli(['-b', tls, '--tls', '--sasl-mechanism', 'PLAIN', '--sasl-username', 'alice', '--sasl-password', PASSWORDS.alice, 'topics', 'list']),
      cli(['-b', tls, '--tls-ca', certs.caCert, '--sasl-mechanism', 'PLAIN', '--sasl-username', 'alice', '--sasl-password', PASSWORDS.alice, 'topics', 'list']),
      // The other combinations are apps/cli's kafka-security.test.ts, in-process.
      cli(['-b', plain, '--sasl-mechanism', 'SCRAM-SHA-512', '--sasl-password', PASSWORDS.carol, 'topics', 'list']),
      // No SASL towards the SASL listener: the close names the flags.
      cli(['-b', plain, 'topics', 'list']),
    ]);
    expect(wrong.code).toBe(1);
    expect(oneLine(wrong.stderr)).toMatch(/^error: SASL_AUTHENTICATION_FAILED \(code 58\): SASL SCRAM-SHA-512 authentication to 127\.0\.0\.1:\d+ failed/);
    expect(wrong.stderr).not.toContain(PASSWORDS.wrong);
    expect(late.code).toBe(1);
    expect(oneLine(late.stderr)).toMatch(/^error: SASL_AUTHENTICATION_FAILED \(code 58\): SASL OAUTHBEARER authentication .* failed: .*expired/);
    expect(late.stderr).not.toContain(expired);
    expect(untrusted.code).toBe(1);
    expect(oneLine(untrusted.stderr)).toMatch(/^error: TLS handshake with 127\.0\.0\.1:\d+ failed: .*certificate/);
    expect(untrusted.stderr).not.toContain(PASSWORDS.alice);
    // Without a client certificate the broker ends the handshake (TLS 1.3: after the client's side completed).
    expect(noCert.code).toBe(1);
    expect(oneLine(noCert.stderr)).toMatch(/^error: /);
    expect(noCert.stderr).not.toContain(PASSWORDS.alice);
    expect(noSasl.code).toBe(1);
    expect(oneLine(noSasl.stderr)).toMatch(/^error: connection to 127\.0\.0\.1:\d+ closed by the broker at its first request, Metadata: a listener that requires SASL does this to an unauthenticated client; if so, give --sasl-mechanism with --sasl-username \/ --sasl-password or --bearer-token$/);
    expect(usage.code).toBe(2);
    expect(oneLine(usage.stderr)).toBe('error: --sasl-mechanism SCRAM-SHA-512 needs --sasl-username and --sasl-password (or MQ_SASL_USERNAME / MQ_SASL_PASSWORD, or the profile\'s sasl-username / sasl-password)');
  });
});
