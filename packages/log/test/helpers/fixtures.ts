// Shared test helpers: temp directories, a settable clock, and a batch maker.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { ManualClock } from '@mq/timerwheel';

const dirs: string[] = [];

export async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'mq-log-'));
  dirs.push(d);
  return d;
}

afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

/** A ManualClock whose wall time starts at `ms`; advance() also runs the log's timers (flush.ms). */
export class FakeClock extends ManualClock {
  constructor(ms = 1_700_000_000_000) {
    super({ wallMs: ms });
  }
  get ms(): number {
    return this.now();
  }
}

/** A batch of `count` records with values `${prefix}-${i}` (or a given size) and keys k<i>. */
export function makeBatch(
  count: number,
  opts: { prefix?: string; valueSize?: number; timestamp?: bigint; keys?: (string | null)[]; values?: (string | null)[] } = {},
): Promise<Buffer> {
  return buildRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({
      key: opts.keys ? (opts.keys[i] === null ? null : Buffer.from(opts.keys[i]!)) : null,
      value: opts.values
        ? opts.values[i] === null
          ? null
          : Buffer.from(opts.values[i]!)
        : opts.valueSize !== undefined
          ? Buffer.alloc(opts.valueSize, i & 0xff)
          : Buffer.from(`${opts.prefix ?? 'v'}-${i}`),
      timestamp: opts.timestamp ?? 1_700_000_000_000n,
    })),
  });
}
