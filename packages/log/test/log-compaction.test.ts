// Compaction on real files: last value per key survives with its offset, tombstones expire,
// batches are rewritten with the same codec, and a crash during the swap is finished on reopen.
import { readdir, rename, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Compression, buildEndTxnMarker, buildRecordBatch } from '@mq/records';
import { Log } from '../src/index';
import { FakeClock, tempDir } from './helpers/fixtures';
import { readAll } from './helpers/read-all';

function kv(key: string, value: string | null, ts: number) {
  return { key: Buffer.from(key), value: value === null ? null : Buffer.from(value), timestamp: BigInt(ts) };
}

describe('compaction', () => {
  it('keeps the newest record per key with original offsets and drops expired tombstones', async () => {
    const clock = new FakeClock(100_000);
    const dir = await tempDir();
    const cfg = { segmentBytes: 800, cleanupPolicy: 'compact' as const, deleteRetentionMs: 10_000, clock };
    const log = await Log.open(dir, cfg);
    const model = new Map<string, { offset: bigint; value: string | null; ts: number }>();
    let offset = 0n;
    for (let round = 0; round < 30; round++) {
      const records = [0, 1, 2].map((j) => {
        const key = `key-${(round * 3 + j) % 7}`;
        const value = round === 20 && j === 0 ? null : `v${round}.${j}`;
        const ts = round < 20 ? 1000 : 95_000;
        model.set(key, { offset: offset + BigInt(j), value, ts });
        return kv(key, value, ts);
      });
      await log.append(await buildRecordBatch({ records, compression: round % 2 ? Compression.lz4 : Compression.none }));
      offset += 3n;
    }
    const before = log.size;
    const leo = log.logEndOffset;
    const stats = await log.compact();
    expect(stats.segmentsCleaned).toBeGreaterThan(0);
    expect(stats.recordsRemoved).toBeGreaterThan(0);
    expect(log.size).toBeLessThan(before);
    expect(log.logEndOffset).toBe(leo);

    const active = log.segmentBaseOffsets.at(-1)!;
    const records = await readAll(log);
    // Offsets strictly increase (gaps allowed) and never change.
    for (let i = 1; i < records.length; i++) expect(records[i]!.offset > records[i - 1]!.offset).toBe(true);
    const cleaned = records.filter((r) => r.offset < active);
    const seen = new Set<string>();
    for (const r of cleaned) {
      const key = r.key!.toString();
      expect(seen.has(key), `duplicate ${key} in the cleaned range`).toBe(false);
      seen.add(key);
    }
    for (const [key, want] of model) {
      const got = records.filter((r) => r.key!.toString() === key).at(-1);
      if (want.value === null && want.offset < active && want.ts < clock.ms - 10_000) {
        expect(got, `${key} tombstone`).toBeUndefined();
      } else {
        expect(got?.offset).toBe(want.offset);
        expect(got?.value?.toString() ?? null).toBe(want.value);
      }
    }

    // Compaction is idempotent and the result survives a reopen.
    const again = await log.compact();
    expect(again.recordsRemoved).toBe(0);
    expect(again.segmentsCleaned).toBe(0); // nothing new sealed, no tombstone due: pass skipped
    await log.close();
    const reopened = await Log.open(dir, cfg);
    expect((await readAll(reopened)).map((r) => r.offset)).toEqual(records.map((r) => r.offset));
    const files = await readdir(dir);
    expect(files.filter((f) => f.includes('cleaned') || f.includes('swap'))).toEqual([]);
    await reopened.close();
  });

  it('removes aborted transactions, keeps open ones untouched, and neither hides a committed value', async () => {
    const clock = new FakeClock(0);
    const log = await Log.open(await tempDir(), { segmentBytes: 300, cleanupPolicy: 'compact', clock });
    const txn = (producerId: bigint, key: string, value: string) => buildRecordBatch({ records: [kv(key, value, 0)], producerId, producerEpoch: 0, baseSequence: 0, transactional: true });
    const marker = (producerId: bigint, commit: boolean) => buildEndTxnMarker({ producerId, producerEpoch: 0, commit, coordinatorEpoch: 0, timestamp: 0n });
    await log.append(await txn(1n, 'a', 'committed')); // 0
    await log.append(await marker(1n, true)); // 1
    await log.append(await txn(2n, 'a', 'aborted')); // 2
    await log.append(await marker(2n, false)); // 3
    await log.append(await buildRecordBatch({ records: [kv('b', 'plain', 0)] })); // 4
    await log.append(await txn(3n, 'b', 'open')); // 5: no marker yet
    for (let i = 0; i < 4; i++) await log.append(await buildRecordBatch({ records: [kv('c', `c${i}`, 0)] })); // 6-9
    const stats = await log.compact();
    expect(stats.recordsRemoved).toBeGreaterThan(0);
    const values = (await readAll(log)).map((r) => [Number(r.offset), r.value?.toString('latin1')]);
    const data = values.filter(([o]) => o !== 1 && o !== 3);
    // 'a' keeps its committed value (the aborted one is gone and did not count as newer); 'b' keeps
    // both: the open transaction's record is not yet a value that supersedes 'plain'.
    expect(data.filter(([o]) => (o as number) < 6)).toEqual([
      [0, 'committed'],
      [4, 'plain'],
      [5, 'open'],
    ]);
    // Both markers stay.
    expect(values.filter(([o]) => o === 1 || o === 3).length).toBe(2);
    await log.close();
  });

  it('drops a marker once its transaction has no record left and it is older than deleteRetentionMs', async () => {
    const clock = new FakeClock(100_000);
    const log = await Log.open(await tempDir(), { segmentBytes: 300, cleanupPolicy: 'compact', deleteRetentionMs: 10_000, clock });
    const txn = (producerId: bigint, key: string, value: string) => buildRecordBatch({ records: [kv(key, value, 95_000)], producerId, producerEpoch: 0, baseSequence: 0, transactional: true });
    const marker = (producerId: bigint, commit: boolean) => buildEndTxnMarker({ producerId, producerEpoch: 0, commit, coordinatorEpoch: 0, timestamp: 95_000n });
    await log.append(await txn(1n, 'a', 'superseded')); // 0
    await log.append(await marker(1n, true)); // 1: its only record is superseded by offset 6
    await log.append(await txn(2n, 'b', 'aborted')); // 2
    await log.append(await marker(2n, false)); // 3: its record goes with the abort
    await log.append(await txn(3n, 'c', 'kept')); // 4
    await log.append(await marker(3n, true)); // 5: its record is still the newest 'c'
    for (let i = 0; i < 4; i++) await log.append(await buildRecordBatch({ records: [kv('a', `a${i}`, 95_000)] })); // 6-9
    const offsets = async () => (await readAll(log)).map((r) => Number(r.offset));

    // Younger than deleteRetentionMs: every marker stays, records are cleaned as before.
    await log.compact();
    let now = await offsets();
    expect(now).toEqual(expect.arrayContaining([1, 3, 4, 5]));
    expect(now).not.toContain(0);
    expect(now).not.toContain(2);

    // Past it: the markers of the two emptied transactions go; the one still holding 'c' stays.
    clock.advance(20_000);
    for (let i = 0; i < 4; i++) await log.append(await buildRecordBatch({ records: [kv('d', `d${i}`, 115_000)] }));
    await log.compact();
    now = await offsets();
    expect(now).not.toContain(1);
    expect(now).not.toContain(3);
    expect(now).toEqual(expect.arrayContaining([4, 5]));
    await log.close();
  });

  it('cleans again once new segments are sealed', async () => {
    const clock = new FakeClock(0);
    const log = await Log.open(await tempDir(), { segmentBytes: 300, cleanupPolicy: 'compact', clock });
    for (let i = 0; i < 6; i++) await log.append(await buildRecordBatch({ records: [kv('a', `v${i}`, 0)] }));
    expect((await log.compact()).recordsRemoved).toBeGreaterThan(0);
    expect((await log.compact()).segmentsCleaned).toBe(0);
    for (let i = 6; i < 12; i++) await log.append(await buildRecordBatch({ records: [kv('a', `v${i}`, 0)] }));
    expect((await log.compact()).recordsRemoved).toBeGreaterThan(0);
    const values = (await readAll(log)).map((r) => r.value!.toString());
    expect(values.filter((v) => v !== 'v11').length).toBeLessThanOrEqual(Math.ceil(300 / 70));
    expect(values.at(-1)).toBe('v11');
    await log.close();
  });

  it('removes tombstones only after deleteRetentionMs', async () => {
    const clock = new FakeClock(50_000);
    const log = await Log.open(await tempDir(), { segmentBytes: 300, cleanupPolicy: 'compact', deleteRetentionMs: 10_000, clock });
    await log.append(await buildRecordBatch({ records: [kv('a', '1', 45_000)] }));
    await log.append(await buildRecordBatch({ records: [kv('a', null, 45_000)] }));
    await log.append(await buildRecordBatch({ records: [kv('b', '1', 45_000)] }));
    await log.append(await buildRecordBatch({ records: [kv('c', '1', 45_000)] }));
    await log.append(await buildRecordBatch({ records: [kv('d', '1', 45_000)] }));
    await log.compact();
    let keys = (await readAll(log)).map((r) => `${r.key}=${r.value ?? 'null'}`);
    expect(keys).toContain('a=null');
    expect(keys).not.toContain('a=1');
    clock.advance(20_000);
    await log.compact();
    keys = (await readAll(log)).map((r) => `${r.key}=${r.value ?? 'null'}`);
    expect(keys.some((k) => k.startsWith('a='))).toBe(false);
    expect(keys).toContain('b=1');
    await log.close();
  });

  it('finishes a swap interrupted by a crash when the log is reopened', async () => {
    const clock = new FakeClock(0);
    const dir = await tempDir();
    const cfg = { segmentBytes: 400, cleanupPolicy: 'compact' as const, clock };
    const log = await Log.open(dir, cfg);
    for (let i = 0; i < 12; i++) await log.append(await buildRecordBatch({ records: [kv(`k${i % 2}`, `v${i}`, 0)] }));
    const expectedBefore = (await readAll(log)).map((r) => r.value!.toString());
    await log.close();
    // Simulate a crash after the cleaned files and the swap marker were written but before the
    // old segments were removed: hand-build a cleaned copy of the first segment with the same data.
    const logs = (await readdir(dir)).filter((f) => f.endsWith('.log')).sort();
    const first = logs[0]!.replace('.log', '');
    const { copyFile } = await import('node:fs/promises');
    await copyFile(`${dir}/${first}.log`, `${dir}/${first}.log.cleaned`);
    await copyFile(`${dir}/${first}.index`, `${dir}/${first}.index.cleaned`);
    await writeFile(`${dir}/${first}.swap`, `${BigInt(logs[1]!.replace('.log', ''))}\n`);
    await writeFile(`${dir}/${logs[1]!.replace('.log', '')}.log.cleaned`, 'leftover without a marker');
    await rename(`${dir}/${first}.timeindex`, `${dir}/${first}.timeindex.cleaned`);
    const reopened = await Log.open(dir, cfg);
    expect((await readAll(reopened)).map((r) => r.value!.toString())).toEqual(expectedBefore);
    const files = await readdir(dir);
    expect(files.filter((f) => f.includes('cleaned') || f.endsWith('.swap'))).toEqual([]);
    await reopened.close();
  });
});
