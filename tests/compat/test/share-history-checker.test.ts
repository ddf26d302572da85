// The share history checker itself: a valid at-least-once history passes; a lost, a stuck, a twice
// accepted, a redelivered-after-accept and a dead consumer's never-returned record are each reported.
import { describe, expect, it } from 'vitest';
import { type ShareAcceptance, type ShareDelivery, checkShareHistory } from '../src/share-history-checker';

let seq = 0;
const got = (member: string, offset: number, deliveryCount: number): ShareDelivery => ({ member, offset, deliveryCount, seq: seq++ });
const acked = (member: string, offset: number): ShareAcceptance => ({ member, offset, seq: seq++ });

describe('checkShareHistory', () => {
  it('accepts every record delivered, accepted once, a dead holder’s record redelivered with a higher count, an in-doubt accept', () => {
    const deliveries = [got('holder', 0, 1), got('c1', 1, 1), got('c1', 2, 1)];
    const acceptances = [acked('c1', 1)];
    // Offset 2's accept failed but the broker counts it done; offset 0 comes back after the holder died.
    deliveries.push(got('c2', 0, 2));
    acceptances.push(acked('c2', 0));
    expect(checkShareHistory({ records: 3, deliveries, acceptances, startOffset: 3n, dead: new Set(['holder']) })).toEqual([]);
  });

  it('reports lost, stuck, twice accepted, delivered after the accept, and a dead holder’s record not redelivered', () => {
    const dead = new Set(['holder']);
    expect(checkShareHistory({ records: 2, deliveries: [got('c1', 0, 1)], acceptances: [acked('c1', 0)], startOffset: 2n, dead })).toEqual(['offset 1 was never delivered']);
    expect(checkShareHistory({ records: 1, deliveries: [got('c1', 0, 1)], acceptances: [], startOffset: 0n, dead })).toEqual([
      'the share-partition start offset is 0: offsets from it on are not acknowledged (lost or stuck)',
    ]);
    const d1 = got('c1', 0, 1);
    const a1 = acked('c1', 0);
    const d2 = got('c2', 0, 2);
    const a2 = acked('c2', 0);
    expect(checkShareHistory({ records: 1, deliveries: [d1, d2], acceptances: [a1, a2], startOffset: 1n, dead })).toEqual([
      'offset 0 accepted 2 times (c1, c2)',
      "offset 0 delivered to c2 (delivery 2) after c1's accept was answered",
    ]);
    const held = got('holder', 0, 1);
    expect(checkShareHistory({ records: 1, deliveries: [held], acceptances: [], startOffset: 1n, dead })).toEqual([
      'offset 0, held by holder when it was killed, was not delivered again',
      'offset 0 was never delivered to a live consumer',
    ]);
    const heldAgain = got('holder', 0, 3);
    const sameCount = got('c1', 0, 3);
    expect(checkShareHistory({ records: 1, deliveries: [heldAgain, sameCount], acceptances: [acked('c1', 0)], startOffset: 1n, dead })).toEqual([
      "offset 0 redelivered to c1 with delivery count 3, not above holder's 3",
    ]);
  });
});
