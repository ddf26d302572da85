// The schema registry of a 3-broker cluster (real etcd, broker processes) behind HTTPS with mTLS
// authentication and the ACL authorizer: a write reaching a broker that does not lead `_schemas`
// is forwarded to the leader with the forwarding broker's certificate (the user's cannot be passed
// on), naming the user in x-mq-forwarded-principal — so the leader's ACLs apply to the user, not to
// the broker, which has no ACLs here at all. Injected: a user sending that header themselves
// (refused 401), and a broker's forwarded request naming a user without ALTER (refused 403 at the leader).
// The admin API's /v1/delayed forwards the same way: a list, get or cancel through a broker that does
// not lead the message's delay partition reaches its leader naming the user, whose ACLs apply there.
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { makeTestCerts } from '../src/test-certs';

const CT = 'application/vnd.schemaregistry.v1+json';
const ALICE = 'User:CN=alice-client,OU=eng,O=mq';
/** The subject of the certificate every broker presents (makeTestCerts' server certificate). */
const BROKER = 'User:CN=localhost,O=mq';

let dir: string;
let cluster: RunningCluster;
let ca: string;
let alice: { cert: string; key: string };
/** The brokers' own certificate: what a forwarding broker presents. */
let brokerCert: { cert: string; key: string };

interface Answer {
  readonly status: number;
  readonly body: { error_code?: number; message?: string; id?: number } & Record<string, unknown>;
}

function call(nodeId: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, as = alice): Promise<Answer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: cluster.broker(nodeId).httpPort, path, method, ca, ...as, headers: { 'content-type': CT, accept: CT, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
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

const kafka = () => new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100 } });

async function allow(operation: number): Promise<void> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    // kafkajs' enums: CLUSTER = 4, LITERAL = 3, ALLOW = 3.
    await admin.createAcls({ acl: [{ resourceType: 4, resourceName: 'kafka-cluster', resourcePatternType: 3, principal: ALICE, host: '*', operation, permissionType: 3 }] });
  } finally {
    await admin.disconnect();
  }
}

async function leaders(topic: string): Promise<number[]> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions;
    return [...partitions].sort((a, b) => a.partitionId - b.partitionId).map((p) => p.leader);
  } finally {
    await admin.disconnect();
  }
}

const schemasLeader = async (): Promise<number> => (await leaders('_schemas'))[0]!;

const DESCRIBE = 8;
const ALTER = 7;

beforeAll(async () => {
  dir = await makeTempDir('mq-cluster-sr-mtls-');
  const certs = await makeTestCerts(dir);
  ca = await readFile(certs.caCert, 'utf8');
  alice = { cert: await readFile(certs.clientCert, 'utf8'), key: await readFile(certs.clientKey, 'utf8') };
  brokerCert = { cert: await readFile(certs.serverCert, 'utf8'), key: await readFile(certs.serverKey, 'utf8') };
  cluster = await startCluster({
    brokers: 3,
    config: {
      'http.port': '0',
      'http.ssl.enabled': 'true',
      'http.ssl.client.auth': 'requested',
      'http.authentication.methods': 'mtls',
      'ssl.keystore.location': certs.serverKeystore,
      'ssl.truststore.location': certs.caCert,
      'authorizer.class.name': 'mq.acl.StandardAuthorizer',
      // The Kafka listeners are PLAINTEXT (the test's admin client and replication); the brokers'
      // certificate gets no ACLs: a write the leader authorized as the broker would be refused.
      'super.users': 'User:ANONYMOUS',
      'connection.failed.authentication.delay.ms': '0',
      'mq.delayed.topic.num.partitions': '3',
    },
  });
  await allow(DESCRIBE);
  await allow(ALTER);
  for (const b of cluster.brokers) await eventually(async () => (await call(b.nodeId, 'GET', '/subjects')).status === 200, `broker ${b.nodeId}'s registry`);
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  if (dir !== undefined) await removeDir(dir);
});

