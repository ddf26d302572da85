// Which __consumer_offsets partition coordinates a group: Kafka's Utils.abs(groupId.hashCode()) %
// partitions, with Java's String.hashCode (int32 overflow, UTF-16 code units) — vectors Java gives.
import { describe, expect, it } from 'vitest';
import { javaStringHashCode, partitionFor } from '../src/consumer-offsets-topic';

describe('partitionFor', () => {
  it('is Java’s String.hashCode', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('a')).toBe(97);
    expect(javaStringHashCode('hello')).toBe(99162322);
    // Overflows int32: "Hello, World!".hashCode() in Java.
    expect(javaStringHashCode('Hello, World!')).toBe(1498789909);
    // The defining sum s[0]·31^(n−1) + … + s[n−1], in BigInt, wrapped to int32.
    for (const s of ['console-consumer-12345', 'orders-processing-group', 'Ωmega-grüppe']) {
      let sum = 0n;
      for (let i = 0; i < s.length; i++) sum += BigInt(s.charCodeAt(i)) * 31n ** BigInt(s.length - 1 - i);
      expect(javaStringHashCode(s)).toBe(Number(BigInt.asIntN(32, sum)));
    }
    // UTF-16 code units, not code points: é is one unit, 😀 two (0xD83D 0xDE00).
    expect(javaStringHashCode('é')).toBe(233);
    expect(javaStringHashCode('😀')).toBe(0xd83d * 31 + 0xde00);
    // The one string whose hashCode is Integer.MIN_VALUE (a classic Java puzzler).
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
  });

  it('is Utils.abs(hashCode) % partitions: negative hashes fold, MIN_VALUE maps to 0', () => {
    expect(partitionFor('hello', 50)).toBe(99162322 % 50);
    const negative = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((c) => `group-${c}`.repeat(3)).find((g) => javaStringHashCode(g) < 0)!;
    expect(partitionFor(negative, 50)).toBe(Math.abs(javaStringHashCode(negative)) % 50);
    expect(partitionFor('polygenelubricants', 50)).toBe(0);
    expect(partitionFor('polygenelubricants', 7)).toBe(0);
    expect(partitionFor('', 50)).toBe(0);
    for (const g of ['a', 'b', 'billing', 'x'.repeat(1000)]) {
      const p = partitionFor(g, 50);
      expect(Number.isInteger(p) && p >= 0 && p < 50).toBe(true);
    }
  });
});
