// Storage events that drop or refuse data are logged with partition, file, byte and offsets: recovery
// cuts (torn tail, a bit flip mid-log, a garbage segment), and a failed append (ENOSPC on a real
// tiny tmpfs), which must also be refused with KAFKA_STORAGE_ERROR and leave no half batch behind.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, open as openFile, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaStorageError } from '@mq/errors';
import { Log } from '../src/index';
import { CaptureLogger } from './helpers/capture-logger';
import { makeBatch, tempDir } from './helpers/fixtures';
import { readAll } from './helpers/read-all';

/** A partition-like directory (`orders-3`) inside a fresh temp dir. */
async function partitionDir(name = 'orders-3'): Promise<string> {
  const dir = join(await tempDir(), name);
  await mkdir(dir);
  return dir;
}

/** What a crash leaves: a copy taken while the log is open (no clean-shutdown marker). */
async function crashCopy(dir: string, name = 'orders-3'): Promise<string> {
  const copy = join(await tempDir(), name);
  await cp(dir, copy, { recursive: true });
  return copy;
}

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.log')).sort();
}

describe('recovery reports what it cuts', () => {
  it('torn tail: one WARN line naming partition, segment, byte, records and offsets', async () => {
    const dir = await partitionDir();
    const log = await Log.open(dir, { flush: 'always' });
    let tornAt = 0;
    for (let i = 0; i < 10; i++) tornAt = (await log.append(await makeBatch(5))).position;
    const crashed = await crashCopy(dir);
    await log.close();
    const [seg] = await segmentFiles(crashed);
    await truncate(join(crashed, seg!), (await stat(join(crashed, seg!))).size - 3);

    const logger = new CaptureLogger();
    const reopened = await Log.open(crashed, {}, { logger });
    expect(reopened.logEndOffset).toBe(45n);
    const warns = logger.at('warn');
    expect(warns).toHaveLength(1);
    expect(warns[0]!.msg).toContain(`recovery truncated partition orders-3 segment 00000000000000000000.log at byte ${tornAt}: dropped`);
    // The torn batch's header is still readable (only its last 3 bytes are gone) and claims 5 records.
    expect(warns[0]!.msg).toContain('5 records, offsets 45–49');
    expect(warns[0]!.fields).toMatchObject({ partition: 'orders-3', segment: '00000000000000000000.log', position: tornAt, droppedRecords: 5, firstDroppedOffset: '45', lastDroppedOffset: '49' });
    await reopened.close();
  });

  it('bit flip mid-log: ERROR lines for the cut segment and every later segment, with record counts and offsets', async () => {
    const dir = await partitionDir();
    const cfg = { segmentBytes: 2000, flush: 'always' as const };
    const log = await Log.open(dir, cfg);
    const positions: { seg: bigint; pos: number }[] = [];
    let segBase = 0n;
    for (let i = 0; i < 40; i++) {
      const r = await log.append(await makeBatch(4, { valueSize: 40 }));
      if (r.position === 0) segBase = r.baseOffset;
      positions.push({ seg: segBase, pos: r.position });
    }
    expect(log.segmentCount).toBeGreaterThanOrEqual(4);
    const crashed = await crashCopy(dir);
    await log.close();
    const files = await segmentFiles(crashed);
    // Flip one bit inside the records of the third batch of the second segment: CRC mismatch.
    const secondBase = BigInt(files[1]!.slice(0, 20));
    const victim = positions.filter((p) => p.seg === secondBase)[2]!;
    await writeFile(join(crashed, 'log.checkpoint'), '0 0\n'); // rescan everything, as after a crash long ago
    const fh = await openFile(join(crashed, files[1]!), 'r+');
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, victim.pos + 70);
    b[0]! ^= 0x10;
    await fh.write(b, 0, 1, victim.pos + 70);
    await fh.close();

    const logger = new CaptureLogger();
    const reopened = await Log.open(crashed, cfg, { logger });
    const firstLost = secondBase + 8n; // two whole batches of 4 survive in the second segment
    expect(reopened.logEndOffset).toBe(firstLost);
    const errors = logger.at('error');
    expect(errors[0]!.msg).toMatch(
      new RegExp(`^recovery truncated partition orders-3 segment ${files[1]} at byte ${victim.pos}: dropped \\d+ records, offsets ${firstLost}–\\d+ \\(.*CRC`),
    );
    const droppedInSegment = errors[0]!.fields.droppedRecords as number;
    const deleted = errors.slice(1);
    expect(deleted.map((l) => l.fields.segment)).toEqual(files.slice(2));
    for (const l of deleted) expect(l.msg).toMatch(/^recovery deleted partition orders-3 segment \d{20}\.log after a corrupt point: dropped \d+ records, offsets \d+–\d+/);
    // Every record from the cut to the old end is accounted for, and the last offset is the old end.
    const total = droppedInSegment + deleted.reduce((n, l) => n + (l.fields.droppedRecords as number), 0);
    expect(total).toBe(160 - Number(firstLost));
    expect(deleted[deleted.length - 1]!.fields.lastDroppedOffset).toBe('159');
    await reopened.close();
  });

  it('a segment of garbage is cut to zero with a WARN line saying so', async () => {
    const dir = await partitionDir();
    const log = await Log.open(dir, { segmentBytes: 1000, flush: 'always' });
    for (let i = 0; i < 12; i++) await log.append(await makeBatch(2, { valueSize: 50 }));
    const crashed = await crashCopy(dir);
    await log.close();
    const files = await segmentFiles(crashed);
    const last = files[files.length - 1]!;
    const garbage = Buffer.alloc(700);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 131 + 7) & 0xff;
    await writeFile(join(crashed, last), garbage);

    const logger = new CaptureLogger();
    const reopened = await Log.open(crashed, { segmentBytes: 1000 }, { logger });
    expect(reopened.logEndOffset).toBe(BigInt(last.slice(0, 20)));
    const warns = logger.at('warn');
    expect(warns).toHaveLength(1);
    expect(warns[0]!.msg).toContain(`recovery truncated partition orders-3 segment ${last} at byte 0 (segment now empty)`);
    expect(warns[0]!.fields).toMatchObject({ position: 0, truncatedBytes: 700 });
    await reopened.close();
  });

  it('a clean reopen logs nothing and reads no segment', async () => {
    const dir = await partitionDir();
    const log = await Log.open(dir);
    for (let i = 0; i < 5; i++) await log.append(await makeBatch(3));
    await log.close();
    const logger = new CaptureLogger();
    const reopened = await Log.open(dir, {}, { logger });
    expect(reopened.logEndOffset).toBe(15n);
    expect((await readAll(reopened)).length).toBe(15);
    expect(logger.lines).toEqual([]);
    await reopened.close();
  });
});

