// The runtime on a real partition (TopicManager over a temp data dir): records appended then
// replayed, load = replay from log start, one loop per shard, write failures, lifecycle and timers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@mq/protocol';
import { type Partition, TopicManager } from '@mq/partition';
import { decodeRecordBatch, iterateBatches } from '@mq/records';
import { type Clock, ManualClock, SystemClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoordinatorLoadInProgressError, CoordinatorRuntime, CoordinatorWriteError, NotCoordinatorError, PartitionRecordWriter } from '../src/index';
import { KvShard, type Put, putSerde } from './kv-shard';

let dir: string;
let topics: TopicManager;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-coordinator-'));
  topics = await TopicManager.open({ dataDir: dir });
  await topics.createTopic('state', 2, { 'cleanup.policy': 'compact', 'max.message.bytes': '2000' });
});

afterEach(async () => {
  await topics.close();
  await rm(dir, { recursive: true, force: true });
});

function runtime(clock: Clock = new SystemClock(), errors: string[] = []): CoordinatorRuntime<KvShard, Put> {
  return new CoordinatorRuntime<KvShard, Put>({
    name: 'kv coordinator',
    serde: putSerde,
    shardFactory: (ctx) => new KvShard(ctx),
    clock,
    onError: (_err, context) => errors.push(context),
  });
}

async function storedKeys(p: Partition): Promise<string[]> {
  const chunk = await p.read(p.logStartOffset, 1 << 20);
  const out: string[] = [];
  for (const { batch } of iterateBatches(chunk)) for (const r of (await decodeRecordBatch(batch)).records) out.push(r.key!.toString());
  return out;
}

