// murmur2 against the golden values in Kafka's UtilsTest.testMurmur2, and the partition it picks.
import { describe, expect, it } from 'vitest';
import { murmur2, murmur2Partition, toPositive } from '../src/murmur2';
import { DefaultPartitioner, RoundRobinPartitioner, StickyPartitioner } from '../src/partitioner';

const golden: Array<[Buffer, number]> = [
  [Buffer.from('21'), -973932308],
  [Buffer.from('foobar'), -790332482],
  [Buffer.from('a-little-bit-long-string'), -985981536],
  [Buffer.from('a-little-bit-longer-string'), -1486304829],
  [Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'), -58897971],
  [Buffer.from([0x61, 0x62, 0x63]), 479470107],
];

describe('murmur2', () => {
  it.each(golden)('matches Kafka Utils.murmur2 for %s', (key, expected) => {
    expect(murmur2(key)).toBe(expected);
  });

  it('toPositive clears the sign bit like Utils.toPositive', () => {
    expect(toPositive(-973932308)).toBe(-973932308 & 0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });

  it('partition = toPositive(murmur2(key)) % n', () => {
    expect(murmur2Partition(Buffer.from('foobar'), 3)).toBe((-790332482 & 0x7fffffff) % 3);
    expect(murmur2(Buffer.alloc(0))).toBe(murmur2(new Uint8Array(0)));
  });
});

describe('partitioners', () => {
  it('default partitioner hashes keys and is stable', () => {
    const p = new DefaultPartitioner();
    const key = Buffer.from('a-little-bit-long-string');
    const expected = (-985981536 & 0x7fffffff) % 12;
    for (let i = 0; i < 5; i++) expect(p.partition({ topic: 't', key, numPartitions: 12 })).toBe(expected);
  });

  it('sticky keeps a partition until its batch closes, then moves', () => {
    const seq = [0.5, 0.5, 0.1];
    const p = new StickyPartitioner(() => seq.shift() ?? 0);
    expect(p.partition({ topic: 't', key: null, numPartitions: 4 })).toBe(2);
    expect(p.partition({ topic: 't', key: null, numPartitions: 4 })).toBe(2);
    p.onNewBatch('t', 2, 4); // random gives 2 again → moves to 3
    expect(p.partition({ topic: 't', key: null, numPartitions: 4 })).toBe(3);
  });

  it('round-robin cycles', () => {
    const p = new RoundRobinPartitioner();
    const got = Array.from({ length: 6 }, () => p.partition({ topic: 't', key: null, numPartitions: 3 }));
    expect(got).toEqual([0, 1, 2, 0, 1, 2]);
  });
});
