// The HTTP queue API (issue 13) on a real broker: receive / ack / release / reject with fetch(),
// each answer validated against /openapi.json; a released record and an expired lock come back
// with delivery_count + 1; bad receipts, double acks and stale locks are 4xx JSON; the HTTP consumer
// is a share-group member (kafkajs sees it) whose leaving frees its records.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiCall } from '../src/openapi-call';

// Long enough that a loaded machine settles a receive before its lock runs out (the expiry test shortens it with lock_ms).
const LOCK_MS = 6000;

let broker: Awaited<ReturnType<typeof startBroker>>;
let base: string;
let kafka: Kafka;
let producer: Producer;

beforeAll(async () => {
  broker = await startBroker({ http: { port: 0 }, share: { autoOffsetReset: 'earliest', recordLockDurationMs: LOCK_MS } });
  base = `http://127.0.0.1:${broker.http!.port}`;
  kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: ['jobs', 'expiring', 'polled', 'members', 'other', 'later'].map((topic) => ({ topic, numPartitions: 1 })) });
  await admin.createTopics({ topics: [{ topic: 'wide', numPartitions: 3 }] });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await broker?.stop();
});

/** A request answered as the OpenAPI document says (status and body). */
const call = openApiCall(() => base);

const RECEIVE = '/v1/queues/{group_id}/topics/{topic_name}/receive';
const settleTemplate = (how: string) => `/v1/queues/{group_id}/topics/{topic_name}/${how}`;

const receive = (group: string, topic: string, body: Record<string, unknown> = {}) => call('POST', RECEIVE, `/v1/queues/${group}/topics/${topic}/receive`, { encoding: 'string', ...body });
const settle = (how: 'ack' | 'release' | 'reject', group: string, topic: string, receipts: unknown[]) =>
  call('POST', settleTemplate(how), `/v1/queues/${group}/topics/${topic}/${how}`, { receipts });

async function produce(topic: string, values: string[], headers?: Record<string, string>): Promise<void> {
  await producer.send({ topic, messages: values.map((value, i) => ({ key: `k${i}`, value, ...(headers !== undefined ? { headers } : {}) })) });
}

/** Receives until `n` messages came (each receive may answer fewer). */
async function receiveN(group: string, topic: string, n: number, body: Record<string, unknown> = {}): Promise<any[]> {
  const out: any[] = [];
  while (out.length < n) {
    const r = await receive(group, topic, { max_messages: n - out.length, wait_ms: 2000, ...body });
    expect(r.status).toBe(200);
    out.push(...r.body.messages);
  }
  return out;
}

