// PriorityLanes (Deficit Round Robin over the mq-priority lanes) as a function of its inputs: the
// shares of 100k records handed out to always-backlogged lanes match the weights within ±5 %, an
// idle lane banks no credit, strict priority, and the anti-starvation rule.
import { describe, expect, it } from 'vitest';
import { PriorityLanes } from '../src/priority-lanes';

const DEFAULT_WEIGHTS = [50, 25, 15, 7, 3];

/** Lanes that never run dry: each fetch sees `perLane` candidates in every lane given. */
function backlog(lanes: readonly number[], perLane: number, base: bigint): bigint[][] {
  return [0, 1, 2, 3, 4].map((l) => (lanes.includes(l) ? Array.from({ length: perLane }, (_, i) => base + BigInt(l * perLane + i)) : []));
}

function shares(weights: number[], fetchSize: number, total: number, strict = false): number[] {
  const lanes = new PriorityLanes();
  const policy = { weights, strict, starvationMs: Number.MAX_SAFE_INTEGER };
  let handed = 0;
  let short = 0;
  for (let f = 0; handed < total; f++) {
    const got = lanes.choose(backlog([0, 1, 2, 3, 4], fetchSize, BigInt(f) * 10_000n), Math.min(fetchSize, total - handed), policy, f);
    if (got.length !== Math.min(fetchSize, total - handed)) short++;
    handed += got.length;
  }
  expect(short, 'fetches that got fewer records than asked while every lane had some').toBe(0);
  return lanes.served.map((n) => n / total);
}

describe('PriorityLanes', () => {
  it.each([1, 7, 100, 500])('hands out 100k records by the default weights 50/25/15/7/3 within ±5 percent (fetches of %i)', (fetchSize) => {
    const got = shares(DEFAULT_WEIGHTS, fetchSize, 100_000);
    const sum = DEFAULT_WEIGHTS.reduce((a, b) => a + b, 0);
    got.forEach((share, lane) => {
      const want = DEFAULT_WEIGHTS[lane]! / sum;
      expect(Math.abs(share - want) / want, `lane ${lane}: ${share} vs ${want}`).toBeLessThanOrEqual(0.05);
    });
  });

  it('follows configured weights, and a lane with weight 0 gets nothing while the others are busy', () => {
    const got = shares([1, 1, 0, 0, 2], 50, 100_000);
    expect(got[0]).toBeCloseTo(0.25, 2);
    expect(got[1]).toBeCloseTo(0.25, 2);
    expect(got[4]).toBeCloseTo(0.5, 2);
    expect(got[2]).toBe(0);
  });

  it('gives an idle lane no saved credit: when only lane 4 has records it gets every one, in offset order', () => {
    const lanes = new PriorityLanes();
    const only4 = [[], [], [], [], [10n, 11n, 12n, 13n]];
    expect(lanes.choose(only4, 3, { weights: DEFAULT_WEIGHTS, strict: false, starvationMs: 30_000 }, 0)).toEqual([10n, 11n, 12n]);
    // Lane 0 arrives: it is served by its weight from its first turn (no burst for the waiting time).
    const both = [[1n, 2n, 3n], [], [], [], [13n]];
    const got = lanes.choose(both, 4, { weights: DEFAULT_WEIGHTS, strict: false, starvationMs: 30_000 }, 1);
    expect(got).toEqual(expect.arrayContaining([1n, 2n, 3n, 13n]));
  });

  it('strict priority empties lane 0 before lane 1, and so on', () => {
    const lanes = new PriorityLanes();
    const got = lanes.choose([[5n], [1n, 2n], [], [0n], [3n]], 4, { weights: DEFAULT_WEIGHTS, strict: true, starvationMs: 30_000 }, 0);
    expect(got).toEqual([5n, 1n, 2n, 0n]);
  });

  it('serves a lane that waited mq.priority.starvation.ms next, even under strict priority', () => {
    const lanes = new PriorityLanes();
    const policy = { weights: DEFAULT_WEIGHTS, strict: true, starvationMs: 30_000 };
    const c = [[1n, 2n, 3n, 4n, 5n, 6n], [], [], [], [100n]];
    expect(lanes.choose(c, 2, policy, 0)).toEqual([1n, 2n]);
    expect(lanes.choose(c, 2, policy, 29_999)).toEqual([1n, 2n]);
    // Lane 4 has waited 30 s: served first (a quantum of at least one record), then strict order.
    expect(lanes.choose(c, 2, policy, 30_000)).toEqual([100n, 1n]);
    // Served now: its wait starts again.
    expect(lanes.choose(c, 2, policy, 30_001)).toEqual([1n, 2n]);
  });
});