// ENOSPC needs a filesystem that is really full: a 1 MiB tmpfs (root only; otherwise skipped, say so).
const mounts: string[] = [];
function mountTinyTmpfs(): string | null {
  const dir = join(tmpdir(), `mq-enospc-${process.pid}-${mounts.length}`);
  try {
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return null;
  }
  mounts.push(dir);
  return dir;
}
afterEach(async () => {
  for (const m of mounts.splice(0)) {
    // Lazy when busy (a failed test may leave a log open on it): never leave a mount behind.
    try {
      execFileSync('umount', [m], { stdio: 'ignore' });
    } catch {
      execFileSync('umount', ['-l', m], { stdio: 'ignore' });
    }
    await rm(m, { recursive: true, force: true });
  }
});
const canMount = (() => {
  const d = mountTinyTmpfs();
  if (d === null) return false;
  const probe = mounts.pop()!;
  execFileSync('umount', [probe]);
  execFileSync('rmdir', [probe]);
  return true;
})();

describe.skipIf(!canMount)('ENOSPC on append (real 1 MiB tmpfs)', () => {
  it('is refused with KAFKA_STORAGE_ERROR, logged with partition/segment/byte/offsets, and leaves no half batch', async () => {
    const fs = mountTinyTmpfs()!;
    const dir = join(fs, 'orders-3');
    const logger = new CaptureLogger();
    const log = await Log.open(dir, { flush: 'always' }, { logger });
    // Fill most of the filesystem with acknowledged data.
    const acked: string[] = [];
    let end = 0;
    for (let i = 0; i < 9; i++) {
      const r = await log.append(await makeBatch(1, { valueSize: 100_000 }));
      acked.push(`${r.baseOffset}`);
      end = r.position;
    }
    const sizeBefore = (await stat(join(dir, '00000000000000000000.log'))).size;
    expect(sizeBefore).toBeGreaterThan(end);
    const leo = log.logEndOffset;
    // 300 KB cannot fit in what is left: part of it may land before ENOSPC, and must be cut off again.
    const big = await makeBatch(1, { valueSize: 300_000 });
    const err = await log.append(big).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaStorageError);
    expect((err as KafkaStorageError).errorCode).toBe(56);
    expect((err as Error).message).toContain('ENOSPC');
    expect(log.logEndOffset).toBe(leo);
    expect((await stat(join(dir, '00000000000000000000.log'))).size).toBe(sizeBefore);
    const line = logger.at('error').find((l) => l.fields.errno === 'ENOSPC');
    expect(line?.msg).toBe(
      `append to partition orders-3 segment 00000000000000000000.log at byte ${sizeBefore} failed: ENOSPC (no space left on device); ` +
        `1 batches (${big.length} bytes, offsets ${leo}–${leo}) not stored and not acknowledged`,
    );
    expect(line!.fields).toMatchObject({ partition: 'orders-3', segment: '00000000000000000000.log', position: sizeBefore, batches: 1, bytes: big.length, firstOffset: `${leo}` });

    // The partition is not poisoned: a batch that fits is accepted right after, at the next offset.
    const small = await log.append(await makeBatch(1, { valueSize: 1000 }));
    expect(small.baseOffset).toBe(leo);
    expect((await readAll(log)).length).toBe(10);
    // And a crash now recovers exactly the acknowledged records, with nothing to cut.
    const copy = await crashCopy(dir);
    const recovered = new CaptureLogger();
    const reopened = await Log.open(copy, {}, { logger: recovered });
    expect(reopened.logEndOffset).toBe(leo + 1n);
    expect(reopened.recovery.truncatedBytes).toBe(0);
    expect(recovered.lines).toEqual([]);
    await reopened.close();
    await log.close();
  });
});

