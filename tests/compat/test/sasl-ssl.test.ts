// TLS listeners with real clients and openssl-made certificates: kcat (librdkafka) produces and
// consumes over SASL_SSL with SCRAM-SHA-512; kafkajs over SASL_SSL with PLAIN and SCRAM-SHA-256;
// mTLS on an SSL listener makes the certificate's DN the principal; untrusted certificates, a
// missing one where it is required, plaintext bytes on a TLS port and wrong passwords are refused
// without disturbing the broker; no password reaches the log.
import { readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { startBroker } from '@mq/broker';
import { Kafka, type SASLOptions, logLevel } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KCAT, kcat } from '../src/kcat';
import { run } from '../src/child-process';
import { requestFrame } from '../src/kafka-frames';
import { RawConnection } from '../src/raw-connection';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { type TestCerts, makeTestCerts } from '../src/test-certs';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const PASSWORDS = { alice: 'alice-plain-pw-1', carol: 'carol-scram512-pw', dave: 'dave-scram256-pw', wrong: 'not-the-password-9' };

/** An ApiVersions v0 round trip over TLS; resolves 'answered' or 'closed' (handshake refused or connection closed). */
function tlsApiVersions(port: number, opts: { ca: string; cert?: string; key?: string }): Promise<'answered' | 'closed'> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca: opts.ca, servername: 'localhost', ...(opts.cert !== undefined ? { cert: opts.cert, key: opts.key } : {}) });
    let done = false;
    const finish = (r: 'answered' | 'closed') => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(r);
    };
    socket.on('secureConnect', () => socket.write(requestFrame(18, 0, 1)));
    socket.on('data', () => finish('answered'));
    socket.on('error', () => finish('closed'));
    socket.on('close', () => finish('closed'));
  });
}

