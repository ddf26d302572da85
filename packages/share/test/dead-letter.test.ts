// Dead-letter topics on a real TopicManager in a temp dir: a rejected record and one past the
// delivery limit land in `<topic>.dlq` with their key, value, headers and timestamp plus the
// mq-dlq-* headers; mq.dlq.topic / mq.dlq.enable; and the DLQ append comes before the state that
// archives the record (a failed append leaves it unarchived across a restart, then is retried).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Partition, TopicManager } from '@mq/partition';
import { ErrorCode, KafkaStorageError } from '@mq/protocol';
import { type DecodedRecord, buildRecordBatch, decodeRecordBatch, iterateBatches } from '@mq/records';
import { ManualClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DLQ_HEADERS, deadLetterTopicName } from '../src/dead-letter-queue';
import { AcknowledgeType as A, RecordState } from '../src/record-state';
import { ShareCoordinator } from '../src/share-coordinator';

let dir: string;
let clock: ManualClock;
let topics: TopicManager;

async function openAll(): Promise<ShareCoordinator> {
  topics = await TopicManager.open({ dataDir: dir, clock });
  return ShareCoordinator.open({ topicManager: topics, clock, config: { autoOffsetReset: 'earliest', stateTopicNumPartitions: 1, recordLockDurationMs: 1000, deliveryCountLimit: 2 } });
}

async function produce(topic: string, partition: number, values: string[]): Promise<void> {
  const p = topics.partition(topic, partition);
  await p.append(
    await buildRecordBatch({
      records: values.map((v, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(v), headers: [{ key: 'app', value: Buffer.from(`h-${v}`) }], timestamp: 1_000_000n + BigInt(i) })),
    }),
  );
}

async function readAll(p: Partition): Promise<DecodedRecord[]> {
  const out: DecodedRecord[] = [];
  const buf = await p.read(p.logStartOffset, 1 << 20, p.highWatermark, true);
  for (const s of iterateBatches(buf, false)) out.push(...(await decodeRecordBatch(s.batch)).records);
  return out;
}

const header = (r: DecodedRecord, key: string): string | undefined => r.headers.find((h) => h.key === key)?.value?.toString();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-share-dlq-'));
  clock = new ManualClock();
});
afterEach(async () => {
  await topics.close();
  await rm(dir, { recursive: true, force: true });
});

