// The client APIs the mq CLI builds on, against a real broker: a consumer that commits only the
// offsets its caller confirms, DeleteRecords, per-name delete results and exact group offsets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaError } from '../src/index';
import { type Harness, startHarness, topicName } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('client support for the CLI', () => {
  it('commit(offsets) with autoCommit off commits exactly what the caller confirms, nothing on close', async () => {
    const topic = topicName('confirm');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    await h.client.producer({ lingerMs: 0 }).send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ value: `m${i}` })) });
    const group = topicName('g');
    const c = h.client.consumer({ groupId: group, autoOffsetReset: 'earliest', autoCommit: false, maxWaitMs: 100 });
    c.subscribe([topic]);
    let seen = 0;
    while (seen < 50) seen += (await c.poll()).length;
    await c.commit([
      { topic, partition: 0, offset: 7n },
      // Not assigned to this member: dropped, not committed.
      { topic, partition: 9, offset: 1n },
    ]);
    await c.poll();
    await c.close();
    const committed = await h.client.admin().committedOffsets(group);
    expect(committed.map((o) => [o.partition, o.offset])).toEqual([[0, 7n]]);
  });

  it('deleteRecords moves the log start; deleteTopicsEach reports each name', async () => {
    const admin = h.client.admin();
    const topic = topicName('trim');
    await admin.createTopics([{ name: topic, numPartitions: 1 }]);
    await h.client.producer({ lingerMs: 0 }).send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ value: `t${i}` })) });
    expect(await admin.deleteRecords(topic, [{ partition: 0, offset: 3n }])).toEqual([{ partition: 0, lowWatermark: 3n }]);
    expect((await admin.listOffsets(topic, 'earliest')).map((o) => o.offset)).toEqual([3n]);
    const results = await admin.deleteTopicsEach([topic, topicName('missing')]);
    expect(results[0]).toEqual({ name: topic });
    expect(results[1]!.error).toBeInstanceOf(KafkaError);
    expect(results[1]!.error!.errorName).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('alterGroupOffsets refuses a group with active members (NON_EMPTY_GROUP); resetOffsets shiftBy clamps', async () => {
    const admin = h.client.admin();
    const topic = topicName('shift');
    await admin.createTopics([{ name: topic, numPartitions: 1 }]);
    await h.client.producer({ lingerMs: 0 }).send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `s${i}` })) });
    const group = topicName('sg');
    await admin.alterGroupOffsets(group, [{ topic, partition: 0, offset: 4n }]);
    expect((await admin.resetOffsets(group, topic, { shiftBy: -2n })).map((p) => p.target)).toEqual([2n]);
    expect((await admin.resetOffsets(group, topic, { shiftBy: 100n })).map((p) => p.target)).toEqual([10n]);
    const member = h.client.consumer({ groupId: group, autoCommit: false, maxWaitMs: 100 });
    member.subscribe([topic]);
    await member.poll();
    await expect(admin.alterGroupOffsets(group, [{ topic, partition: 0, offset: 1n }])).rejects.toMatchObject({ errorName: 'NON_EMPTY_GROUP' });
    await member.close();
  });
});