describe('receive and settle', () => {
  it('acks, releases and rejects by receipt; a released record comes back with delivery_count + 1', async () => {
    await produce('jobs', ['a', 'b', 'c', 'd'], { trace: 'yes' });
    const got = await receiveN('workers', 'jobs', 4);
    expect(got.map((m) => m.value)).toEqual(['a', 'b', 'c', 'd'].map((data) => ({ type: 'STRING', data })));
    expect(got.map((m) => m.offset)).toEqual([0, 1, 2, 3]);
    expect(got[0]).toMatchObject({ topic_name: 'jobs', partition_id: 0, delivery_count: 1, key: { type: 'STRING', data: 'k0' } });
    expect(got[0].headers).toEqual([{ name: 'trace', value: Buffer.from('yes').toString('base64') }]);
    // Nothing else is available: all four are locked to this consumer.
    expect((await receive('workers', 'jobs')).body.messages).toEqual([]);

    const acked = await settle('ack', 'workers', 'jobs', [got[0].receipt, got[1].receipt]);
    expect(acked.status).toBe(200);
    expect(acked.body.results.map((r: { error_code: number }) => r.error_code)).toEqual([0, 0]);
    expect((await settle('reject', 'workers', 'jobs', [got[3].receipt])).status).toBe(200);
    expect((await settle('release', 'workers', 'jobs', [got[2].receipt])).status).toBe(200);

    const again = await receiveN('workers', 'jobs', 1);
    expect(again[0]).toMatchObject({ offset: 2, delivery_count: 2, value: { type: 'STRING', data: 'c' } });
    expect((await settle('ack', 'workers', 'jobs', [again[0].receipt])).status).toBe(200);
    // Accepted and rejected records never come back.
    expect((await receive('workers', 'jobs', { wait_ms: 200 })).body.messages).toEqual([]);
    // The rejected one is dead-lettered (mq.dlq.enable defaults to true) with its reason.
    const clusterId = (await call('GET', '/v3/clusters', '/v3/clusters')).body.data[0].cluster_id;
    const dlqPath = `/v3/clusters/${clusterId}/topics/jobs.dlq/partitions/0/records?encoding=string`;
    const template = '/v3/clusters/{cluster_id}/topics/{topic_name}/partitions/{partition_id}/records';
    await expect.poll(async () => (await call('GET', template, dlqPath)).body?.data?.length ?? 0, { timeout: 20_000 }).toBe(1);
    const [dead] = (await call('GET', template, dlqPath)).body.data;
    expect(dead.value).toEqual({ type: 'STRING', data: 'd' });
    const reason = dead.headers.find((h: { name: string }) => h.name === 'mq-dlq-reason');
    expect(Buffer.from(reason.value, 'base64').toString()).toBe('rejected');
  });

  it('answers a double ack 409, a bad or altered receipt 400, and settles the good receipts of a mixed request', async () => {
    await produce('other', ['x', 'y']);
    const [x, y] = await receiveN('checkers', 'other', 2);
    expect((await settle('ack', 'checkers', 'other', [x.receipt])).status).toBe(200);
    const twice = await settle('ack', 'checkers', 'other', [x.receipt]);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error_code: 40901, results: [{ receipt: x.receipt, error_code: 40901 }] });
    expect((await settle('reject', 'checkers', 'other', [x.receipt])).status).toBe(409);

    const tampered = `${y.receipt.slice(0, -3)}${y.receipt.endsWith('A') ? 'B' : 'A'}${y.receipt.slice(-2)}`;
    const mixed = await settle('ack', 'checkers', 'other', ['not-a-receipt', 42, tampered, y.receipt, y.receipt]);
    expect(mixed.status).toBe(400);
    expect(mixed.body.results.map((r: { error_code: number }) => r.error_code)).toEqual([40002, 40002, 40002, 0, 40901]);
    // y was accepted by that request despite its neighbours.
    expect((await settle('ack', 'checkers', 'other', [y.receipt])).status).toBe(409);

    // A receipt names its group and topic: another path refuses it.
    await produce('other', ['z']);
    const [z] = await receiveN('checkers', 'other', 1);
    expect((await settle('ack', 'other-group', 'other', [z.receipt])).body.results[0].error_code).toBe(40002);
    expect((await settle('ack', 'checkers', 'jobs', [z.receipt])).status).toBe(400);
    expect((await settle('ack', 'checkers', 'other', [z.receipt])).status).toBe(200);
  });

  it('refuses bad bodies, unknown topics and a classic group id with 4xx JSON', async () => {
    const path = '/v1/queues/g/topics/jobs/receive';
    expect((await call('POST', RECEIVE, path, undefined, '{nope')).status).toBe(400);
    expect((await call('POST', RECEIVE, path, [1, 2])).status).toBe(400);
    expect((await call('POST', RECEIVE, path, { max_messages: '3' })).status).toBe(400);
    expect((await call('POST', RECEIVE, path, { max_messages: 0 })).status).toBe(400);
    expect((await call('POST', RECEIVE, path, { wait_ms: 10_000_000 })).status).toBe(400);
    expect((await call('POST', RECEIVE, path, { lock_ms: LOCK_MS * 10 })).status).toBe(400);
    expect((await call('POST', RECEIVE, path, { encoding: 'ebcdic' })).status).toBe(400);
    expect((await call('POST', RECEIVE, path, { consumer_id: '' })).status).toBe(400);
    const unknown = await receive('g', 'no-such-topic');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error_code).toBe(40401);
    expect((await receive('g', '__consumer_offsets')).status).toBe(404);
    const settlePath = '/v1/queues/g/topics/jobs/ack';
    expect((await call('POST', settleTemplate('ack'), settlePath, { receipts: [] })).status).toBe(400);
    expect((await call('POST', settleTemplate('ack'), settlePath, { receipts: 'r1.x.y' })).status).toBe(400);
    expect((await call('POST', settleTemplate('ack'), settlePath, {})).status).toBe(400);

    // A classic group's id is not a share group's.
    const consumer = kafka.consumer({ groupId: 'classic-group' });
    await consumer.connect();
    await consumer.subscribe({ topics: ['jobs'] });
    await consumer.run({ eachMessage: async () => undefined });
    await expect.poll(async () => (await receive('classic-group', 'jobs')).status, { timeout: 30_000 }).toBe(409);
    expect((await receive('classic-group', 'jobs')).body.error_code).toBe(40902);
    await consumer.disconnect();
  });
});

