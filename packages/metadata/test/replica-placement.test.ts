// Replica placement: leaders rotate over brokers, replicas are distinct, racks are spread before
// any rack holds a second replica, and an impossible factor is INVALID_REPLICATION_FACTOR (38).
import { describe, expect, it } from 'vitest';
import { KafkaError } from '@mq/protocol';
import { placeReplicas } from '../src/index';

const three = [{ nodeId: 1 }, { nodeId: 2 }, { nodeId: 3 }];

describe('placeReplicas', () => {
  it('spreads leaders and keeps replicas distinct', () => {
    const lists = placeReplicas(three, 6, 3);
    expect(lists.map((r) => r[0])).toEqual([1, 2, 3, 1, 2, 3]);
    for (const r of lists) expect(new Set(r).size).toBe(3);
    expect(placeReplicas(three, 3, 1)).toEqual([[1], [2], [3]]);
  });

  it('continues a topic from firstPartition and honours startIndex', () => {
    expect(placeReplicas(three, 2, 1, { firstPartition: 3 })).toEqual([[1], [2]]);
    expect(placeReplicas(three, 1, 1, { startIndex: 2 })).toEqual([[3]]);
  });

  it('puts a partition on every rack before a second replica in one rack', () => {
    const racks = [
      { nodeId: 1, rack: 'a' },
      { nodeId: 2, rack: 'a' },
      { nodeId: 3, rack: 'b' },
      { nodeId: 4, rack: 'b' },
      { nodeId: 5, rack: 'c' },
    ];
    const rackOf = new Map(racks.map((b) => [b.nodeId, b.rack]));
    for (const r of placeReplicas(racks, 10, 3)) expect(new Set(r.map((id) => rackOf.get(id))).size).toBe(3);
    for (const r of placeReplicas(racks, 10, 4)) {
      expect(new Set(r).size).toBe(4);
      expect(new Set(r.map((id) => rackOf.get(id))).size).toBe(3);
    }
  });

  it('refuses a replication factor above the brokers or below 1', () => {
    const err = (() => {
      try {
        placeReplicas([{ nodeId: 0 }], 1, 3);
      } catch (e) {
        return e as KafkaError;
      }
    })();
    expect(err).toBeInstanceOf(KafkaError);
    expect(err!.errorCode).toBe(38);
    expect(err!.message).toBe('replication factor 3 is larger than the 1 available broker');
    expect(() => placeReplicas(three, 1, 0)).toThrow(/at least 1/);
  });
});
