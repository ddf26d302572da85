// The share coordinator's observer on a real TopicManager in a temp dir and a ManualClock: every
// step of a record's life is told in order — acquired, accepted / released / rejected, a lock that
// runs out, a member's release, the archive and the dead letter at its DLQ offset.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicManager } from '@mq/partition';
import { ErrorCode } from '@mq/protocol';
import { buildRecordBatch } from '@mq/records';
import { ManualClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcknowledgeType as A } from '../src/record-state';
import { ShareCoordinator } from '../src/share-coordinator';
import type { ShareStep } from '../src/share-step';

let dir: string;
let clock: ManualClock;
let topics: TopicManager;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-share-observer-'));
  clock = new ManualClock();
  topics = await TopicManager.open({ dataDir: dir, clock });
});
afterEach(async () => {
  await topics.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ShareCoordinator observer', () => {
  it('tells acquire, accept, release, reject, lock timeout, member release, archive and dead letter, in order', async () => {
    const steps: { group: string; partition: number; step: ShareStep }[] = [];
    const share = await ShareCoordinator.open({
      topicManager: topics,
      clock,
      config: { autoOffsetReset: 'earliest', stateTopicNumPartitions: 1, recordLockDurationMs: 1000, deliveryCountLimit: 2 },
      observer: (key, step) => steps.push({ group: key.groupId, partition: key.partition, step }),
    });
    await topics.createTopic('jobs', 1);
    await topics.partition('jobs', 0).append(await buildRecordBatch({ records: ['a', 'b', 'c', 'd', 'e'].map((v) => ({ key: null, value: Buffer.from(v) })) }));

    await share.acquire('g', 'w1', 'jobs', 0, 3);
    expect(await share.acknowledge('g', 'w1', 'jobs', 0, [{ firstOffset: 0n, lastOffset: 2n, acknowledgeTypes: [A.ACCEPT, A.RELEASE, A.REJECT] }])).toBe(ErrorCode.NONE);
    await share.acquire('g', 'w2', 'jobs', 0, 10); // 1 (delivery 2), 3, 4
    clock.advance(1000); // w2's lock runs out: 1 is at the limit (archived, dead-lettered), 3 and 4 available
    await expect.poll(() => steps.filter((s) => s.step.kind === 'dead-lettered').length).toBe(2);
    await share.acquire('g', 'w3', 'jobs', 0, 10); // 3, 4 at their second delivery
    await share.releaseMember('g', 'w3'); // at the limit: archived, dead-lettered
    await expect.poll(() => steps.filter((s) => s.step.kind === 'dead-lettered').length).toBe(3);

    const kinds = steps.map((s) => s.step.kind);
    expect(kinds).toEqual([
      'acquired', 'accepted', 'released', 'rejected', 'dead-lettered', 'archived',
      'acquired', 'lock-timeout', 'dead-lettered', 'archived',
      'acquired', 'member-released', 'dead-lettered', 'archived',
    ]);
    expect(steps.every((s) => s.group === 'g' && s.partition === 0)).toBe(true);
    expect(steps[0]!.step).toEqual({ kind: 'acquired', memberId: 'w1', records: [{ firstOffset: 0n, lastOffset: 2n, deliveryCount: 1 }] });
    expect(steps[3]!.step).toEqual({ kind: 'rejected', memberId: 'w1', offsets: [2n] });
    expect(steps[4]!.step).toEqual({ kind: 'dead-lettered', dlqTopic: 'jobs.dlq', dlqPartition: 0, records: [{ offset: 2n, dlqOffset: 0n }] });
    expect(steps[5]!.step).toEqual({ kind: 'archived', records: [{ offset: 2n, deliveryCount: 1, reason: 'rejected', memberId: 'w1' }] });
    expect(steps[6]!.step).toMatchObject({ kind: 'acquired', memberId: 'w2', records: [{ firstOffset: 1n, lastOffset: 1n, deliveryCount: 2 }, { firstOffset: 3n, lastOffset: 4n, deliveryCount: 1 }] });
    expect(steps[7]!.step).toEqual({ kind: 'lock-timeout', memberId: 'w2', offsets: [1n, 3n, 4n] });
    expect(steps[8]!.step).toEqual({ kind: 'dead-lettered', dlqTopic: 'jobs.dlq', dlqPartition: 0, records: [{ offset: 1n, dlqOffset: 1n }] });
    expect(steps[9]!.step).toMatchObject({ kind: 'archived', records: [{ offset: 1n, reason: 'delivery-limit' }] });
    expect(steps[11]!.step).toEqual({ kind: 'member-released', memberId: 'w3', offsets: [3n, 4n] });
    expect(steps[12]!.step).toEqual({ kind: 'dead-lettered', dlqTopic: 'jobs.dlq', dlqPartition: 0, records: [{ offset: 3n, dlqOffset: 2n }, { offset: 4n, dlqOffset: 3n }] });
    await share.close();
  });
});
