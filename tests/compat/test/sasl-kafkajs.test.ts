// SASL on a SASL_PLAINTEXT listener beside a PLAINTEXT one, with kafkajs 2.2.4: PLAIN (users from
// sasl.jaas.config-style text) and SCRAM-SHA-256 (a credential in the metadata store) produce and
// consume; wrong passwords and unknown users are refused (SASL_AUTHENTICATION_FAILED, connection
// closed); each listener's Metadata names its own port; no password reaches the log.
import { Writable } from 'node:stream';
import { startBroker } from '@mq/broker';
import { Kafka, type SASLOptions, logLevel } from 'kafkajs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFrame } from '../src/kafka-frames';
import { RawConnection } from '../src/raw-connection';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const SECRETS = ['alice-secret-pw', 'bob-scram-pw', 'wrong-pw-xyz'];

describe('SASL with kafkajs', () => {
  let broker: Broker;
  const logLines: string[] = [];
  let saslPort: number;
  let plainPort: number;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    broker = await startBroker({
      logger: pino({ level: 'debug' }, sink),
      security: {
        listeners: 'SASL_PLAINTEXT://127.0.0.1:0,PLAINTEXT://127.0.0.1:0',
        jaasConfig: `org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="${SECRETS[0]}";`,
        scramUsers: [{ name: 'bob', mechanism: 'SCRAM-SHA-256', password: SECRETS[1]! }],
      },
    });
    saslPort = broker.listeners.find((l) => l.name === 'SASL_PLAINTEXT')!.port;
    plainPort = broker.listeners.find((l) => l.name === 'PLAINTEXT')!.port;
  });

  afterAll(async () => {
    await broker?.stop();
  });

  const client = (sasl: SASLOptions) =>
    new Kafka({ clientId: 'sasl-test', brokers: [`127.0.0.1:${saslPort}`], sasl, logLevel: logLevel.NOTHING, retry: { retries: 0 } });

  it('binds both listeners on real ports and reports them', () => {
    expect(broker.listeners.map((l) => [l.name, l.securityProtocol])).toEqual([
      ['SASL_PLAINTEXT', 'SASL_PLAINTEXT'],
      ['PLAINTEXT', 'PLAINTEXT'],
    ]);
    expect(saslPort).toBeGreaterThan(0);
    expect(plainPort).toBeGreaterThan(0);
    expect(broker.port).toBe(saslPort);
    const banner = logLines.map((l) => JSON.parse(l) as { msg: string; listeners?: string }).find((l) => l.msg === 'broker listening');
    expect(banner?.listeners).toBe(`SASL_PLAINTEXT://127.0.0.1:${saslPort},PLAINTEXT://127.0.0.1:${plainPort}`);
  });

  it('PLAIN: produces and consumes; Metadata answers the SASL listener’s own port', async () => {
    const kafka = client({ mechanism: 'plain', username: 'alice', password: SECRETS[0]! });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'sasl-plain', numPartitions: 1 }] });
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((b) => b.port)).toEqual([saslPort]);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'sasl-plain', messages: [{ key: 'k1', value: 'v1' }, { key: 'k2', value: 'v2' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'sasl-plain-group', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'sasl-plain', fromBeginning: true });
    const got: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`got ${got.length} of 2 messages`)), 60_000);
      consumer
        .run({
          eachMessage: async ({ message }) => {
            got.push(`${message.key?.toString()}=${message.value?.toString()}`);
            if (got.length === 2) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    expect(got).toEqual(['k1=v1', 'k2=v2']);
  });

  it('SCRAM-SHA-256: a user from the metadata store produces', async () => {
    const producer = client({ mechanism: 'scram-sha-256', username: 'bob', password: SECRETS[1]! }).producer();
    await producer.connect();
    const [r] = await producer.send({ topic: 'sasl-plain', messages: [{ value: 'from-bob' }] });
    expect(r?.errorCode).toBe(0);
    await producer.disconnect();
  });

  it('the PLAINTEXT listener still serves without SASL, and answers its own port', async () => {
    const admin = new Kafka({ clientId: 'plain', brokers: [`127.0.0.1:${plainPort}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((b) => b.port)).toEqual([plainPort]);
    await admin.disconnect();
  });

  it('a wrong password, an unknown user and the wrong mechanism fail with an authentication error', async () => {
    const attempts = [
      client({ mechanism: 'plain', username: 'alice', password: SECRETS[2]! }),
      client({ mechanism: 'plain', username: 'mallory', password: SECRETS[2]! }),
      client({ mechanism: 'scram-sha-256', username: 'bob', password: SECRETS[2]! }),
      client({ mechanism: 'scram-sha-256', username: 'mallory', password: SECRETS[2]! }),
      // alice has a PLAIN password but no SCRAM credential
      client({ mechanism: 'scram-sha-256', username: 'alice', password: SECRETS[0]! }),
    ];
    for (const kafka of attempts) {
      const producer = kafka.producer();
      await expect(producer.connect()).rejects.toThrow(/SASL|[Aa]uthentication/);
      await producer.disconnect();
    }
    const failures = logLines.filter((l) => l.includes('failed authentication'));
    expect(failures.length).toBeGreaterThanOrEqual(attempts.length);
    expect(failures.some((l) => l.includes('"user":"mallory"'))).toBe(true);
  });

  it('before authentication only ApiVersions and the SASL APIs are answered: Metadata closes the connection', async () => {
    const raw = await RawConnection.open('127.0.0.1', saslPort);
    // Metadata v1 with a null topic list (all topics).
    const body = Buffer.alloc(4);
    body.writeInt32BE(-1, 0);
    await raw.write(requestFrame(3, 1, 7, body));
    const outcome = await raw.outcome(5_000);
    expect(outcome.frames).toEqual([]);
    expect(outcome.closedByBroker).toBe(true);
    raw.destroy();
  });

  it('no password (nor the failed one) ever appears in the log', () => {
    const all = logLines.join('');
    expect(all).toContain('authenticated');
    for (const s of SECRETS) expect(all).not.toContain(s);
  });
});
