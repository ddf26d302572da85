// Transactions on real partitions: transactional batches hold the last stable offset at their
// transaction's first offset until its COMMIT / ABORT marker; aborts land in the per-segment
// .txnindex and are returned for a read_committed range; open transactions and the index survive
// a clean reopen, a crash (no snapshot) and a follower copy; markers fence older epochs.
import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidProducerEpochError } from '@mq/errors';
import { buildRecordBatch, iterateBatches, readBatchHeader, isControlBatch } from '@mq/records';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Partition } from '../src/partition';
import { TopicManager } from '../src/topic-manager';

let dir: string;
let tm: TopicManager;
let p: Partition;
const seqs = new Map<bigint, number>();

async function txnBatch(producerId: bigint, n: number, producerEpoch = 0): Promise<Buffer> {
  const seq = seqs.get(producerId) ?? 0;
  seqs.set(producerId, seq + n);
  return buildRecordBatch({
    records: Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`p${producerId}-${seq + i}`) })),
    producerId,
    producerEpoch,
    baseSequence: seq,
    transactional: true,
  });
}

const plain = (n: number) => buildRecordBatch({ records: Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`plain-${i}`) })) });
const marker = (producerId: bigint, commit: boolean, producerEpoch = 0) => p.appendTxnMarker({ producerId, producerEpoch, commit, coordinatorEpoch: 0 });

async function open(): Promise<void> {
  tm = await TopicManager.open({ dataDir: dir, defaults: { 'flush.messages': '1' } });
  p = tm.get('t')?.partitions[0] ?? (await tm.createTopic('t', 1))!.partitions[0]!;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-partition-txn-'));
  seqs.clear();
  await open();
});

afterEach(async () => {
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

describe('last stable offset and markers', () => {
  it('holds the LSO at the first open transaction until its marker', async () => {
    await p.append(await plain(2)); // 0-1
    await p.append(await txnBatch(1n, 3)); // 2-4
    await p.append(await plain(1)); // 5
    await p.append(await txnBatch(2n, 2)); // 6-7
    expect(p.highWatermark).toBe(8n);
    expect(p.lastStableOffset).toBe(2n);
    await marker(1n, true); // 8
    expect(p.lastStableOffset).toBe(6n);
    const aborted = await marker(2n, false); // 9
    expect(aborted.baseOffset).toBe(9n);
    expect(p.lastStableOffset).toBe(10n);
    expect(p.abortedTransactions(0n, 10n)).toEqual([{ producerId: 2n, firstOffset: 6n, lastOffset: 9n, lastStableOffset: 10n }]);
    expect(p.abortedTransactions(10n, 20n)).toEqual([]);
    // The marker is a stored control batch after the data.
    const bytes = await p.read(8n, 1 << 20);
    const headers = [...iterateBatches(bytes, false)].map(({ batch }) => readBatchHeader(batch, 0));
    expect(headers.map((h) => [h.baseOffset, isControlBatch(h)])).toEqual([
      [8n, true],
      [9n, true],
    ]);
    expect((await readdir(join(dir, 't-0'))).filter((f) => f.endsWith('.txnindex'))).toEqual(['00000000000000000000.txnindex']);
  });

  it('DeleteRecords past an open transaction keeps it (and its producer) open: LSO at the log start until its marker', async () => {
    await p.append(await txnBatch(1n, 3)); // 0-2
    await p.append(await plain(2)); // 3-4
    expect(p.hasOngoingTransaction(1n, 0)).toBe(true);
    expect(p.hasOngoingTransaction(1n, 1)).toBe(false);
    await p.deleteRecordsBefore(4n);
    // Not below the log start (those records cannot be read), not past the open transaction's records.
    expect(p.lastStableOffset).toBe(4n);
    expect(p.hasOngoingTransaction(1n, 0)).toBe(true);
    // The open transaction (and its producer's epoch) outlive a reopen too.
    await tm.close();
    await open();
    expect(p.hasOngoingTransaction(1n, 0)).toBe(true);
    expect(p.lastStableOffset).toBe(4n);
    await marker(1n, true); // 5
    expect(p.hasOngoingTransaction(1n, 0)).toBe(false);
    expect(p.lastStableOffset).toBe(6n);
  });

  it('lists the producers with their open transaction', async () => {
    await p.append(await txnBatch(4n, 2));
    expect(p.activeProducers()).toEqual([{ producerId: 4n, producerEpoch: 0, lastSequence: 1, lastTimestamp: expect.any(BigInt), currentTxnStartOffset: 0n }]);
    await marker(4n, true);
    expect(p.activeProducers()[0]!.currentTxnStartOffset).toBe(-1n);
  });

  it('a marker of a newer epoch fences the older one; an older marker is refused', async () => {
    await p.append(await txnBatch(3n, 1, 0));
    await marker(3n, false, 1);
    await expect(p.append(await txnBatch(3n, 1, 0))).rejects.toBeInstanceOf(InvalidProducerEpochError);
    await expect(marker(3n, true, 0)).rejects.toBeInstanceOf(InvalidProducerEpochError);
    expect(p.lastStableOffset).toBe(p.highWatermark);
  });
});

describe('recovery', () => {
  async function scenario(): Promise<void> {
    await p.append(await txnBatch(1n, 2)); // 0-1
    await marker(1n, false); // 2
    await p.append(await txnBatch(2n, 2)); // 3-4, left open
  }

  it('keeps open transactions and the aborted index across a clean reopen', async () => {
    await scenario();
    await tm.close();
    await open();
    expect(p.lastStableOffset).toBe(3n);
    expect(p.abortedTransactions(0n, 5n)).toEqual([{ producerId: 1n, firstOffset: 0n, lastOffset: 2n, lastStableOffset: 3n }]);
    await marker(2n, true);
    expect(p.lastStableOffset).toBe(p.highWatermark);
  });

  it('rebuilds both from the log when the snapshot and the index are gone (a crash)', async () => {
    await scenario();
    await tm.close();
    for (const f of await readdir(join(dir, 't-0'))) {
      if (f.endsWith('.txnindex') || f === 'producer-state.snapshot') await unlink(join(dir, 't-0', f));
    }
    await open();
    expect(p.lastStableOffset).toBe(3n);
    expect(p.abortedTransactions(0n, 5n).map((a) => [a.producerId, a.firstOffset, a.lastOffset])).toEqual([[1n, 0n, 2n]]);
  });

  it('truncation forgets markers above the cut: the transaction is open again', async () => {
    await scenario();
    await marker(2n, false); // 5
    expect(p.abortedTransactions(0n, 6n)).toHaveLength(2);
    p.setReplicaHooks({ onAppend: () => undefined });
    await p.truncateTo(5n);
    expect(p.abortedTransactions(0n, 6n)).toHaveLength(1);
    expect(p.lastStableOffset).toBe(3n);
  });

  it('DeleteRecords past an aborted transaction drops its index file', async () => {
    await scenario();
    await marker(2n, true); // 5
    await p.deleteRecordsBefore(6n);
    expect(p.abortedTransactions(0n, 6n)).toEqual([]);
    expect((await readdir(join(dir, 't-0'))).filter((f) => f.endsWith('.txnindex'))).toEqual([]);
  });
});
