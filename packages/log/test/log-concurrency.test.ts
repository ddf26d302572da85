// Reads racing appends, retention, truncation and compaction: only typed, expected errors, and
// every read returns whole batches that contain the requested offset.
import { describe, expect, it } from 'vitest';
import { OffsetOutOfRangeError } from '@mq/errors';
import { buildRecordBatch, readBatchHeader, splitBatches } from '@mq/records';
import { Log } from '../src/index';
import { FakeClock, tempDir } from './helpers/fixtures';

describe('concurrency', () => {
  it('readers stay consistent while the writer appends, rolls, expires and compacts', async () => {
    const clock = new FakeClock(1_000_000);
    const log = await Log.open(await tempDir(), {
      segmentBytes: 2000,
      retentionBytes: 20_000,
      retentionMs: -1,
      cleanupPolicy: process.env.NOCOMPACT ? 'delete' : 'compact,delete',
      maxOpenSegments: 3,
      clock,
    });
    let stop = false;
    let reads = 0;
    const writer = (async () => {
      for (let i = 0; i < 400; i++) {
        await log.append(await buildRecordBatch({ records: [{ key: Buffer.from(`k${i % 13}`), value: Buffer.alloc(80, i & 0xff) }] }));
        if (i % 50 === 49) await log.applyRetention();
        if (i % 120 === 119) await log.compact();
      }
      stop = true;
    })();
    const reader = async () => {
      while (!stop) {
        const lso = log.logStartOffset;
        const leo = log.logEndOffset;
        if (leo === lso) {
          await new Promise((r) => setImmediate(r));
          continue;
        }
        const offset = lso + BigInt(Math.floor(Math.random() * Number(leo - lso)));
        try {
          const data = await log.read(offset, 3000);
          const { batches, validBytes } = splitBatches(data);
          expect(validBytes).toBe(data.length);
          if (batches.length > 0) {
            const h = readBatchHeader(batches[0]!.batch);
            expect(h.baseOffset + BigInt(h.lastOffsetDelta) >= offset).toBe(true);
          }
          reads++;
        } catch (err) {
          // Retention may move logStartOffset past the offset we picked.
          if (!(err instanceof OffsetOutOfRangeError)) throw err;
        }
      }
    };
    await Promise.all([writer, reader(), reader(), reader()]);
    expect(reads).toBeGreaterThan(50);
    expect(log.size).toBeLessThan(20_000 + 2000);
    await log.close();
  });
});
