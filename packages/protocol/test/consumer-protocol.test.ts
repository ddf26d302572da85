// ConsumerProtocolSubscription/Assignment v0-v3: golden bytes and round trips.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../src/consumer-protocol';

describe('consumer protocol', () => {
  it('v0 subscription golden bytes (what kafkajs sends)', () => {
    const bytes = encodeSubscription({ version: 0, topics: ['ab'], userData: null });
    expect(bytes.toString('hex')).toBe('0000' + '00000001' + '0002' + '6162' + 'ffffffff');
    expect(decodeSubscription(bytes)).toMatchObject({ version: 0, topics: ['ab'], userData: null, ownedPartitions: [], generationId: -1 });
  });

  it('v1 assignment golden bytes', () => {
    const bytes = encodeAssignment({ version: 1, assignedPartitions: [{ topic: 't', partitions: [0, 2] }] });
    expect(bytes.toString('hex')).toBe('0001' + '00000001' + '0001' + '74' + '00000002' + '00000000' + '00000002' + 'ffffffff');
    expect(decodeAssignment(Buffer.alloc(0))).toEqual({ version: 0, assignedPartitions: [], userData: null });
  });

  it('round-trips every version', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
        fc.array(fc.record({ topic: fc.string({ maxLength: 5 }), partitions: fc.array(fc.nat(1000), { maxLength: 4 }) }), { maxLength: 3 }),
        fc.option(fc.uint8Array({ maxLength: 8 }), { nil: null }),
        fc.integer({ min: -1, max: 1000 }),
        fc.option(fc.string({ maxLength: 4 }), { nil: null }),
        (version, topics, owned, userData, generationId, rackId) => {
          const ud = userData === null ? null : Buffer.from(userData);
          const s = decodeSubscription(encodeSubscription({ version, topics, userData: ud, ownedPartitions: owned, generationId, rackId }));
          expect(s.topics).toEqual(topics);
          expect(s.userData).toEqual(ud);
          expect(s.ownedPartitions).toEqual(version >= 1 ? owned : []);
          expect(s.generationId).toBe(version >= 2 ? generationId : -1);
          expect(s.rackId).toBe(version >= 3 ? rackId : null);
          const a = decodeAssignment(encodeAssignment({ version, assignedPartitions: owned, userData: ud }));
          expect(a).toEqual({ version, assignedPartitions: owned, userData: ud });
        },
      ),
    );
  });
});