describe('schema registry forwarding under mTLS authentication', () => {
  it('a write through a follower is authorized at the leader as the user who made it, not as the forwarding broker', async () => {
    onTestFailed(() => {
      for (const b of cluster.brokers) console.log(`broker ${b.nodeId}:\n${b.logs().filter((l) => l.includes('schema') || l.includes('http')).slice(-30).join('\n')}`);
    });
    const leader = await schemasLeader();
    const follower = cluster.brokers.map((b) => b.nodeId).find((n) => n !== leader)!;
    const schema = { schema: JSON.stringify({ type: 'record', name: 'Doc', fields: [{ name: 'a', type: 'string' }] }) };
    const registered = await call(follower, 'POST', '/subjects/docs-value/versions', schema);
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    expect(registered.body.id).toBeGreaterThan(0);
    expect((await call(follower, 'GET', '/subjects/docs-value/versions/latest')).body).toMatchObject({ subject: 'docs-value', version: 1, id: registered.body.id });
  });

  it('at the leader, a broker naming a user gets that user’s ACLs: refused for one without ALTER, served for alice', async () => {
    const leader = await schemasLeader();
    const schema = { schema: JSON.stringify({ type: 'record', name: 'Memo', fields: [{ name: 'b', type: 'string' }] }) };
    const forwarded = (principal: string) => call(leader, 'POST', '/subjects/memos-value/versions', schema, { 'x-mq-forwarded-principal': principal }, brokerCert);
    const mallory = await forwarded('User:CN=mallory,O=mq');
    expect(mallory.status).toBe(403);
    expect(mallory.body.message).toContain('User:CN=mallory,O=mq may not ALTER the cluster');
    // The broker itself (no header) has no ACLs either.
    expect((await call(leader, 'GET', '/subjects', undefined, {}, brokerCert)).status).toBe(403);
    expect((await forwarded(ALICE)).status).toBe(200);
  });

  it('the forwarded-principal header is refused from anyone but a broker', async () => {
    const leader = await schemasLeader();
    const spoofed = await call(leader, 'GET', '/subjects', undefined, { 'x-mq-forwarded-principal': BROKER });
    expect(spoofed.status).toBe(401);
    expect(spoofed.body.message).toContain(`taken only from another broker, and ${ALICE} is not one`);
    // Without it, the same user is served.
    expect((await call(leader, 'GET', '/subjects')).status).toBe(200);
  });
});

describe('/v1/delayed forwarding under mTLS authentication', () => {
  it('lists, gets and cancels through a broker that does not lead the delay partition, as the user', async () => {
    onTestFailed(() => {
      for (const b of cluster.brokers) console.log(`broker ${b.nodeId}:\n${b.logs().filter((l) => l.includes('delay') || l.includes('http')).slice(-30).join('\n')}`);
    });
    const admin = kafka().admin();
    await admin.connect();
    const producer = kafka().producer();
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'later', numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true });
      await producer.send({ topic: 'later', acks: -1, messages: [{ value: 'in an hour', headers: { 'mq-delay-ms': '3600000' } }] });
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
    const value = Buffer.from('in an hour').toString('base64');
    type Listed = { messages?: { id: string; value: string }[] };
    // Every broker's list gathers the other delay leaders' messages (each asked as alice, who may DESCRIBE).
    let id = '';
    for (const b of cluster.brokers) {
      const listed = await call(b.nodeId, 'GET', '/v1/delayed');
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      const mine = (listed.body as Listed).messages?.find((m) => m.value === value);
      expect(mine, `broker ${b.nodeId}'s list`).toBeDefined();
      id = mine!.id;
    }
    const delayLeader = (await leaders('__mq_delayed'))[Number(id.split('-')[0])]!;
    const other = cluster.brokers.map((b) => b.nodeId).find((n) => n !== delayLeader)!;
    expect((await call(other, 'GET', `/v1/delayed/${id}`)).body).toMatchObject({ id, value });
    // At the delay leader a broker naming a user without ALTER is refused as that user.
    const mallory = await call(delayLeader, 'DELETE', `/v1/delayed/${id}`, undefined, { 'x-mq-forwarded-principal': 'User:CN=mallory,O=mq' }, brokerCert);
    expect(mallory.status).toBe(403);
    expect(mallory.body.message).toContain('User:CN=mallory,O=mq may not ALTER the cluster');
    const cancelled = await call(other, 'DELETE', `/v1/delayed/${id}`);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ cancelled: { id } });
    expect((await call(delayLeader, 'GET', `/v1/delayed/${id}`)).status).toBe(404);
  });
});