describe('CoordinatorRuntime', () => {
  it('appends an operation’s records to the partition, then replays them, then answers', async () => {
    const rt = runtime();
    const p = topics.partition('state', 0);
    await rt.load(0, p);
    const shard = rt.shard(0)!;
    expect(shard.loaded).toBe(true);
    const answer = rt.scheduleWriteOperation('put a', 0, () => ({ records: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }], response: 'ok' }));
    // Nothing is applied before the append settles.
    expect(shard.map.size).toBe(0);
    await expect(answer).resolves.toBe('ok');
    expect([...shard.map]).toEqual([['a', '1'], ['b', '2']]);
    expect(shard.replayed).toEqual([{ key: 'a', offset: 0n }, { key: 'b', offset: 1n }]);
    expect(await storedKeys(p)).toEqual(['a', 'b']);
    expect(p.highWatermark).toBe(2n);
    await rt.close();
  });

  it('loads a partition through the same replay: a new runtime after a restart has the same state', async () => {
    const rt = runtime();
    await rt.load(1, topics.partition('state', 1));
    for (let i = 0; i < 20; i++) await rt.scheduleWriteOperation('put', 1, () => ({ records: [{ key: `k${i % 5}`, value: String(i) }], response: undefined }));
    await rt.scheduleWriteOperation('delete', 1, () => ({ records: [{ key: 'k0', value: null }], response: undefined }));
    const before = [...rt.shard(1)!.map].sort();
    await rt.close();
    await topics.close();
    topics = await TopicManager.open({ dataDir: dir });
    const again = runtime();
    const summary = await again.load(1, topics.partition('state', 1));
    expect(summary.records).toBe(21);
    expect([...again.shard(1)!.map].sort()).toEqual(before);
    expect(again.shard(1)!.map.has('k0')).toBe(false);
    await again.close();
  });

  it('runs one operation at a time per shard: each sees what the previous one made durable', async () => {
    const rt = runtime();
    await rt.load(0, topics.partition('state', 0));
    // 50 compare-and-set increments issued at once: all succeed only if each runs after the last append.
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => rt.scheduleWriteOperation(`cas ${i}`, 0, (s) => s.cas('n', i === 0 ? undefined : String(i - 1), String(i)))),
    );
    expect(results.every((r) => r)).toBe(true);
    expect(rt.shard(0)!.map.get('n')).toBe('49');
    await rt.close();
  });

  it('startIfIdle starts an operation inside the call on an idle shard; one scheduled from inside it, or behind a busy loop, waits its turn', async () => {
    const rt = runtime();
    await rt.load(0, topics.partition('state', 0));
    const ran: string[] = [];
    const now = { startIfIdle: true };
    let nested: Promise<boolean> | undefined;
    const first = rt.scheduleWriteOperation('first', 0, (s) => {
      ran.push('first');
      nested = rt.scheduleWriteOperation('nested', 0, (s2) => {
        ran.push('nested');
        // It sees what the first one appended, not the state before.
        return s2.cas('k', 'a', 'b');
      }, now);
      return s.cas('k', undefined, 'a');
    }, now);
    expect(ran).toEqual(['first']);
    await expect(first).resolves.toBe(true);
    await expect(nested!).resolves.toBe(true);
    expect(ran).toEqual(['first', 'nested']);
    const busy = rt.scheduleWriteOperation('busy', 0, (s) => s.cas('k', 'b', 'c'), now);
    const queued = rt.scheduleWriteOperation('queued', 0, (s) => {
      ran.push('queued');
      return s.cas('k', 'c', 'd');
    }, now);
    expect(ran).toEqual(['first', 'nested']);
    await expect(Promise.all([busy, queued])).resolves.toEqual([true, true]);
    expect(rt.shard(0)!.map.get('k')).toBe('d');
    // Without the option an operation never starts inside the call.
    const later = rt.scheduleWriteOperation('later', 0, () => {
      ran.push('later');
      return { records: [], response: undefined };
    });
    expect(ran).not.toContain('later');
    await later;
    await rt.close();
  });

  it('a failed append answers the mapped error and leaves the shard unchanged; the loop goes on', async () => {
    const errors: string[] = [];
    const rt = runtime(new SystemClock(), errors);
    const p = topics.partition('state', 0);
    await rt.load(0, p);
    await rt.scheduleWriteOperation('put', 0, () => ({ records: [{ key: 'a', value: '1' }], response: undefined }));
    // Above the partition's max.message.bytes (2000): the partition refuses the batch.
    const big = rt.scheduleWriteOperation('too big', 0, () => ({ records: [{ key: 'a', value: 'x'.repeat(5000) }], response: undefined }));
    await expect(big).rejects.toBeInstanceOf(CoordinatorWriteError);
    await expect(big).rejects.toMatchObject({ errorCode: ErrorCode.UNKNOWN_SERVER_ERROR });
    expect(rt.shard(0)!.map.get('a')).toBe('1');
    expect(errors.some((e) => e.includes('too big'))).toBe(true);
    await expect(rt.scheduleWriteOperation('put', 0, () => ({ records: [{ key: 'a', value: '2' }], response: 7 }))).resolves.toBe(7);
    expect(rt.shard(0)!.map.get('a')).toBe('2');
    expect(await storedKeys(p)).toEqual(['a', 'a']);
    await rt.close();
  });

  it('a partition that went away (closed under it) answers NOT_COORDINATOR, state unchanged', async () => {
    const rt = runtime();
    const p = topics.partition('state', 0);
    await rt.load(0, p);
    await p.close();
    const write = rt.scheduleWriteOperation('put', 0, () => ({ records: [{ key: 'a', value: '1' }], response: undefined }));
    await expect(write).rejects.toMatchObject({ name: 'CoordinatorWriteError', errorCode: ErrorCode.NOT_COORDINATOR });
    expect(rt.shard(0)!.map.size).toBe(0);
    await rt.close();
  });

  it('an operation that throws writes nothing; one with no records answers in turn', async () => {
    const rt = runtime();
    const p = topics.partition('state', 0);
    await rt.load(0, p);
    await expect(rt.scheduleWriteOperation('bad', 0, () => { throw new RangeError('refused'); })).rejects.toThrow('refused');
    await expect(rt.scheduleWriteOperation('none', 0, () => ({ records: [], response: 'read' }))).resolves.toBe('read');
    expect(p.logEndOffset).toBe(0n);
    await rt.close();
  });

  it('onCommitted runs after the replay and before the next operation, never after a failed append', async () => {
    const rt = runtime();
    await rt.load(0, topics.partition('state', 0));
    const seen: string[] = [];
    const first = rt.scheduleWriteOperation('put', 0, (shard) => ({
      records: [{ key: 'a', value: '1' }],
      response: 'first',
      onCommitted: () => seen.push(`committed a=${shard.map.get('a')}`),
    }));
    const second = rt.scheduleWriteOperation('read', 0, (shard) => {
      seen.push(`next op sees ${seen.length} follow-up(s)`);
      return { records: [], response: 'second', onCommitted: () => seen.push(`no records a=${shard.map.get('a')}`) };
    });
    const failed = rt.scheduleWriteOperation('too big', 0, () => ({
      records: [{ key: 'b', value: 'x'.repeat(5000) }],
      response: undefined,
      onCommitted: () => seen.push('must not run'),
    }));
    await expect(first).resolves.toBe('first');
    await expect(second).resolves.toBe('second');
    await expect(failed).rejects.toBeInstanceOf(CoordinatorWriteError);
    expect(seen).toEqual(['committed a=1', 'next op sees 1 follow-up(s)', 'no records a=1']);
    await rt.close();
  });

  it('onFailed runs after a failed append, before the caller sees the rejection and before the next operation', async () => {
    const rt = runtime();
    await rt.load(0, topics.partition('state', 0));
    const seen: string[] = [];
    const failed = rt.scheduleWriteOperation('too big', 0, () => ({
      records: [{ key: 'b', value: 'x'.repeat(5000) }],
      response: undefined,
      onCommitted: () => seen.push('must not run'),
      onFailed: (err) => seen.push(`failed: ${(err as CoordinatorWriteError).name}, b=${rt.shard(0)!.map.get('b')}`),
    }));
    const next = rt.scheduleWriteOperation('next', 0, () => {
      seen.push('next op');
      return { records: [], response: undefined };
    });
    await failed.catch((err: unknown) => seen.push(`caller: ${(err as Error).name}`));
    await next;
    expect(seen).toEqual(['failed: CoordinatorWriteError, b=undefined', 'caller: CoordinatorWriteError', 'next op']);
    await rt.close();
  });

  it('skips a record the serde cannot read and loads the rest', async () => {
    const errors: string[] = [];
    const rt = runtime(new SystemClock(), errors);
    await rt.load(0, topics.partition('state', 0));
    await rt.scheduleWriteOperation('put', 0, () => ({ records: [{ key: 'a', value: '1' }, { key: 'bad:x', value: '?' }, { key: 'b', value: '2' }], response: undefined }));
    await rt.unload(0);
    const summary = await rt.load(0, topics.partition('state', 0));
    expect(summary).toMatchObject({ records: 2, skipped: 1 });
    expect([...rt.shard(0)!.map]).toEqual([['a', '1'], ['b', '2']]);
    expect(errors.some((e) => e.includes('offset 1'))).toBe(true);
    await rt.close();
  });

  it('answers COORDINATOR_LOAD_IN_PROGRESS while loading and NOT_COORDINATOR once unloaded', async () => {
    const rt = runtime();
    const p = topics.partition('state', 0);
    await rt.load(0, p);
    for (let i = 0; i < 200; i++) await rt.scheduleWriteOperation('put', 0, () => ({ records: [{ key: `k${i}`, value: 'v' }], response: undefined }));
    await rt.unload(0);
    const loading = rt.load(0, p);
    expect(rt.status(0)).toBe('loading');
    await expect(rt.scheduleWriteOperation('early', 0, () => ({ records: [], response: 1 }))).rejects.toBeInstanceOf(CoordinatorLoadInProgressError);
    expect(() => rt.readOperation(0, (s) => s.map.size)).toThrow(CoordinatorLoadInProgressError);
    await loading;
    expect(rt.readOperation(0, (s) => s.map.size)).toBe(200);
    const shard = rt.shard(0)!;
    await rt.unload(0);
    expect(shard.unloaded).toBe(true);
    expect(rt.status(0)).toBeUndefined();
    await expect(rt.scheduleWriteOperation('late', 0, () => ({ records: [], response: 1 }))).rejects.toBeInstanceOf(NotCoordinatorError);
    await expect(rt.scheduleWriteOperation('other', 1, () => ({ records: [], response: 1 }))).rejects.toMatchObject({ errorCode: ErrorCode.NOT_COORDINATOR });
    await rt.close();
  });

  it('an operation queued behind an unload answers NOT_COORDINATOR and writes nothing', async () => {
    const rt = runtime();
    const p = topics.partition('state', 0);
    await rt.load(0, p);
    const write = rt.scheduleWriteOperation('put', 0, () => ({ records: [{ key: 'a', value: '1' }], response: undefined }));
    await rt.unload(0);
    await expect(write).rejects.toBeInstanceOf(NotCoordinatorError);
    expect(p.logEndOffset).toBe(0n);
    await rt.close();
  });

  it('an operation whose append is in flight when the shard unloads answers NOT_COORDINATOR; the next load has its records', async () => {
    // The real writer, with a gate after the append: the test unloads while the op waits there.
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let appended = false;
    const rt = new CoordinatorRuntime<KvShard, Put>({
      serde: putSerde,
      shardFactory: (ctx) => new KvShard(ctx),
      clock: new SystemClock(),
      writerFor: (partition) => {
        const real = new PartitionRecordWriter(partition);
        return { append: async (records) => { const o = await real.append(records); appended = true; await gate; return o; } };
      },
    });
    const p = topics.partition('state', 0);
    await rt.load(0, p);
    const shard = rt.shard(0)!;
    const write = rt.scheduleWriteOperation('put', 0, () => ({ records: [{ key: 'a', value: '1' }], response: undefined }));
    await expect.poll(() => appended).toBe(true);
    const unloaded = rt.unload(0);
    release();
    await expect(write).rejects.toBeInstanceOf(NotCoordinatorError);
    await unloaded;
    expect(shard.map.size).toBe(0);
    await rt.load(0, p);
    expect(rt.shard(0)!.map.get('a')).toBe('1');
    await rt.close();
  });

  it('keyed timers run their operation on the shard’s loop; unloading cancels every shard timer', async () => {
    const clock = new ManualClock();
    const rt = runtime(clock);
    await rt.load(0, topics.partition('state', 0));
    const shard = rt.shard(0)!;
    shard.ctx.scheduleTimer('expire', 1000, () => ({ records: [{ key: 'expired', value: 'yes' }], response: undefined }));
    // Rescheduling a key replaces the pending timer.
    shard.ctx.scheduleTimer('expire', 2000, () => ({ records: [{ key: 'expired', value: 'later' }], response: undefined }));
    clock.advance(1500);
    await rt.scheduleWriteOperation('barrier', 0, () => ({ records: [], response: undefined }));
    expect(shard.map.has('expired')).toBe(false);
    clock.advance(600);
    await expect.poll(() => shard.map.get('expired')).toBe('later');

    let plainFired = false;
    shard.ctx.clock.schedule(1000, () => { plainFired = true; });
    shard.ctx.scheduleTimer('never', 1000, () => ({ records: [{ key: 'never', value: 'x' }], response: undefined }));
    await rt.unload(0);
    clock.advance(5000);
    expect(plainFired).toBe(false);
    expect(clock.pending).toBe(0);
    await rt.close();
  });
});
