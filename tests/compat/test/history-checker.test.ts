// The history checker itself: it must catch a lost, a moved, a duplicated and a reordered record.
import { describe, expect, it } from 'vitest';
import { checkHistory } from '../src/history-checker';

const acked = [
  { partition: 0, offset: 0n, value: 'a' },
  { partition: 0, offset: 1n, value: 'b' },
  { partition: 1, offset: 0n, value: 'c' },
];

describe('checkHistory', () => {
  it('accepts a history where everything acknowledged is read once at its offset (unacknowledged extras allowed once)', () => {
    expect(checkHistory(acked, [...acked, { partition: 1, offset: 1n, value: 'unacked' }])).toEqual([]);
  });
  it('reports lost, moved, duplicated and reordered records', () => {
    expect(checkHistory(acked, [acked[0]!, acked[2]!])).toEqual(['acknowledged b at 0/1 was not read back (lost)']);
    expect(checkHistory(acked, [acked[0]!, { partition: 0, offset: 1n, value: 'x' }, acked[2]!])).toEqual(['acknowledged b at 0/1, read x there']);
    expect(checkHistory(acked, [...acked, { partition: 1, offset: 1n, value: 'a' }])).toEqual(['a read 2 times']);
    expect(checkHistory(acked, [acked[1]!, acked[0]!, acked[2]!])).toEqual(['partition 0: offset 0 read after 1 (out of order or duplicated)']);
  });
});