describe('locks', () => {
  it("redelivers a record whose lock_ms ran out with delivery_count + 1; the old receipt is then 410", async () => {
    await produce('expiring', ['slow']);
    const [first] = await receiveN('lockers', 'expiring', 1, { lock_ms: 100 });
    expect(first.delivery_count).toBe(1);
    const [second] = await receiveN('lockers', 'expiring', 1);
    expect(second).toMatchObject({ offset: first.offset, delivery_count: 2 });
    const stale = await settle('ack', 'lockers', 'expiring', [first.receipt]);
    expect(stale.status).toBe(410);
    expect(stale.body.results[0].error_code).toBe(41001);
    // The broker's own lock (group.share.record.lock.duration.ms) ends the second delivery too.
    const [third] = await receiveN('lockers', 'expiring', 1, { wait_ms: LOCK_MS * 4 });
    expect(third).toMatchObject({ offset: first.offset, delivery_count: 3 });
    expect((await settle('ack', 'lockers', 'expiring', [second.receipt])).status).toBe(410);
    expect((await settle('ack', 'lockers', 'expiring', [third.receipt])).status).toBe(200);
  });
});

describe('long poll and membership', () => {
  it('a receive with wait_ms answers when a record is produced', async () => {
    const pending = receive('pollers', 'polled', { wait_ms: 20_000 });
    // The long poll is parked before the record exists: produce only once it is in the group.
    const admin = kafka.admin();
    await admin.connect();
    await expect.poll(async () => (await admin.describeGroups(['pollers'])).groups[0]?.members.length, { timeout: 20_000 }).toBe(1);
    await admin.disconnect();
    await produce('polled', ['late']);
    const r = await pending;
    expect(r.status).toBe(200);
    expect(r.body.messages.map((m: { value: unknown }) => m.value)).toEqual([{ type: 'STRING', data: 'late' }]);
    expect((await settle('ack', 'pollers', 'polled', [r.body.messages[0].receipt])).status).toBe(200);
  });

  it('HTTP consumers are share-group members: listed, assigned partitions, and leaving frees their records', async () => {
    await produce('members', ['m0', 'm1']);
    const held = await receiveN('crew', 'members', 2, { consumer_id: 'alice' });
    expect(held.map((m) => m.delivery_count)).toEqual([1, 1]);
    const admin = kafka.admin();
    await admin.connect();
    const { groups } = await admin.describeGroups(['crew']);
    expect(groups[0]).toMatchObject({ groupId: 'crew', protocolType: 'share', state: 'Stable' });
    expect(groups[0]!.members.map((m) => m.memberId)).toEqual(['alice']);
    // bob gets nothing while alice holds both; once alice leaves, bob receives them (delivery 2).
    expect((await receive('crew', 'members', { consumer_id: 'bob' })).body.messages).toEqual([]);
    const left = await call('DELETE', '/v1/queues/{group_id}/consumers/{consumer_id}', '/v1/queues/crew/consumers/alice');
    expect(left.status).toBe(204);
    expect((await call('DELETE', '/v1/queues/{group_id}/consumers/{consumer_id}', '/v1/queues/crew/consumers/alice')).status).toBe(404);
    const bob = await receiveN('crew', 'members', 2, { consumer_id: 'bob' });
    expect(bob.map((m) => [m.offset, m.delivery_count])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect((await settle('ack', 'crew', 'members', held.map((m) => m.receipt))).status).toBe(410);
    expect((await settle('ack', 'crew', 'members', bob.map((m) => m.receipt))).status).toBe(200);
    const after = await admin.describeGroups(['crew']);
    expect(after.groups[0]!.members.map((m) => m.memberId)).toEqual(['bob']);
    await admin.disconnect();
  });

  it('spreads a 3-partition topic over two HTTP consumers and receives all of it', async () => {
    await producer.send({ topic: 'wide', messages: Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, value: `w${i}` })) });
    const seen = new Set<string>();
    for (let round = 0; round < 20 && seen.size < 30; round++) {
      for (const consumer of ['p', 'q']) {
        const r = await receive('spread', 'wide', { consumer_id: consumer, max_messages: 10, wait_ms: 100 });
        for (const m of r.body.messages) seen.add(m.value.data);
        if (r.body.messages.length > 0) expect((await settle('ack', 'spread', 'wide', r.body.messages.map((m: { receipt: string }) => m.receipt))).status).toBe(200);
      }
    }
    expect(seen.size).toBe(30);
  });
});

