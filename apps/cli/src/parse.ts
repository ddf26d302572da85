// Option value parsers for commander: each throws commander's InvalidArgumentError so a bad value
// becomes one "error: option ... argument ... is invalid" line and exit code 2.
import { InvalidArgumentError } from 'commander';
import { parseTime } from './offset-spec';

export function parseIntOption(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`"${value}" is not an integer.`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`must be between ${min} and ${max}.`);
    return n;
  };
}

export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a positive number.`);
  return n;
}

export function parseBigIntOption(value: string): bigint {
  const v = value.trim();
  if (!/^[-+]?\d+$/.test(v)) throw new InvalidArgumentError(`"${value}" is not an integer offset.`);
  return BigInt(v.startsWith('+') ? v.slice(1) : v);
}

/** Milliseconds since epoch, an ISO-8601 date/time, or a time before now (-1h, -30m, -2d). */
export function parseTimestamp(value: string): bigint {
  const v = value.trim();
  if (/^\d+$/.test(v)) return BigInt(v);
  const t = parseTime(v);
  if (t === undefined) throw new InvalidArgumentError(`"${value}" is neither epoch milliseconds, an ISO-8601 date nor a duration ago like -1h.`);
  return t;
}

/** Repeatable `k=v` options collected into a list of pairs (order and duplicates kept). */
export function collectKeyValue(value: string, previous: Array<[string, string]> = []): Array<[string, string]> {
  const i = value.indexOf('=');
  if (i <= 0) throw new InvalidArgumentError(`"${value}" is not key=value.`);
  return [...previous, [value.slice(0, i), value.slice(i + 1)]];
}

export function collectString(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseAcks(value: string): -1 | 0 | 1 {
  if (value === 'all' || value === '-1') return -1;
  if (value === '0') return 0;
  if (value === '1') return 1;
  throw new InvalidArgumentError('must be all, -1, 0 or 1.');
}

/** Repeatable non-negative integer option (e.g. --partition 0 --partition 2). */
export function collectPartition(value: string, previous: number[] = []): number[] {
  return [...previous, parseIntOption(0, 2_147_483_647)(value)];
}

/** One of a fixed set of words. */
export function parseChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`must be one of ${choices.join(', ')}.`);
  };
}
