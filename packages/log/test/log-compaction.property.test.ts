// Property test for compaction: random keyed appends (tombstones, codecs) interleaved with compact()
// and reopen. Invariants: every key's newest record survives unchanged at its offset, nothing is
// invented, offsets strictly increase, and sealed segments hold each key at most once after a pass.
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { buildRecordBatch } from '@mq/records';
import { Log } from '../src/index';
import { FakeClock, tempDir } from './helpers/fixtures';
import { readAll } from './helpers/read-all';

type Op = { kind: 'append'; records: { key: number; tombstone: boolean }[]; codec: number } | { kind: 'compact' } | { kind: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('append' as const),
      records: fc.array(fc.record({ key: fc.integer({ min: 0, max: 9 }), tombstone: fc.integer({ min: 0, max: 5 }).map((n) => n === 0) }), { minLength: 1, maxLength: 5 }),
      codec: fc.constantFrom(0, 0, 1, 3, 4),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'compact' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

it('compaction keeps the newest record per key and never invents or reorders data', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
      const dir = await tempDir();
      const clock = new FakeClock(1_000_000);
      // minCleanableDirtyRatio 0: every compact() with anything dirty is a pass, so the per-pass invariant applies.
      const config = { segmentBytes: 400, cleanupPolicy: 'compact' as const, deleteRetentionMs: 1e12, minCleanableDirtyRatio: 0, maxOpenSegments: 2, clock };
      let log = await Log.open(dir, config);
      const history = new Map<bigint, { key: string; value: string | null }>();
      const newest = new Map<string, bigint>();
      let seq = 0;
      try {
        for (const op of ops) {
          if (op.kind === 'append') {
            const records = op.records.map((r) => ({ key: `k${r.key}`, value: r.tombstone ? null : `v${seq++}` }));
            const res = await log.append(
              await buildRecordBatch({
                records: records.map((r) => ({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value), timestamp: 1_000_000n })),
                compression: op.codec,
              }),
            );
            records.forEach((r, i) => {
              history.set(res.baseOffset + BigInt(i), r);
              newest.set(r.key, res.baseOffset + BigInt(i));
            });
          } else if (op.kind === 'compact') {
            await log.compact();
            const activeBase = log.segmentBaseOffsets.at(-1)!;
            const sealedKeys = (await readAll(log)).filter((r) => r.offset < activeBase).map((r) => r.key!.toString());
            expect(new Set(sealedKeys).size).toBe(sealedKeys.length);
          } else {
            await log.close();
            log = await Log.open(dir, config);
          }
        }
        const records = await readAll(log);
        for (let i = 1; i < records.length; i++) expect(records[i]!.offset > records[i - 1]!.offset).toBe(true);
        for (const r of records) {
          const h = history.get(r.offset);
          expect(h).toBeDefined();
          expect(r.key!.toString()).toBe(h!.key);
          expect(r.value?.toString() ?? null).toBe(h!.value);
        }
        const byOffset = new Set(records.map((r) => r.offset));
        for (const [, offset] of newest) expect(byOffset.has(offset)).toBe(true);
        expect(log.logEndOffset).toBe(BigInt(history.size));
      } finally {
        await log.close();
      }
    }),
    { numRuns: 40 },
  );
}, 60_000);
