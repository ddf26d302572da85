// MessageSlabs keeps a copy of each message: across slab boundaries, for a message larger than half
// a slab, and whatever the caller does with its buffer afterwards (the loader reuses its read chunk).
import { describe, expect, it } from 'vitest';
import { MessageSlabs } from '../src/message-slabs';

const target = { topic: 't', partition: 0 };

describe('MessageSlabs', () => {
  it('gives back every message as it was held, after the caller overwrote its buffer', () => {
    const slabs = new MessageSlabs();
    const chunk = Buffer.alloc(64 * 1024);
    const sizes = [0, 1, 100, 4095, 4096, 4097, 6000, 8192, 20_000, 300, 7000, 1];
    const held = sizes.map((size, i) => {
      const view = chunk.subarray(0, size).fill(i + 1);
      return { e: slabs.hold(i, 1000 + i, target, view), expected: Buffer.alloc(size, i + 1) };
    });
    chunk.fill(0xff);
    for (const [i, { e, expected }] of held.entries()) {
      expect(e.offset).toBe(i);
      expect(e.dueAt).toBe(1000 + i);
      expect(e.size).toBe(expected.length);
      expect(e.data.equals(expected), `message ${i} (${expected.length} bytes)`).toBe(true);
    }
  });
});
