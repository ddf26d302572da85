// applyRecords and MetadataDelta: pure image changes with structural sharing, and the questions a
// data-plane owner asks of a delta (created, removed, reconfigured, changed partitions).
import { describe, expect, it } from 'vitest';
import { EMPTY_IMAGE, InvalidMetadataRecordError, MetadataDelta, applyRecords, offlineReplicas, type MetadataRecord, type PartitionState } from '../src/index';

const ID_A = 'AAAAAAAAAAAAAAAAAAAAAQ';
const ID_B = 'AAAAAAAAAAAAAAAAAAAAAg';

function p(topic: string, topicId: string, partition: number, replicas: number[], extra: Partial<PartitionState> = {}): MetadataRecord {
  return { type: 'partition', state: { topicId, topic, partition, leader: replicas[0]!, leaderEpoch: 0, partitionEpoch: 0, replicas, isr: replicas, ...extra } };
}

const base = applyRecords(EMPTY_IMAGE, [
  { type: 'registerBroker', broker: { nodeId: 1, host: '127.0.0.1', port: 9092, epoch: 7 } },
  { type: 'registerBroker', broker: { nodeId: 2, host: '127.0.0.1', port: 9093, epoch: 8 } },
  { type: 'topic', name: 'a', topicId: ID_A, configs: {} },
  p('a', ID_A, 0, [1, 2]),
  p('a', ID_A, 1, [2, 1]),
  { type: 'topic', name: 'b', topicId: ID_B, configs: { 'retention.ms': '5' } },
  p('b', ID_B, 0, [1]),
]);

describe('applyRecords', () => {
  it('builds an image and never mutates the previous one', () => {
    expect([...base.brokers.keys()]).toEqual([1, 2]);
    expect(base.topics.get('a')!.partitions.map((s) => s.replicas)).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(base.topicIds.get(ID_B)).toBe('b');
    expect(EMPTY_IMAGE.topics.size).toBe(0);
    const next = applyRecords(base, [p('a', ID_A, 0, [1, 2], { isr: [1], partitionEpoch: 1 })]);
    expect(base.topics.get('a')!.partitions[0]!.isr).toEqual([1, 2]);
    expect(next.topics.get('a')!.partitions[0]!.isr).toEqual([1]);
    // Unchanged parts are shared: identity says "did not change".
    expect(next.topics.get('b')).toBe(base.topics.get('b'));
    expect(next.brokers).toBe(base.brokers);
    expect(Object.isFrozen(next.topics.get('a')!.partitions[0])).toBe(true);
  });

  it('refuses records that do not apply, naming the problem', () => {
    expect(() => applyRecords(base, [p('nope', ID_A, 0, [1])])).toThrow(InvalidMetadataRecordError);
    expect(() => applyRecords(base, [p('a', ID_A, 5, [1])])).toThrow(/the topic has 2 partitions \(no gaps\)/);
    expect(() => applyRecords(base, [p('a', ID_B, 0, [1])])).toThrow(/topic id/);
    expect(() => applyRecords(base, [{ type: 'topic', name: 'a', topicId: ID_B, configs: {} }])).toThrow(/already exists/);
    expect(() => applyRecords(base, [{ type: 'removeTopic', name: 'zz' }])).toThrow(/unknown topic zz/);
    expect(() => applyRecords(applyRecords(base, [{ type: 'producerIds', nextBlockStart: 2000n }]), [{ type: 'producerIds', nextBlockStart: 1000n }])).toThrow(/below/);
    expect(() => applyRecords(base, [{ type: 'topic', name: 'empty', topicId: 'AAAAAAAAAAAAAAAAAAAAAw', configs: {} }])).toThrow(/topic empty has no partitions/);
    expect(new InvalidMetadataRecordError('x').errorCode).toBe(42);
  });

  it('names offline replicas only when the image knows brokers', () => {
    const s = base.topics.get('a')!.partitions[0]!;
    expect(offlineReplicas(applyRecords(base, [{ type: 'unregisterBroker', nodeId: 2 }]), s)).toEqual([2]);
    expect(offlineReplicas(base, s)).toEqual([]);
    expect(offlineReplicas(EMPTY_IMAGE, s)).toEqual([]);
  });
});

describe('MetadataDelta', () => {
  it('answers created, removed, reconfigured and changed partitions', () => {
    const records: MetadataRecord[] = [
      { type: 'removeTopic', name: 'b' },
      { type: 'topic', name: 'c', topicId: ID_B, configs: {} },
      p('c', ID_B, 0, [2]),
      { type: 'config', topic: 'a', configs: { 'cleanup.policy': 'compact' } },
      p('a', ID_A, 1, [2, 1], { leader: 1, leaderEpoch: 1, partitionEpoch: 1 }),
      p('a', ID_A, 2, [1, 2]),
    ];
    const d = new MetadataDelta(base, applyRecords(base, records), records);
    expect(d.topicsCreated().map((t) => t.name)).toEqual(['c']);
    expect(d.topicsRemoved().map((t) => t.name)).toEqual(['b']);
    expect(d.configsChanged().map((t) => t.name)).toEqual(['a']);
    expect(d.partitionsChanged().map((s) => `${s.topic}-${s.partition}`)).toEqual(['a-1', 'a-2', 'c-0']);
    expect(d.brokersChanged()).toBe(false);
  });

  it('treats a topic re-created under a new id as removed and created', () => {
    const records: MetadataRecord[] = [{ type: 'removeTopic', name: 'b' }, { type: 'topic', name: 'b', topicId: 'AAAAAAAAAAAAAAAAAAAAAw', configs: {} }, p('b', 'AAAAAAAAAAAAAAAAAAAAAw', 0, [2])];
    const d = new MetadataDelta(base, applyRecords(base, records), records);
    expect(d.topicsRemoved().map((t) => t.topicId)).toEqual([ID_B]);
    expect(d.topicsCreated().map((t) => t.topicId)).toEqual(['AAAAAAAAAAAAAAAAAAAAAw']);
    expect(d.configsChanged()).toEqual([]);
  });
});
