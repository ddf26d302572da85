// Broker-side validation on a broker without a `_schemas` replica (replication factor 2 of 3, real
// etcd, broker processes) when the HTTP listeners require HTTP Basic: the schemas it fetches from
// the leader go with its inter-broker user (inter.broker.sasl.username / password), so a produce
// there is checked — a registered id stored, an unknown one refused — while a caller without
// credentials still gets 401 from every broker. Injected: requests without credentials, an unknown id.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';

const CT = 'application/vnd.schemaregistry.v1+json';
const ALICE = `Basic ${Buffer.from('alice:alice-pw').toString('base64')}`;
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: {
      'http.port': '0',
      'http.authentication.methods': 'basic',
      'schema.registry.topic.replication.factor': '2',
      // PLAIN users: the HTTP Basic verifier reads them (no SASL listener is needed for that).
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required user_broker="broker-pw" user_alice="alice-pw";',
      'inter.broker.sasl.username': 'broker',
      'inter.broker.sasl.password': 'broker-pw',
      'connection.failed.authentication.delay.ms': '0',
    },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

async function call(nodeId: number, method: string, path: string, body?: unknown, authorization: string | null = ALICE): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${cluster.broker(nodeId).httpPort}${path}`, {
    method,
    headers: { 'Content-Type': CT, ...(authorization === null ? {} : { Authorization: authorization }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Polls `check` until it holds (no timing is asserted: the deadline only bounds a hang). */
async function eventually(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not so within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('validation without a _schemas replica under HTTP Basic', () => {
  it('fetches the schemas from the leader as the broker’s inter-broker user', async () => {
    onTestFailed(() => {
      for (const b of cluster.brokers) console.log(`broker ${b.nodeId}:\n${b.logs().filter((l) => l.includes('schema') || l.includes('http')).slice(-30).join('\n')}`);
    });
    const kafka = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100 } });
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    try {
      let replicas: number[] = [];
      await eventually(async () => {
        replicas = (await admin.fetchTopicMetadata({ topics: ['_schemas'] })).topics[0]!.partitions[0]!.replicas;
        return replicas.length === 2;
      }, '_schemas with 2 replicas');
      const outside = cluster.brokers.map((b) => b.nodeId).find((n) => !replicas.includes(n))!;
      for (const b of cluster.brokers) await eventually(async () => (await call(b.nodeId, 'GET', '/subjects')).status === 200, `broker ${b.nodeId}'s registry`);
      expect((await call(outside, 'GET', '/subjects', undefined, null)).status).toBe(401);
      await admin.createTopics({
        topics: [{ topic: 'notes', replicaAssignment: [{ partition: 0, replicas: [outside, replicas[0]!] }], configEntries: [{ name: 'confluent.value.schema.validation', value: 'true' }] }],
        waitForLeaders: true,
      });
      await eventually(async () => (await admin.fetchTopicMetadata({ topics: ['notes'] })).topics[0]!.partitions[0]!.leader === outside, `notes-0 led by broker ${outside}`);
      const reg = await call(replicas[0]!, 'POST', '/subjects/notes-value/versions', { schema: JSON.stringify({ type: 'record', name: 'Note', fields: [{ name: 'x', type: 'string' }] }) });
      expect(reg.status).toBe(200);
      const framed = (id: number) => {
        const b = Buffer.from([0, 0, 0, 0, 0, 0x02, 0x78]);
        b.writeUInt32BE(id, 1);
        return b;
      };
      expect((await producer.send({ topic: 'notes', acks: -1, messages: [{ value: framed(reg.body.id as number) }] }))[0]!.errorCode).toBe(0);
      const refused = await producer.send({ topic: 'notes', acks: -1, messages: [{ value: framed(999_999) }] }).then(
        () => undefined,
        (e: unknown) => (e as { cause?: { type?: string } }).cause?.type,
      );
      expect(refused).toBe('CORRUPT_MESSAGE');
      expect((await admin.fetchTopicOffsets('notes')).map((o) => o.high)).toEqual(['1']);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
