// Assignors: unit cases and fast-check properties (every partition exactly once, balance within
// one, sticky/cooperative minimal movement, cooperative revoke-then-assign converging in two rounds).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AssignorMember,
  type GroupAssignment,
  type PartitionCounts,
  toTopicPartitions,
  tpKey,
} from '../src/assignor';
import { cooperativeStickyAssignWithRevocations } from '../src/cooperative-sticky-assignor';
import { rangeAssign } from '../src/range-assignor';
import { roundRobinAssign } from '../src/round-robin-assignor';
import { stickyAssign } from '../src/sticky-assignor';

function members(n: number, topics: string[]): AssignorMember[] {
  return Array.from({ length: n }, (_, i) => ({ memberId: `m${String(i).padStart(3, '0')}`, topics }));
}

function allPartitions(counts: PartitionCounts): string[] {
  const out: string[] = [];
  for (const [t, n] of counts) for (let p = 0; p < n; p++) out.push(tpKey(t, p));
  return out.sort();
}

function assignedKeys(a: GroupAssignment): string[] {
  return [...a.values()].flatMap((l) => l.map((tp) => tpKey(tp.topic, tp.partition))).sort();
}

function sizes(a: GroupAssignment): number[] {
  return [...a.values()].map((l) => l.length);
}

/** The members again, now owning what `a` gave them (what they report in their next subscription). */
function withOwned(ms: AssignorMember[], a: GroupAssignment, generationId = 1): AssignorMember[] {
  return ms.map((m) => ({ ...m, ownedPartitions: toTopicPartitions(a.get(m.memberId) ?? []), generationId }));
}

const scenario = fc.record({
  memberCount: fc.integer({ min: 1, max: 12 }),
  counts: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 4 }),
});

describe('range and round-robin', () => {
  it('range gives consecutive ranges, extras first', () => {
    const a = rangeAssign(members(3, ['t']), new Map([['t', 7]]));
    expect([...a.values()].map((l) => l.map((x) => x.partition))).toEqual([[0, 1, 2], [3, 4], [5, 6]]);
  });

  it('round-robin deals partitions across topics in turn', () => {
    const a = roundRobinAssign(members(2, ['a', 'b']), new Map([['a', 3], ['b', 2]]));
    expect([...a.values()].map((l) => l.map((x) => `${x.topic}${x.partition}`))).toEqual([['a0', 'a2', 'b1'], ['a1', 'b0']]);
  });

  it('property: each partition exactly once; range balanced within one per topic, round-robin overall', () => {
    fc.assert(
      fc.property(scenario, ({ memberCount, counts }) => {
        const pc = new Map(counts.map((n, i) => [`t${i}`, n]));
        const ms = members(memberCount, [...pc.keys()]);
        for (const assign of [rangeAssign, roundRobinAssign]) {
          const a = assign(ms, pc);
          expect(assignedKeys(a)).toEqual(allPartitions(pc));
        }
        const rr = sizes(roundRobinAssign(ms, pc));
        expect(Math.max(...rr) - Math.min(...rr)).toBeLessThanOrEqual(1);
        const range = rangeAssign(ms, pc);
        for (const t of pc.keys()) {
          const perTopic = [...range.values()].map((l) => l.filter((x) => x.topic === t).length);
          expect(Math.max(...perTopic) - Math.min(...perTopic)).toBeLessThanOrEqual(1);
        }
      }),
    );
  });
});

describe('sticky', () => {
  it('property: complete, balanced within one, and only over-quota members lose partitions on join/leave', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), ({ memberCount, counts }, joining, leaving) => {
        const pc = new Map(counts.map((n, i) => [`t${i}`, n]));
        const topics = [...pc.keys()];
        const ms = members(memberCount, topics);
        const first = stickyAssign(ms, pc);
        expect(assignedKeys(first)).toEqual(allPartitions(pc));
        const s1 = sizes(first);
        expect(Math.max(...s1) - Math.min(...s1)).toBeLessThanOrEqual(1);

        // Next generation: some leave, some join; survivors report what they own.
        const survivors = withOwned(ms, first).slice(Math.min(leaving, memberCount - 1));
        const joiners = Array.from({ length: joining }, (_, i) => ({ memberId: `new${i}`, topics }));
        const next = [...survivors, ...joiners];
        const second = stickyAssign(next, pc);
        expect(assignedKeys(second)).toEqual(allPartitions(pc));
        const s2 = sizes(second);
        expect(Math.max(...s2) - Math.min(...s2)).toBeLessThanOrEqual(1);
        for (const m of survivors) {
          const before = new Set(first.get(m.memberId)!.map((x) => tpKey(x.topic, x.partition)));
          const after = second.get(m.memberId)!;
          const kept = after.filter((x) => before.has(tpKey(x.topic, x.partition))).length;
          // Minimal movement: a member keeps all it can, i.e. min(what it had, what it now gets).
          expect(kept).toBe(Math.min(before.size, after.length));
        }
      }),
    );
  });

  it('a partition claimed by two members goes to the higher generation', () => {
    const pc = new Map([['t', 2]]);
    const a = stickyAssign(
      [
        { memberId: 'a', topics: ['t'], ownedPartitions: [{ topic: 't', partitions: [0, 1] }], generationId: 1 },
        { memberId: 'b', topics: ['t'], ownedPartitions: [{ topic: 't', partitions: [0] }], generationId: 2 },
      ],
      pc,
    );
    expect(a.get('b')!.map((x) => x.partition)).toEqual([0]);
    expect(a.get('a')!.map((x) => x.partition)).toEqual([1]);
  });
});

describe('cooperative-sticky', () => {
  it('property: never assigns a partition its owner still holds; a second round completes the sticky target', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 3 }), ({ memberCount, counts }, joining) => {
        const pc = new Map(counts.map((n, i) => [`t${i}`, n]));
        const topics = [...pc.keys()];
        const ms = members(memberCount, topics);
        const gen1 = stickyAssign(ms, pc);
        const round1Members: AssignorMember[] = [...withOwned(ms, gen1, 1), ...Array.from({ length: joining }, (_, i) => ({ memberId: `new${i}`, topics }))];
        const r1 = cooperativeStickyAssignWithRevocations(round1Members, pc);
        // Revoke-then-assign: whatever a member gets in round 1 was unowned or already its own.
        const owner = new Map<string, string>();
        for (const m of round1Members) for (const tp of m.ownedPartitions ?? []) for (const p of tp.partitions) owner.set(tpKey(tp.topic, p), m.memberId);
        for (const [memberId, list] of r1.assignment) {
          for (const tp of list) {
            const o = owner.get(tpKey(tp.topic, tp.partition));
            expect(o === undefined || o === memberId).toBe(true);
          }
        }
        const assigned1 = assignedKeys(r1.assignment).length;
        expect(assigned1 + r1.revoking).toBe(allPartitions(pc).length);
        // Round 2: members own their round-1 assignment (revoked partitions were released).
        const r2 = cooperativeStickyAssignWithRevocations(withOwned(round1Members, r1.assignment, 2), pc);
        expect(r2.revoking).toBe(0);
        expect(assignedKeys(r2.assignment)).toEqual(allPartitions(pc));
        const s = sizes(r2.assignment);
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