describe('EMFILE when a segment must be opened (real fd limit in a child process)', () => {
  it('the read fails with KAFKA_STORAGE_ERROR, one ERROR line names the partition and the errno, and it recovers once fds free up', async () => {
    const dir = await partitionDir();
    const log = await Log.open(dir, { segmentBytes: 1000 });
    for (let i = 0; i < 20; i++) await log.append(await makeBatch(2, { valueSize: 100 }));
    expect(log.segmentCount).toBeGreaterThan(2);
    await log.close();
    const child = fileURLToPath(new URL('./helpers/emfile-reader.ts', import.meta.url));
    const out = execFileSync('prlimit', ['--nofile=64:64', process.execPath, '--conditions=@mq/source', '--import', 'tsx', child, dir], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      fillers: number;
      failed: { name: string; code: number; message: string } | null;
      after: number;
      lines: { level: string; fields: Record<string, unknown>; msg: string }[];
    };
    expect(r.fillers).toBeGreaterThan(0);
    expect(r.failed).toMatchObject({ name: 'KafkaStorageError', errorCode: 56 });
    expect(r.failed!.message).toContain('EMFILE');
    const errors = r.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toMatch(/^read on partition orders-3 failed: EMFILE \(too many open files/);
    expect(errors[0]!.fields).toMatchObject({ partition: 'orders-3', errno: 'EMFILE' });
    expect(r.after).toBeGreaterThan(0);
  });
});
