// The admin API's share-group routes on a real broker, every answer validated against /openapi.json:
// an HTTP queue consumer (a real share-group member) acquires records, the group's detail shows the
// member, its assignment and the in-flight records; acknowledging moves the start offset and the
// backlog of the share partitions it has state for; an unknown group is 404, deleting a group with members 409, an empty one 204.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiCall } from '../src/openapi-call';

let broker: Awaited<ReturnType<typeof startBroker>>;
let base: string;
let groupsPath: string;

beforeAll(async () => {
  broker = await startBroker({ http: { port: 0 }, share: { autoOffsetReset: 'earliest', recordLockDurationMs: 60_000 } });
  base = `http://127.0.0.1:${broker.http!.port}`;
  const clusters = (await (await fetch(`${base}/v3/clusters`)).json()) as { data: { cluster_id: string }[] };
  groupsPath = `/v3/clusters/${clusters.data[0]!.cluster_id}/share-groups`;
  const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'tasks', numPartitions: 2 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'tasks', messages: Array.from({ length: 10 }, (_, i) => ({ value: `t${i}`, partition: i % 2 })) });
  await producer.disconnect();
});

afterAll(async () => {
  await broker?.stop();
});

const call = openApiCall(() => base);

const LIST = '/v3/clusters/{cluster_id}/share-groups';
const ONE = `${LIST}/{share_group_id}`;

describe('share groups over the admin API', () => {
  it('lists and describes a share group as an HTTP consumer works through it, and deletes it once empty', async () => {
    expect((await call('GET', LIST, groupsPath)).body.data).toEqual([]);
    expect((await call('GET', ONE, `${groupsPath}/nobody`)).status).toBe(404);

    const received: { receipt: string }[] = [];
    while (received.length < 4) {
      const r = await call('POST', '/v1/queues/{group_id}/topics/{topic_name}/receive', '/v1/queues/workers/topics/tasks/receive', {
        consumer_id: 'w1',
        max_messages: 4 - received.length,
        wait_ms: 2000,
      });
      expect(r.status).toBe(200);
      received.push(...r.body.messages);
    }

    const listed = await call('GET', LIST, groupsPath);
    expect(listed.body.data).toEqual([expect.objectContaining({ share_group_id: 'workers', state: 'Stable', member_count: 1 })]);

    let detail = (await call('GET', ONE, `${groupsPath}/workers`)).body;
    expect(detail.members).toHaveLength(1);
    expect(detail.members[0]).toMatchObject({ subscribed_topics: ['tasks'] });
    expect(detail.members[0].assignments.map((a: { partition_id: number }) => a.partition_id).sort()).toEqual([0, 1]);
    expect(detail.total_in_flight).toBe(4);
    // Only partitions the group has started on have state; nothing is finished on them yet.
    const started = detail.partitions.length;
    expect(started).toBeGreaterThanOrEqual(1);
    for (const p of detail.partitions) expect(p).toMatchObject({ topic_name: 'tasks', start_offset: 0, high_watermark: 5, backlog: 5 });
    expect(detail.total_backlog).toBe(5 * started);

    const acked = await call('POST', '/v1/queues/{group_id}/topics/{topic_name}/ack', '/v1/queues/workers/topics/tasks/ack', { receipts: received.map((m) => m.receipt) });
    expect(acked.status).toBe(200);
    detail = (await call('GET', ONE, `${groupsPath}/workers`)).body;
    expect(detail.total_in_flight).toBe(0);
    expect(detail.total_backlog).toBe(5 * started - 4);
    expect(detail.partitions.reduce((n: number, p: { start_offset: number }) => n + p.start_offset, 0)).toBe(4);

    const refused = await call('DELETE', ONE, `${groupsPath}/workers`);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('NON_EMPTY_GROUP');

    expect((await fetch(`${base}/v1/queues/workers/consumers/w1`, { method: 'DELETE' })).status).toBeLessThan(300);
    expect((await call('DELETE', ONE, `${groupsPath}/workers`)).status).toBe(204);
    expect((await call('GET', ONE, `${groupsPath}/workers`)).status).toBe(404);
    expect((await call('GET', LIST, groupsPath)).body.data).toEqual([]);
  });
});
