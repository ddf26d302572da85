// ElectLeaders / AlterPartitionReassignments / ListPartitionReassignments against a real single
// broker (node 0, no controller: it plans against its own image): refusals come back per partition
// with their Kafka error codes; the three calls on a real 3-broker cluster are in tests/compat
// (cluster-reassignment.test.ts).
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

describe('partition admin on one broker', () => {
  it('a preferred election of a partition its only replica leads is not needed; unknown partitions are named', async () => {
    const admin = h.client.admin();
    const topic = topicName('elect');
    await admin.createTopics([{ name: topic, numPartitions: 2 }]);
    const results = await admin.electLeaders('preferred', [
      { topic, partition: 0 },
      { topic, partition: 7 },
      { topic: topicName('nope'), partition: 0 },
    ]);
    expect(results.map((r) => [r.partition, r.error?.errorName])).toEqual([
      [0, 'ELECTION_NOT_NEEDED'],
      [7, 'UNKNOWN_TOPIC_OR_PARTITION'],
      [0, 'UNKNOWN_TOPIC_OR_PARTITION'],
    ]);
    expect(results[0]!.error).toBeInstanceOf(KafkaError);
    // Every partition: nothing to elect, so nothing is answered (Kafka's rule for a null list).
    expect(await admin.electLeaders('preferred', null)).toEqual([]);
    const unclean = await admin.electLeaders('unclean', [{ topic, partition: 1 }]);
    expect(unclean[0]!.error?.errorName).toBe('ELECTION_NOT_NEEDED');
  });

  it('reassignment refusals: unknown broker, duplicate replicas, empty list, unknown partition, cancel of nothing', async () => {
    const admin = h.client.admin();
    const topic = topicName('reassign');
    await admin.createTopics([{ name: topic, numPartitions: 1 }]);
    const results = await admin.alterPartitionReassignments([
      { topic, partition: 0, replicas: [0, 5] },
      { topic: topicName('nope'), partition: 0, replicas: [0] },
    ]);
    expect(results.map((r) => r.error?.errorName)).toEqual(['INVALID_REPLICA_ASSIGNMENT', 'UNKNOWN_TOPIC_OR_PARTITION']);
    expect(results[0]!.error!.message).toMatch(/unknown brokers: 5/);
    const [dup] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: [0, 0] }]);
    expect(dup!.error?.errorName).toBe('INVALID_REPLICA_ASSIGNMENT');
    const [empty] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: [] }]);
    expect(empty!.error?.errorName).toBe('INVALID_REPLICA_ASSIGNMENT');
    const [cancel] = await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: null }]);
    expect(cancel!.error?.errorName).toBe('NO_REASSIGNMENT_IN_PROGRESS');
    // The same replicas: nothing to do, accepted.
    expect(await admin.alterPartitionReassignments([{ topic, partition: 0, replicas: [0] }])).toEqual([{ topic, partition: 0 }]);
    expect(await admin.listPartitionReassignments()).toEqual([]);
    expect(await admin.listPartitionReassignments([{ topic, partition: 0 }])).toEqual([]);
    await expect(admin.alterPartitionReassignments([{ topic, partition: -1, replicas: [0] }])).rejects.toThrow(/not a partition index/);
  });
});
