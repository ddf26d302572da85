// Broker-side validation on a broker without a `_schemas` replica (replication factor 2 of 3, real
// etcd, broker processes) when the HTTP listeners accept bearer tokens only: the broker fetches the
// schemas from the leader with a token of its own, got by the OAuth client-credentials grant from a
// token endpoint on loopback (confluent.bearer.auth.credentials.source=OAUTHBEARER, as Confluent
// Server's broker towards its Schema Registry) and checked there as any bearer token (RS256 against
// the JWKS). With the ACL authorizer on, the leader authorizes the fetches as the token's subject:
// refused until that principal may DESCRIBE the cluster. Injected: requests without a token (401),
// a first broker token the leader refuses (another issuer: replaced), an unknown id, the broker's
// principal without ACLs.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { JwksServer, TestSigningKeys, claimsFor } from '../src/oauthbearer-tokens';

const CT = 'application/vnd.schemaregistry.v1+json';
const ISSUER = 'https://idp.example.test';
const keys = new TestSigningKeys();
let jwks: JwksServer;
let cluster: RunningCluster;
let alice: string;

beforeAll(async () => {
  jwks = await JwksServer.start(() => keys.jwks(), {
    keys,
    // The first token names another issuer: refused (401) by the leader, so the broker gets a new one.
    clients: new Map([['mq-broker', { secret: 'broker:secret/1', claims: () => claimsFor('mq-broker', 3600, Date.now(), { iss: jwks.tokens.length === 0 ? 'https://other.example.test' : ISSUER }), lifetimeSeconds: 3600 }]]),
  });
  alice = `Bearer ${keys.sign('RS256', claimsFor('alice', 3600, Date.now(), { iss: ISSUER }))}`;
  cluster = await startCluster({
    brokers: 3,
    config: {
      'http.port': '0',
      'http.authentication.methods': 'bearer',
      'sasl.oauthbearer.jwks.endpoint.url': jwks.url,
      'sasl.oauthbearer.expected.issuer': ISSUER,
      'schema.registry.topic.replication.factor': '2',
      'confluent.bearer.auth.credentials.source': 'OAUTHBEARER',
      'confluent.bearer.auth.issuer.endpoint.url': jwks.tokenUrl,
      'confluent.bearer.auth.client.id': 'mq-broker',
      'confluent.bearer.auth.client.secret': 'broker:secret/1',
      'authorizer.class.name': 'mq.acl.StandardAuthorizer',
      // The Kafka listeners are PLAINTEXT (the test's clients and replication); alice registers schemas.
      'super.users': 'User:ANONYMOUS;User:alice',
      'connection.failed.authentication.delay.ms': '0',
    },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await jwks?.close();
});

async function call(nodeId: number, method: string, path: string, body?: unknown, authorization: string | null = alice): Promise<{ status: number; body: Record<string, unknown> }> {
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

describe('validation without a _schemas replica under bearer-only HTTP authentication', () => {
  it('fetches the schemas from the leader with a client-credentials token, authorized as its subject', async () => {
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
      const refusal = (value: Buffer) =>
        producer.send({ topic: 'notes', acks: -1, messages: [{ value }] }).then(
          () => undefined,
          (e: unknown) => (e as { cause?: { type?: string } }).cause?.type,
        );
      // The first token is refused and replaced; the second is good, but its subject may not read the registry yet.
      expect(await refusal(framed(reg.body.id as number))).toBe('CORRUPT_MESSAGE');
      expect(jwks.tokens.length).toBe(2);
      // kafkajs' enums: CLUSTER = 4, LITERAL = 3, DESCRIBE = 8, ALLOW = 3.
      await admin.createAcls({ acl: [{ resourceType: 4, resourceName: 'kafka-cluster', resourcePatternType: 3, principal: 'User:mq-broker', host: '*', operation: 8, permissionType: 3 }] });
      await eventually(async () => (await refusal(framed(reg.body.id as number))) === undefined, 'a produce validated once mq-broker may DESCRIBE');
      expect(await refusal(framed(999_999))).toBe('CORRUPT_MESSAGE');
      expect((await producer.send({ topic: 'notes', acks: -1, messages: [{ value: framed(reg.body.id as number) }, { value: framed(reg.body.id as number) }] }))[0]!.errorCode).toBe(0);
      const high = Number((await admin.fetchTopicOffsets('notes'))[0]!.high);
      expect(high).toBeGreaterThanOrEqual(3);
      // One token for every fetch since: kept until 80% of its hour has passed.
      expect(jwks.tokens.length).toBe(2);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