describe('produce over HTTP with queue fields', () => {
  it('delay_ms holds the record in the delay store; priority and ttl_ms travel as headers; bad values are 400', async () => {
    const clusters = await call('GET', '/v3/clusters', '/v3/clusters');
    const records = `/v3/clusters/${clusters.body.data[0].cluster_id}/topics/later/records`;
    const template = '/v3/clusters/{cluster_id}/topics/{topic_name}/records';
    const produced = await call('POST', template, records, { value: { type: 'STRING', data: 'soon' }, delay_ms: 300, priority: 1, ttl_ms: 600_000 });
    expect(produced.status).toBe(200);
    expect(produced.body).toMatchObject({ offset: -1, delayed_id: expect.any(String) });
    expect(produced.body.due_at).toBeGreaterThan(0);
    // Not in the log until due; a long poll receives it once the store appends it.
    const [m] = await receiveN('later-workers', 'later', 1, { wait_ms: 10_000 });
    expect(m).toMatchObject({ offset: 0, value: { type: 'STRING', data: 'soon' } });
    const names = m.headers.map((h: { name: string }) => h.name);
    expect(names).toEqual(expect.arrayContaining(['mq-priority', 'mq-ttl-ms', 'mq-delayed-from']));
    const priority = m.headers.find((h: { name: string }) => h.name === 'mq-priority');
    expect(Buffer.from(priority.value, 'base64').toString()).toBe('1');
    expect((await settle('ack', 'later-workers', 'later', [m.receipt])).status).toBe(200);

    const now = await call('POST', template, records, { value: { type: 'STRING', data: 'now' }, priority: 0 });
    expect(now.body.offset).toBe(1);
    for (const bad of [{ priority: 7 }, { priority: '1' }, { ttl_ms: 0 }, { delay_ms: -5 }, { delay_ms: 10, deliver_at: 20 }]) {
      expect((await call('POST', template, records, { value: { type: 'STRING', data: 'x' }, ...bad })).status, JSON.stringify(bad)).toBe(400);
    }
  });
});
