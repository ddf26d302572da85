// DueQueue hands pending messages out earliest first (equal due times: lower offset first), after
// any mix of pushes, pops and a rebuild.
import { describe, expect, it } from 'vitest';
import { DueQueue } from '../src/due-queue';
import { PendingDelay } from '../src/pending-delay';

const target = { topic: 't', partition: 0 };
const entry = (offset: number, dueAt: number) => new PendingDelay(offset, dueAt, target, Buffer.alloc(0), 0, 0);

function drain(q: DueQueue): [number, number][] {
  const out: [number, number][] = [];
  for (let e = q.pop(); e !== undefined; e = q.pop()) out.push([e.dueAt, e.offset]);
  return out;
}

describe('DueQueue', () => {
  it('pops in (dueAt, offset) order after pushes, pops and a rebuild', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 50;
    const q = new DueQueue();
    const all: PendingDelay[] = [];
    for (let i = 0; i < 500; i++) {
      const e = entry(i, random());
      all.push(e);
      q.push(e);
    }
    const firstTen = Array.from({ length: 10 }, () => q.pop()!);
    const sorted = [...all].sort((a, b) => a.dueAt - b.dueAt || a.offset - b.offset);
    expect(firstTen.map((e) => e.offset)).toEqual(sorted.slice(0, 10).map((e) => e.offset));
    expect(drain(q)).toEqual(sorted.slice(10).map((e) => [e.dueAt, e.offset]));
    q.rebuild([...all].reverse());
    expect(q.size).toBe(500);
    expect(drain(q)).toEqual(sorted.map((e) => [e.dueAt, e.offset]));
    expect(q.peek()).toBeUndefined();
  });
});