describe('dead-letter topics', () => {
  it('appends a rejected record and one past the delivery limit to <topic>.dlq with the mq-dlq-* headers, keeping key, value, headers, timestamp', async () => {
    const share = await openAll();
    await topics.createTopic('jobs', 2);
    await produce('jobs', 1, ['a', 'b', 'c']);
    const got = await share.acquire('g', 'w1', 'jobs', 1, 10);
    expect(got.acquired).toEqual([{ firstOffset: 0n, lastOffset: 2n, deliveryCount: 1 }]);
    expect(await share.acknowledge('g', 'w1', 'jobs', 1, [{ firstOffset: 0n, lastOffset: 2n, acknowledgeTypes: [A.REJECT, A.ACCEPT, A.RELEASE] }])).toBe(ErrorCode.NONE);
    const dlq = topics.get('jobs.dlq');
    expect(dlq?.partitions.length).toBe(2);
    let letters = await readAll(dlq!.partitions[1]!);
    expect(letters).toHaveLength(1);
    const [rejected] = letters;
    expect(rejected!.key?.toString()).toBe('k0');
    expect(rejected!.value?.toString()).toBe('a');
    expect(rejected!.timestamp).toBe(1_000_000n);
    expect(header(rejected!, 'app')).toBe('h-a');
    expect(header(rejected!, DLQ_HEADERS.topic)).toBe('jobs');
    expect(header(rejected!, DLQ_HEADERS.partition)).toBe('1');
    expect(header(rejected!, DLQ_HEADERS.offset)).toBe('0');
    expect(header(rejected!, DLQ_HEADERS.group)).toBe('g');
    expect(header(rejected!, DLQ_HEADERS.deliveryCount)).toBe('1');
    expect(header(rejected!, DLQ_HEADERS.reason)).toBe('rejected');
    expect(header(rejected!, DLQ_HEADERS.time)).toBe(String(clock.now()));

    // Offset 2 was released once; its second delivery times out: the limit (2) archives and dead-letters it.
    expect((await share.acquire('g', 'w2', 'jobs', 1, 10)).acquired).toEqual([{ firstOffset: 2n, lastOffset: 2n, deliveryCount: 2 }]);
    clock.advance(1000);
    await vi.waitFor(async () => expect(await readAll(dlq!.partitions[1]!)).toHaveLength(2));
    letters = await readAll(dlq!.partitions[1]!);
    expect(letters[1]!.value?.toString()).toBe('c');
    expect(header(letters[1]!, DLQ_HEADERS.reason)).toBe('delivery-limit');
    expect(header(letters[1]!, DLQ_HEADERS.deliveryCount)).toBe('2');
    expect(share.sharePartitionOf('g', topics.get('jobs')!.topicId, 1)!.startOffset).toBe(3n);
    expect(await readAll(dlq!.partitions[0]!)).toEqual([]);
    await share.close();
  });

  it('names the topic by mq.dlq.topic ({group}, {topic}); mq.dlq.enable=false archives only', async () => {
    expect(deadLetterTopicName('', 'jobs', 'g')).toBe('jobs.dlq');
    expect(deadLetterTopicName('dead.{topic}.{group}', 'jobs', 'g1')).toBe('dead.jobs.g1');
    const share = await openAll();
    await topics.createTopic('per-group', 1, { 'mq.dlq.topic': '{topic}-{group}-dead' });
    await topics.createTopic('off', 1, { 'mq.dlq.enable': 'false' });
    for (const t of ['per-group', 'off']) {
      await produce(t, 0, ['x']);
      await share.acquire('g1', 'w', t, 0, 10);
      expect(await share.acknowledge('g1', 'w', t, 0, [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [A.REJECT] }])).toBe(ErrorCode.NONE);
    }
    const named = topics.get('per-group-g1-dead');
    expect(named?.partitions.length).toBe(1);
    expect((await readAll(named!.partitions[0]!)).map((r) => header(r, DLQ_HEADERS.topic))).toEqual(['per-group']);
    expect(topics.get('off.dlq')).toBeUndefined();
    expect(share.sharePartitionOf('g1', topics.get('off')!.topicId, 0)!.startOffset).toBe(1n);
    await share.close();
  });

  it('writes the dead letter before the state that archives it: a failed append fails the acknowledgement, survives a restart unarchived, and is retried', async () => {
    let share = await openAll();
    await topics.createTopic('jobs', 1);
    await topics.createTopic('jobs.dlq', 1);
    await produce('jobs', 0, ['a']);
    await share.acquire('g', 'w', 'jobs', 0, 10);
    // Fault injection: the DLQ partition's disk fails once.
    const dlqPartition = topics.partition('jobs.dlq', 0);
    dlqPartition.append = () => Promise.reject(new KafkaStorageError('disk gone'));
    expect(await share.acknowledge('g', 'w', 'jobs', 0, [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [A.REJECT] }])).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(await readAll(dlqPartition)).toEqual([]);
    await share.close();
    await topics.close();

    // The archive was never written: after a restart the record is available again (delivery 1 counted).
    share = await openAll();
    const topicId = topics.get('jobs')!.topicId;
    const again = await share.acquire('g', 'w', 'jobs', 0, 10);
    expect(again.acquired).toEqual([{ firstOffset: 0n, lastOffset: 0n, deliveryCount: 2 }]);
    expect(await share.acknowledge('g', 'w', 'jobs', 0, [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [A.REJECT] }])).toBe(ErrorCode.NONE);
    const letters = await readAll(topics.partition('jobs.dlq', 0));
    expect(letters.map((r) => [r.value?.toString(), header(r, DLQ_HEADERS.deliveryCount), header(r, DLQ_HEADERS.reason)])).toEqual([['a', '2', 'rejected']]);
    expect(share.sharePartitionOf('g', topicId, 0)!.recordState(0n)).toBeUndefined();
    await share.close();
  });

  it('retries a failed dead letter before the next state write of the same share-partition', async () => {
    const share = await openAll();
    await topics.createTopic('jobs', 1);
    await topics.createTopic('jobs.dlq', 1);
    await produce('jobs', 0, ['a', 'b']);
    await share.acquire('g', 'w', 'jobs', 0, 10);
    const dlqPartition = topics.partition('jobs.dlq', 0);
    const append = dlqPartition.append.bind(dlqPartition);
    dlqPartition.append = () => Promise.reject(new KafkaStorageError('disk gone'));
    expect(await share.acknowledge('g', 'w', 'jobs', 0, [{ firstOffset: 0n, lastOffset: 0n, acknowledgeTypes: [A.REJECT] }])).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    dlqPartition.append = append;
    expect(await share.acknowledge('g', 'w', 'jobs', 0, [{ firstOffset: 1n, lastOffset: 1n, acknowledgeTypes: [A.ACCEPT] }])).toBe(ErrorCode.NONE);
    expect((await readAll(dlqPartition)).map((r) => r.value?.toString())).toEqual(['a']);
    const sp = share.sharePartitionOf('g', topics.get('jobs')!.topicId, 0)!;
    expect(sp.startOffset).toBe(2n);
    expect(sp.recordState(0n)?.state).not.toBe(RecordState.AVAILABLE);
    await share.close();
  });
});
