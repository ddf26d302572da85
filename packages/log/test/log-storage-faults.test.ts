// Faults injected through the FileSystem seam (@mq/log/testing): a write, fdatasync or open that fails
// with EIO / ENOSPC / EMFILE is never acknowledged, leaves no byte of its batch behind, and the log
// takes writes again — at the next offset — once the fault clears (per-log repair on the next append).
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KafkaStorageError } from '@mq/errors';
import { type FileSystem, Log, nodeFileSystem } from '../src/index';
import { FaultyFileSystem } from '../src/testing/index';
import { makeBatch, tempDir } from './helpers/fixtures';
import { readAll } from './helpers/read-all';

const SEGMENT = /\.log$/;

async function values(log: Log): Promise<string[]> {
  return (await readAll(log)).map((r) => r.value!.toString());
}

async function segmentBytes(dir: string): Promise<number> {
  return (await stat(join(dir, '00000000000000000000.log'))).size;
}

describe('a failed write through the seam', () => {
  it('ENOSPC mid-writev: refused with KAFKA_STORAGE_ERROR, the half batch cut off, the next append takes its offset', async () => {
    const fs = new FaultyFileSystem();
    const dir = await tempDir();
    const log = await Log.open(dir, { flush: 'always' }, { fs });
    await log.append(await makeBatch(2, { prefix: 'a' }));
    const good = await segmentBytes(dir);
    const fault = fs.inject({ op: 'writev', path: SEGMENT, code: 'ENOSPC', partial: true });
    const err = await log.append(await makeBatch(3, { prefix: 'lost' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaStorageError);
    expect((err as KafkaStorageError).errorCode).toBe(56);
    expect(fault.hits).toBe(1);
    expect(log.logEndOffset).toBe(2n);
    expect(await segmentBytes(dir)).toBe(good); // the half batch that landed is gone again
    // While the disk is full every append is refused, and nothing is acknowledged.
    await expect(log.append(await makeBatch(1, { prefix: 'lost2' }))).rejects.toMatchObject({ errorCode: 56 });
    fault.clear();
    expect((await log.append(await makeBatch(1, { prefix: 'b' }))).baseOffset).toBe(2n);
    expect(await values(log)).toEqual(['a-0', 'a-1', 'b-0']);
    await log.close();
    const reopened = await Log.open(dir);
    expect(reopened.recovery.truncatedBytes).toBe(0);
    expect(await values(reopened)).toEqual(['a-0', 'a-1', 'b-0']);
    await reopened.close();
  });

  it('EIO on fdatasync: the written batch is not acknowledged, not readable, and cut off before the next append', async () => {
    const fs = new FaultyFileSystem();
    const dir = await tempDir();
    const log = await Log.open(dir, { flush: 'always' }, { fs });
    await log.append(await makeBatch(1, { prefix: 'a' }));
    const good = await segmentBytes(dir);
    const fault = fs.inject({ op: 'fdatasync', path: SEGMENT, code: 'EIO' });
    await expect(log.append(await makeBatch(2, { prefix: 'unsynced' }))).rejects.toMatchObject({ errorCode: 56 });
    expect(log.logEndOffset).toBe(1n);
    expect(await values(log)).toEqual(['a-0']);
    // The cut happened (ftruncate works); its own fdatasync still fails, so the log keeps refusing.
    expect(await segmentBytes(dir)).toBe(good);
    await expect(log.append(await makeBatch(1, { prefix: 'still' }))).rejects.toMatchObject({ errorCode: 56 });
    fault.clear();
    expect((await log.append(await makeBatch(1, { prefix: 'b' }))).baseOffset).toBe(1n);
    expect(await values(log)).toEqual(['a-0', 'b-0']);
    await log.close();
    const reopened = await Log.open(dir);
    expect(await values(reopened)).toEqual(['a-0', 'b-0']);
    await reopened.close();
  });

  it('EMFILE opening the next segment on a roll: refused, the rolled-in segment removed, appends resume after', async () => {
    const fs = new FaultyFileSystem();
    const dir = await tempDir();
    const log = await Log.open(dir, { flush: 'always', segmentBytes: 300 }, { fs });
    await log.append(await makeBatch(1, { values: [`a-0${'.'.repeat(150)}`] }));
    const fault = fs.inject({ op: 'open', path: /00000000000000000001\.log$/, code: 'EMFILE' });
    await expect(log.append(await makeBatch(1, { values: [`x-0${'.'.repeat(200)}`] }))).rejects.toMatchObject({ errorCode: 56 });
    expect(log.segmentCount).toBe(1);
    fault.clear();
    expect((await log.append(await makeBatch(1, { values: [`b-0${'.'.repeat(200)}`] }))).baseOffset).toBe(1n);
    expect(log.segmentCount).toBe(2);
    expect((await values(log)).map((v) => v.slice(0, 3))).toEqual(['a-0', 'b-0']);
    await log.close();
    const reopened = await Log.open(dir);
    expect(reopened.recovery.truncatedBytes).toBe(0);
    expect((await values(reopened)).map((v) => v.slice(0, 3))).toEqual(['a-0', 'b-0']);
    await reopened.close();
  });

  it('a group that rolled and then failed its fsync loses the rolled-in segment and the old one is active again', async () => {
    const fs = new FaultyFileSystem();
    const dir = await tempDir();
    const log = await Log.open(dir, { flush: 'always', segmentBytes: 300 }, { fs });
    await log.append(await makeBatch(1, { values: [`a-0${'.'.repeat(150)}`] }));
    const fault = fs.inject({ op: 'fdatasync', path: /00000000000000000001\.log$/, code: 'EIO', times: 1 });
    await expect(log.append(await makeBatch(1, { values: [`x-0${'.'.repeat(200)}`] }))).rejects.toMatchObject({ errorCode: 56 });
    expect(fault.hits).toBe(1);
    expect([log.logEndOffset, log.segmentCount]).toEqual([1n, 1]);
    expect((await log.append(await makeBatch(1, { values: [`b-0${'.'.repeat(200)}`] }))).baseOffset).toBe(1n);
    await log.close();
    const reopened = await Log.open(dir);
    expect((await values(reopened)).map((v) => v.slice(0, 3))).toEqual(['a-0', 'b-0']);
    await reopened.close();
  });

  it('EIO on read: read answers KAFKA_STORAGE_ERROR while it lasts and serves again after', async () => {
    const fs = new FaultyFileSystem();
    const dir = await tempDir();
    const log = await Log.open(dir, { flush: 'always' }, { fs });
    await log.append(await makeBatch(2, { prefix: 'a' }));
    const fault = fs.inject({ op: 'read', path: SEGMENT, code: 'EIO' });
    await expect(log.read(0n, 1 << 20)).rejects.toMatchObject({ errorCode: 56 });
    fault.clear();
    expect(await values(log)).toEqual(['a-0', 'a-1']);
    await log.close();
  });
});

describe('fsync-before-ack through the seam', () => {
  it("flush 'always': no append resolves before the fdatasync of its bytes returned", async () => {
    const fs = new FaultyFileSystem();
    const events: string[] = [];
    fs.listen((e) => {
      if (SEGMENT.test(e.path) && (e.op === 'writev' || e.op === 'fdatasync')) events.push(`${e.op}:${e.phase}`);
    });
    const log = await Log.open(await tempDir(), { flush: 'always' }, { fs });
    const hold = fs.hold({ op: 'fdatasync', path: SEGMENT });
    const acked = log.append(await makeBatch(1)).then(() => events.push('ack'));
    await hold.reached;
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['writev:start', 'writev:end', 'fdatasync:start']);
    hold.release();
    await acked;
    expect(events).toEqual(['writev:start', 'writev:end', 'fdatasync:start', 'fdatasync:end', 'ack']);
    await log.close();
  });

  it("flush 'always' with syncWrites: the segment fd is O_DSYNC, the ack waits for its writev, no fdatasync is issued", async () => {
    const segmentFds: number[] = [];
    const recording: FileSystem = {
      ...nodeFileSystem,
      open: async (path, flags, sync) => {
        const fd = await nodeFileSystem.open(path, flags, sync);
        if (SEGMENT.test(path)) segmentFds.push(fd);
        return fd;
      },
    };
    const fs = new FaultyFileSystem(recording);
    const events: string[] = [];
    fs.listen((e) => {
      if (SEGMENT.test(e.path) && (e.op === 'writev' || e.op === 'fdatasync')) events.push(`${e.op}:${e.phase}`);
    });
    const dir = await tempDir();
    const log = await Log.open(dir, { flush: 'always', syncWrites: true }, { fs });
    // The kernel's own record of the open flags: O_DSYNC is 0o10000 on Linux.
    const flags = Number.parseInt(/flags:\s+(\d+)/.exec(await readFile(`/proc/self/fdinfo/${segmentFds.at(-1)}`, 'utf8'))![1]!, 8);
    expect(flags & 0o10000).toBe(0o10000);
    const hold = fs.hold({ op: 'writev', path: SEGMENT });
    const acked = log.append(await makeBatch(1)).then(() => events.push('ack'));
    await hold.reached;
    expect(events).toEqual(['writev:start']);
    hold.release();
    await acked;
    expect(events).toEqual(['writev:start', 'writev:end', 'ack']);
    expect(log.stats.flushes).toBe(0);
    // A failed O_DSYNC write is a failed write: refused, cut off, and the next append takes its offset.
    const fault = fs.inject({ op: 'writev', path: SEGMENT, code: 'EIO', partial: true, times: 1 });
    await expect(log.append(await makeBatch(2, { prefix: 'lost' }))).rejects.toMatchObject({ errorCode: 56 });
    expect(fault.hits).toBe(1);
    expect((await log.append(await makeBatch(1, { prefix: 'b' }))).baseOffset).toBe(1n);
    expect(await values(log)).toEqual(['v-0', 'b-0']);
    await log.close();
    const reopened = await Log.open(dir);
    expect(reopened.recovery.truncatedBytes).toBe(0);
    expect(await values(reopened)).toEqual(['v-0', 'b-0']);
    await reopened.close();
  });

  it('flush by a large message count: the append resolves with no fdatasync of its bytes at all', async () => {
    const fs = new FaultyFileSystem();
    const events: string[] = [];
    fs.listen((e) => {
      if (SEGMENT.test(e.path) && (e.op === 'writev' || e.op === 'fdatasync')) events.push(`${e.op}:${e.phase}`);
    });
    const log = await Log.open(await tempDir(), { flush: { messages: 1_000_000 } }, { fs });
    await log.append(await makeBatch(1));
    events.push('ack');
    expect(events).toEqual(['writev:start', 'writev:end', 'ack']);
    await log.close();
  });
});