describe('TLS listeners (SSL, SASL_SSL)', () => {
  let dir: string;
  let certs: TestCerts;
  let ca: string;
  let broker: Broker;
  const logLines: string[] = [];
  let saslSsl: number;
  let ssl: number;

  beforeAll(async () => {
    dir = await makeTempDir('tls');
    certs = await makeTestCerts(dir);
    ca = await readFile(certs.caCert, 'utf8');
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    broker = await startBroker({
      logger: pino({ level: 'debug' }, sink),
      security: {
        listeners: 'SASL_SSL://127.0.0.1:0,SSL://127.0.0.1:0',
        ssl: { keystoreLocation: certs.serverKeystore, truststoreLocation: certs.caCert, clientAuth: 'requested' },
        plainUsers: { alice: PASSWORDS.alice },
        scramUsers: [
          { name: 'carol', mechanism: 'SCRAM-SHA-512', password: PASSWORDS.carol },
          { name: 'dave', mechanism: 'SCRAM-SHA-256', password: PASSWORDS.dave },
        ],
      },
    });
    saslSsl = broker.listeners.find((l) => l.name === 'SASL_SSL')!.port;
    ssl = broker.listeners.find((l) => l.name === 'SSL')!.port;
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dir);
  });

  const kcatScram = (mechanism: string, user: string, password: string) => [
    '-b',
    `127.0.0.1:${saslSsl}`,
    '-X',
    'security.protocol=SASL_SSL',
    '-X',
    `sasl.mechanisms=${mechanism}`,
    '-X',
    `sasl.username=${user}`,
    '-X',
    `sasl.password=${password}`,
    '-X',
    `ssl.ca.location=${certs.caCert}`,
  ];

  it('kcat over SASL_SSL with SCRAM-SHA-512: produces and consumes', async () => {
    await kcat([...kcatScram('SCRAM-SHA-512', 'carol', PASSWORDS.carol), '-P', '-t', 'tls-scram', '-K', ':', '-X', 'request.required.acks=-1'], 120_000, 'a:1\nb:2\nc:3\n');
    const out = await kcat([...kcatScram('SCRAM-SHA-512', 'carol', PASSWORDS.carol), '-C', '-t', 'tls-scram', '-o', 'beginning', '-e', '-q', '-f', '%k=%s\n'], 120_000);
    expect(out.stdout.toString('utf8')).toBe('a=1\nb=2\nc=3\n');
    const meta = JSON.parse((await kcat([...kcatScram('SCRAM-SHA-512', 'carol', PASSWORDS.carol), '-L', '-J', '-m', '30'], 60_000)).stdout.toString('utf8')) as { brokers: { name: string }[] };
    expect(meta.brokers.map((b) => b.name)).toEqual([`127.0.0.1:${saslSsl}`]);
  });

  it('kcat with a wrong SCRAM password fails to authenticate', async () => {
    const r = await run(KCAT, [...kcatScram('SCRAM-SHA-512', 'carol', PASSWORDS.wrong), '-L', '-m', '5'], { timeoutMs: 60_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/[Aa]uthentication/);
  });

  it('kafkajs over SASL_SSL with PLAIN and SCRAM-SHA-256', async () => {
    const client = (sasl: SASLOptions) => new Kafka({ clientId: 'tls', brokers: [`127.0.0.1:${saslSsl}`], ssl: { ca: [ca], servername: 'localhost' }, sasl, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    for (const sasl of [
      { mechanism: 'plain', username: 'alice', password: PASSWORDS.alice },
      { mechanism: 'scram-sha-256', username: 'dave', password: PASSWORDS.dave },
    ] as SASLOptions[]) {
      const producer = client(sasl).producer();
      await producer.connect();
      const [r] = await producer.send({ topic: 'tls-kafkajs', messages: [{ value: sasl.mechanism }] });
      expect(r?.errorCode).toBe(0);
      await producer.disconnect();
    }
    const bad = client({ mechanism: 'scram-sha-256', username: 'dave', password: PASSWORDS.wrong }).producer();
    await expect(bad.connect()).rejects.toThrow(/SASL|[Aa]uthentication/);
    await bad.disconnect();
  });

  it('mTLS on the SSL listener: the client certificate’s DN is the principal; no certificate is ANONYMOUS; an untrusted one is refused', async () => {
    const accepted = () => logLines.filter((l) => l.includes('connection accepted') && l.includes('"listener":"SSL"')).map((l) => (JSON.parse(l) as { principal: string }).principal);
    const before = accepted().length;
    expect(await tlsApiVersions(ssl, { ca, cert: await readFile(certs.clientCert, 'utf8'), key: await readFile(certs.clientKey, 'utf8') })).toBe('answered');
    expect(await tlsApiVersions(ssl, { ca })).toBe('answered');
    expect(accepted().slice(before)).toEqual(['User:CN=alice-client,OU=eng,O=mq', 'User:ANONYMOUS']);
    expect(await tlsApiVersions(ssl, { ca, cert: await readFile(certs.strangerCert, 'utf8'), key: await readFile(certs.strangerKey, 'utf8') })).toBe('closed');
    // kcat with its certificate produces on the SSL listener.
    await kcat(['-b', `127.0.0.1:${ssl}`, '-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${certs.caCert}`, '-X', `ssl.certificate.location=${certs.clientCert}`, '-X', `ssl.key.location=${certs.clientKey}`, '-P', '-t', 'tls-mtls'], 120_000, 'hello\n');
  });

  it('plaintext Kafka bytes on a TLS port are refused, and the broker keeps serving', async () => {
    const raw = await RawConnection.open('127.0.0.1', saslSsl);
    await raw.write(requestFrame(18, 0, 1));
    const outcome = await raw.outcome(10_000);
    expect(outcome.frames).toEqual([]);
    expect(outcome.closedByBroker).toBe(true);
    raw.destroy();
    expect(await tlsApiVersions(saslSsl, { ca })).toBe('answered');
  });

  it('ssl.client.auth=required refuses a client without a certificate', async () => {
    await using strict = await startBroker({
      security: { listeners: 'SSL://127.0.0.1:0', ssl: { certificateLocation: certs.serverCert, keyLocation: certs.serverKey, truststoreLocation: certs.caCert, clientAuth: 'required' } },
    });
    expect(await tlsApiVersions(strict.port, { ca })).toBe('closed');
    expect(await tlsApiVersions(strict.port, { ca, cert: await readFile(certs.clientCert, 'utf8'), key: await readFile(certs.clientKey, 'utf8') })).toBe('answered');
  });

  it('no password appears in the log', () => {
    const all = logLines.join('');
    expect(all).toContain('"principal":"User:carol"');
    for (const p of Object.values(PASSWORDS)) expect(all).not.toContain(p);
  });
});
