// The leader-epoch checkpoint: Kafka's file format, OffsetForLeaderEpoch's end-offset rules
// (LeaderEpochFileCache.endOffsetFor), truncation, and a malformed file refused with its path.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultyFileSystem } from '@mq/log/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEADER_EPOCH_CHECKPOINT_FILE, LeaderEpochCache } from '../src/leader-epoch-cache';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-epoch-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LeaderEpochCache', () => {
  it('writes and reads back Kafka’s checkpoint format', async () => {
    const c = LeaderEpochCache.load(dir);
    expect(c.latestEpoch).toBe(-1);
    c.assign(0, 0n);
    c.assign(2, 10n);
    c.assign(5, 25n);
    await c.flush();
    expect(await readFile(join(dir, LEADER_EPOCH_CHECKPOINT_FILE), 'utf8')).toBe('0\n3\n0 0\n2 10\n5 25\n');
    const again = LeaderEpochCache.load(dir);
    expect(again.all).toEqual([
      { epoch: 0, startOffset: 0n },
      { epoch: 2, startOffset: 10n },
      { epoch: 5, startOffset: 25n },
    ]);
  });

  it('answers end offsets as Kafka does', () => {
    const c = LeaderEpochCache.load(dir);
    c.assign(1, 0n);
    c.assign(3, 10n);
    c.assign(4, 20n);
    expect(c.endOffsetFor(4, 33n)).toEqual({ epoch: 4, endOffset: 33n }); // latest: the log end
    expect(c.endOffsetFor(3, 33n)).toEqual({ epoch: 3, endOffset: 20n });
    expect(c.endOffsetFor(2, 33n)).toEqual({ epoch: 1, endOffset: 10n }); // unknown epoch: the floor's
    expect(c.endOffsetFor(0, 33n)).toEqual({ epoch: 0, endOffset: 0n }); // before every entry
    expect(c.endOffsetFor(7, 33n)).toEqual({ epoch: -1, endOffset: -1n }); // above every entry
    expect(c.endOffsetFor(-1, 33n)).toEqual({ epoch: -1, endOffset: -1n });
  });

  it('ignores stale epochs, supersedes empty ones, truncates from the end', async () => {
    const c = LeaderEpochCache.load(dir);
    expect(c.assign(3, 5n)).toBe(true);
    expect(c.assign(3, 9n)).toBe(false);
    expect(c.assign(2, 9n)).toBe(false);
    c.assign(4, 5n); // epoch 3 wrote nothing
    expect(c.all).toEqual([{ epoch: 4, startOffset: 5n }]);
    c.assign(6, 12n);
    c.truncateFromEnd(12n);
    expect(c.all).toEqual([{ epoch: 4, startOffset: 5n }]);
    await c.flush();
    expect(LeaderEpochCache.load(dir).latestEpoch).toBe(4);
  });

  it('refuses a malformed checkpoint naming the file', async () => {
    await writeFile(join(dir, LEADER_EPOCH_CHECKPOINT_FILE), '0\n2\n1 0\n');
    expect(() => LeaderEpochCache.load(dir)).toThrow(/leader-epoch-checkpoint is malformed/);
    await writeFile(join(dir, LEADER_EPOCH_CHECKPOINT_FILE), '0\n2\n3 10\n2 20\n');
    expect(() => LeaderEpochCache.load(dir)).toThrow(/out of order/);
  });

  it('goes through the FileSystem seam: a failed fsync keeps the old checkpoint and a later flush writes it', async () => {
    const fs = new FaultyFileSystem();
    const c = LeaderEpochCache.load(dir, fs);
    c.assign(0, 0n);
    await c.flush();
    c.assign(3, 40n);
    const fault = fs.inject({ op: 'fsync', path: /leader-epoch-checkpoint.*\.tmp$/, code: 'EIO' });
    await expect(c.flush()).rejects.toThrow(/EIO/);
    expect(fault.hits).toBe(1);
    // The rename never happened: the file on disk is still the one that was durable.
    expect(await readFile(join(dir, LEADER_EPOCH_CHECKPOINT_FILE), 'utf8')).toBe('0\n1\n0 0\n');
    fault.clear();
    await c.flush();
    expect(LeaderEpochCache.load(dir, fs).all).toEqual([
      { epoch: 0, startOffset: 0n },
      { epoch: 3, startOffset: 40n },
    ]);
  });
});
