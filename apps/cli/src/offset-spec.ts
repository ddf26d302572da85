// rpk's consume offset spec: where to start and, optionally, where to stop.
//   start | end | N | +N (N after the log start) | -N (N before the end)
//   [start]:[stop] with stop = N (exclusive) | end (the high watermark seen at start) | empty
//   @T | @T: | @:T | @T1:T2 with T = epoch s/ms/µs/ns (by digit count), an ISO-8601 date/time,
//   -1h/-30m/-10s/-2d (before now), and T2 = +dur (after T1) or end
import { InvalidArgumentError } from 'commander';

export type StartSpec =
  | { kind: 'start' }
  | { kind: 'end' }
  | { kind: 'exact'; offset: bigint }
  | { kind: 'afterStart'; n: bigint }
  | { kind: 'beforeEnd'; n: bigint }
  | { kind: 'timestamp'; ms: bigint };

export type StopSpec = { kind: 'offset'; offset: bigint } | { kind: 'end' } | { kind: 'timestamp'; ms: bigint };

export interface OffsetSpec {
  start: StartSpec;
  stop?: StopSpec;
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, bigint> = { ms: 1n, s: 1000n, m: 60_000n, h: 3_600_000n, d: 86_400_000n };

function duration(s: string): bigint | undefined {
  const m = DURATION.exec(s);
  return m ? BigInt(m[1]!) * UNIT_MS[m[2]!]! : undefined;
}

/** One point in time, or undefined when `s` is not one. */
export function parseTime(s: string, now: () => number = Date.now): bigint | undefined {
  if (s.startsWith('-')) {
    const d = duration(s.slice(1));
    return d === undefined ? undefined : BigInt(now()) - d;
  }
  if (/^\d+$/.test(s)) {
    const n = BigInt(s);
    if (s.length <= 10) return n * 1000n;
    if (s.length <= 13) return n;
    if (s.length <= 16) return n / 1000n;
    return n / 1_000_000n;
  }
  // A bare date or a date-time; Date.parse alone also accepts things like "1" or "June".
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : BigInt(ms);
}

function parseTimeRange(rest: string, now: () => number): OffsetSpec | undefined {
  const whole = parseTime(rest, now);
  if (whole !== undefined) return { start: { kind: 'timestamp', ms: whole } };
  // ISO times contain ':' themselves: try every split and keep the first where both sides parse.
  for (let i = rest.indexOf(':'); i >= 0; i = rest.indexOf(':', i + 1)) {
    const left = rest.slice(0, i);
    const right = rest.slice(i + 1);
    const t1 = left === '' ? undefined : parseTime(left, now);
    if (left !== '' && t1 === undefined) continue;
    const start: StartSpec = t1 === undefined ? { kind: 'start' } : { kind: 'timestamp', ms: t1 };
    if (right === '') return { start };
    if (right === 'end') return { start, stop: { kind: 'end' } };
    const plus = right.startsWith('+') ? duration(right.slice(1)) : undefined;
    if (plus !== undefined && t1 !== undefined) return { start, stop: { kind: 'timestamp', ms: t1 + plus } };
    const t2 = parseTime(right, now);
    if (t2 !== undefined) return { start, stop: { kind: 'timestamp', ms: t2 } };
  }
  return undefined;
}

function parseStart(s: string): StartSpec | undefined {
  if (s === '' || s === 'start' || s === 'oldest') return { kind: 'start' };
  if (s === 'end' || s === 'newest') return { kind: 'end' };
  if (/^\d+$/.test(s)) return { kind: 'exact', offset: BigInt(s) };
  if (/^\+\d+$/.test(s)) return { kind: 'afterStart', n: BigInt(s.slice(1)) };
  if (/^-\d+$/.test(s)) return { kind: 'beforeEnd', n: BigInt(s.slice(1)) };
  return undefined;
}

export function parseOffsetSpec(value: string, now: () => number = Date.now): OffsetSpec {
  const v = value.trim();
  const bad = (): never => {
    throw new InvalidArgumentError(`"${value}" is not an offset spec (start, end, N, +N, -N, N:M, :end, @time, @t1:t2; see --help).`);
  };
  if (v === '') return bad();
  if (v.startsWith('@')) return parseTimeRange(v.slice(1), now) ?? bad();
  const i = v.indexOf(':');
  if (i < 0) return { start: parseStart(v) ?? bad() };
  const start = parseStart(v.slice(0, i)) ?? bad();
  const right = v.slice(i + 1);
  if (right === '') return { start };
  if (right === 'end') return { start, stop: { kind: 'end' } };
  if (/^\d+$/.test(right)) return { start, stop: { kind: 'offset', offset: BigInt(right) } };
  return bad();
}

export const OFFSET_SPEC_HELP = `
Offset spec (--offset), as rpk's:
  start | end            the log start / the end (only new messages)
  N | +N | -N            exactly N / N after the log start / N before the end
  N:M | :M | N:end | :end  stop before offset M / at the end seen at start
  @T | @T1:T2 | @:T2     from / until a time: epoch s or ms, ISO-8601, or -1h, -30m, -2d;
                         T2 may be +duration (after T1) or end
`;
