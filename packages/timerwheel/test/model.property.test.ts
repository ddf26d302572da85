// Property: for random schedule / cancel / advance sequences — with callbacks that schedule and
// cancel other timers — the wheel fires the same timers, at the same times, in the same order as a
// plain model (a list scanned for the smallest (deadline, scheduling order) at each step).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cancel, ManualClock, Timer } from '../src/index';

/** What a timer does when it fires: maybe schedule a child, maybe cancel an earlier timer. */
interface OnFire {
  readonly childDelay: number | null;
  readonly cancelIndex: number | null;
}
type Op =
  | { readonly kind: 'schedule'; readonly delay: number; readonly onFire: OnFire }
  | { readonly kind: 'cancel'; readonly index: number }
  | { readonly kind: 'advance'; readonly ms: number };

/** What a run observed: [timer id, time it fired] in firing order, and every cancel's result. */
interface Trace {
  fired: [number, number][];
  cancels: boolean[];
  pending: number[];
}

/** The clock surface both implementations drive. */
interface Driver {
  now(): number;
  schedule(delay: number, fn: () => void): Cancel;
  advance(ms: number): void;
  pending(): number;
}

function run(ops: readonly Op[], driver: Driver): Trace {
  const trace: Trace = { fired: [], cancels: [], pending: [] };
  const cancels: Cancel[] = [];
  const schedule = (delay: number, onFire: OnFire) => {
    const id = cancels.length;
    cancels.push(
      driver.schedule(delay, () => {
        trace.fired.push([id, driver.now()]);
        if (onFire.cancelIndex !== null && cancels.length > 0) trace.cancels.push(cancels[onFire.cancelIndex % cancels.length]!());
        if (onFire.childDelay !== null) schedule(onFire.childDelay, { childDelay: null, cancelIndex: null });
      }),
    );
  };
  for (const op of ops) {
    if (op.kind === 'schedule') schedule(op.delay, op.onFire);
    else if (op.kind === 'cancel') {
      if (cancels.length > 0) trace.cancels.push(cancels[op.index % cancels.length]!());
    } else driver.advance(op.ms);
    trace.pending.push(driver.pending());
  }
  return trace;
}

/** The model: pending timers in an array; each step takes the minimum (deadline, seq) that is due. */
function modelDriver(): Driver {
  let now = 0;
  let seq = 0;
  const pending: { deadline: number; seq: number; fn: () => void }[] = [];
  return {
    now: () => now,
    schedule(delay, fn) {
      const t = { deadline: now + delay, seq: seq++, fn };
      pending.push(t);
      return () => {
        const i = pending.indexOf(t);
        if (i < 0) return false;
        pending.splice(i, 1);
        return true;
      };
    },
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let best = -1;
        for (let i = 0; i < pending.length; i++) {
          const p = pending[i]!;
          if (p.deadline > target) continue;
          const b = pending[best];
          if (b === undefined || p.deadline < b.deadline || (p.deadline === b.deadline && p.seq < b.seq)) best = i;
        }
        if (best < 0) break;
        const [t] = pending.splice(best, 1);
        now = Math.max(now, t!.deadline);
        t!.fn();
      }
      now = target;
    },
    pending: () => pending.length,
  };
}

function manualClockDriver(): Driver {
  const clock = new ManualClock();
  return {
    now: () => clock.monotonic(),
    schedule: (d, fn) => clock.schedule(d, fn),
    advance: (ms) => void clock.advance(ms),
    pending: () => clock.pending,
  };
}

/** The bare Timer with tiny wheels, so short sequences already climb and cascade through many levels. */
function smallWheelDriver(wheelSize: number): Driver {
  const timer = new Timer({ wheelSize });
  let now = 0;
  let firing = false;
  return {
    now: () => (firing ? timer.currentMs : now),
    schedule(d, fn) {
      const e = timer.add((firing ? timer.currentMs : now) + d, fn);
      return () => timer.cancel(e);
    },
    advance(ms) {
      now += ms;
      firing = true;
      try {
        timer.advanceTo(now, (err) => {
          throw err;
        });
      } finally {
        firing = false;
      }
    },
    pending: () => timer.size,
  };
}

function opsFrom(delay: fc.Arbitrary<number>, advance: fc.Arbitrary<number>): fc.Arbitrary<Op[]> {
  const onFire: fc.Arbitrary<OnFire> = fc.record({
    childDelay: fc.option(delay, { nil: null, freq: 3 }),
    cancelIndex: fc.option(fc.nat(), { nil: null, freq: 2 }),
  });
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('schedule' as const), delay, onFire }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), index: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: advance }) },
  );
  // Ends with a long advance so that every scheduled timer (children included) gets its chance.
  return fc.array(op, { maxLength: 80 }).map((xs) => [...xs, { kind: 'advance' as const, ms: 200 * 86_400_000 }]);
}

const spread = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 0, max: 200 }),
  fc.integer({ min: 0, max: 20_000 }),
  fc.integer({ min: 0, max: 40 * 86_400_000 }),
);
/** Delays from 1 ms to 40 days. */
const ops = opsFrom(spread, spread);
/** Short delays and steps: many timers scheduled at different times for the same ms (ties across levels). */
const crowded = opsFrom(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 12 }));

describe('wheel vs model', () => {
  it('ManualClock fires the same timers at the same times in the same order as the model', () => {
    fc.assert(
      fc.property(ops, (xs) => {
        expect(run(xs, manualClockDriver())).toEqual(run(xs, modelDriver()));
      }),
      { numRuns: 300 },
    );
  });

  it('so does a Timer with 2- and 3-bucket wheels (many overflow levels, constant cascading)', () => {
    fc.assert(
      fc.property(ops, fc.constantFrom(2, 3), (xs, size) => {
        expect(run(xs, smallWheelDriver(size))).toEqual(run(xs, modelDriver()));
      }),
      { numRuns: 300 },
    );
  });

  it('and when many timers share deadlines (crowded short delays, 2- to 4-bucket wheels)', () => {
    fc.assert(
      fc.property(crowded, fc.constantFrom(2, 3, 4), (xs, size) => {
        expect(run(xs, smallWheelDriver(size))).toEqual(run(xs, modelDriver()));
      }),
      { numRuns: 3000 },
    );
  });
});
