// Property test: random append/read/truncate/deleteRecords/reopen/crash sequences against a simple
// in-memory model of Kafka log semantics, on real files with tiny segments so rolls happen often.
import { cp } from 'node:fs/promises';
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { OffsetOutOfRangeError } from '@mq/errors';
import { Compression, buildRecordBatch, readBatchHeader } from '@mq/records';
import { Log } from '../src/index';
import { tempDir } from './helpers/fixtures';
import { readAll } from './helpers/read-all';

type Op =
  | { kind: 'append'; count: number; codec: number }
  | { kind: 'read'; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'deleteRecords'; at: number }
  | { kind: 'reopen' }
  | { kind: 'crash' };

interface ModelBatch {
  base: bigint;
  last: bigint;
  values: string[];
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 6 }), codec: fc.constantFrom(0, 0, 0, Compression.snappy, Compression.zstd) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), at: fc.double({ min: 0, max: 1.2, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1.1, noNaN: true }) }) },
  // maxExcluded: at exactly 1.0 pick() lands on logEndOffset + 1, which DeleteRecords rightly refuses.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteRecords' as const), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
);

const config = { segmentBytes: 600, indexIntervalBytes: 64, maxOpenSegments: 3, flush: 'always' as const };

it('Log behaves like the model over random operation sequences', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), async (ops) => {
      let dir = await tempDir();
      let log = await Log.open(dir, config);
      let batches: ModelBatch[] = [];
      let lso = 0n;
      let leo = 0n;
      let seq = 0;
      const pick = (f: number) => lso + BigInt(Math.floor(f * Number(leo - lso + 1n)));
      try {
        for (const op of ops) {
          switch (op.kind) {
            case 'append': {
              const values = Array.from({ length: op.count }, () => `v${seq++}`);
              const batch = await buildRecordBatch({ records: values.map((v) => ({ key: null, value: Buffer.from(v) })), compression: op.codec });
              const r = await log.append(batch);
              expect(r.baseOffset).toBe(leo);
              batches.push({ base: leo, last: leo + BigInt(op.count - 1), values });
              leo += BigInt(op.count);
              break;
            }
            case 'read': {
              const at = pick(op.at);
              if (at > leo) {
                await expect(log.read(at, 100)).rejects.toBeInstanceOf(OffsetOutOfRangeError);
                break;
              }
              const data = await log.read(at, 1);
              const expected = batches.find((b) => b.last >= at);
              if (expected === undefined) expect(data.length).toBe(0);
              else expect(readBatchHeader(data).baseOffset).toBe(expected.base);
              break;
            }
            case 'truncate': {
              const at = pick(op.at);
              await log.truncateTo(at);
              if (at < leo) {
                if (at < lso) {
                  batches = [];
                  lso = at;
                } else {
                  batches = batches.filter((b) => b.last < at);
                }
                leo = at;
              }
              break;
            }
            case 'deleteRecords': {
              const at = pick(op.at);
              await log.deleteRecordsBefore(at);
              if (at > lso) lso = at;
              break;
            }
            case 'reopen':
              await log.close();
              log = await Log.open(dir, config);
              break;
            case 'crash': {
              // flush=always: everything acknowledged must survive a crash copy of the directory.
              const copy = await tempDir();
              await cp(dir, copy, { recursive: true });
              await log.close();
              dir = copy;
              log = await Log.open(dir, config);
              break;
            }
          }
          expect([log.logStartOffset, log.logEndOffset]).toEqual([lso, leo]);
        }
        const expected = batches.flatMap((b) => b.values.map((v, i) => ({ offset: b.base + BigInt(i), v }))).filter((r) => r.offset >= lso);
        const actual = (await readAll(log)).map((r) => ({ offset: r.offset, v: r.value!.toString() }));
        expect(actual).toEqual(expected);
      } finally {
        await log.close();
      }
    }),
    { numRuns: 40 },
  );
}, 60_000);
