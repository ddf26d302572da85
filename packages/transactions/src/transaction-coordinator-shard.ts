// The state of one __transaction_state partition (Kafka's TransactionStateManager for that
// partition): every transactional id coordinated here and its metadata. Operations validate a
// request against the current state and return the record expressing the change; replay() applies
// records (loading and live), so the state only ever holds what is in the log. The multi-step
// flows (writing markers between prepare and complete) live in TransactionCoordinator.
import { type CoordinatorResult, type CoordinatorShard, responseOnly } from '@mq/coordinator';
import { ErrorCode as E } from '@mq/protocol';
import type { TxnRecord } from './transaction-log-records';
import { type TopicPartitionRef, type TxnMetadata, containsAll, partitionList, withPartitions } from './transaction-metadata';
import { TxnState, type TxnStateId, isIdle } from './transaction-state';

/** Kafka's Short.MAX_VALUE: an epoch at it can no longer be bumped (a new producer id is needed). */
export const MAX_PRODUCER_EPOCH = 32767;
const EMPTY_PARTITIONS: ReadonlyMap<string, ReadonlySet<number>> = new Map();

export type InitOutcome =
  | { readonly kind: 'done'; readonly errorCode: number; readonly producerId: bigint; readonly producerEpoch: number }
  /** A fresh producer id is needed (new id or epoch overflow): allocate one and call again with it. */
  | { readonly kind: 'need-producer-id' }
  /** A transaction is open: abort it (fencing its producer), then call again. */
  | { readonly kind: 'abort-first'; readonly producerEpoch: number };

/** A decision that is durable now: write its markers, then complete. */
export interface PreparedTxn {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly commit: boolean;
  readonly partitions: readonly TopicPartitionRef[];
}

export type EndOutcome = { readonly kind: 'done'; readonly errorCode: number } | { readonly kind: 'prepared'; readonly txn: PreparedTxn };

export interface InitRequest {
  readonly transactionalId: string;
  readonly transactionTimeoutMs: number;
  /** The producer id / epoch the client holds (InitProducerId v3+, KIP-360); -1 when it has none. */
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export interface ProducerRef {
  readonly transactionalId: string;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

function done(errorCode: number, producerId = -1n, producerEpoch = -1): InitOutcome {
  return { kind: 'done', errorCode, producerId, producerEpoch };
}

export class TransactionCoordinatorShard implements CoordinatorShard<TxnRecord> {
  private readonly txns = new Map<string, TxnMetadata>();

  constructor(private readonly lifecycle: { loaded(): void } = { loaded: () => undefined }) {}

  /** Loading finished: the coordinator starts the timeout check and finishes prepared transactions. */
  onLoaded(): void {
    this.lifecycle.loaded();
  }

  replay(record: TxnRecord): void {
    if (record.value === null) {
      this.txns.delete(record.transactionalId);
      return;
    }
    const before = this.txns.get(record.transactionalId);
    const lastProducerEpoch =
      before === undefined ? -1 : before.producerId === record.value.producerId && before.producerEpoch !== record.value.producerEpoch ? before.producerEpoch : before.lastProducerEpoch;
    this.txns.set(record.transactionalId, { ...record.value, transactionalId: record.transactionalId, lastProducerEpoch });
  }

  get(transactionalId: string): TxnMetadata | undefined {
    return this.txns.get(transactionalId);
  }

  all(): IterableIterator<TxnMetadata> {
    return this.txns.values();
  }

  private record(m: TxnMetadata, change: Partial<Omit<TxnMetadata, 'transactionalId' | 'lastProducerEpoch'>>): TxnRecord {
    const { transactionalId, lastProducerEpoch: _last, ...value } = { ...m, ...change };
    return { transactionalId, value };
  }

  /**
   * InitProducerId with a transactional id: a new id gets a producer id at epoch 0; an idle one has
   * its epoch bumped (fencing older instances); an open transaction is aborted first; a client
   * holding a stale producer id / epoch (KIP-360) is fenced.
   */
  initProducerId(req: InitRequest, now: bigint, freshProducerId: bigint | undefined): CoordinatorResult<TxnRecord, InitOutcome> {
    const m = this.txns.get(req.transactionalId);
    if (m === undefined) {
      if (freshProducerId === undefined) return responseOnly({ kind: 'need-producer-id' });
      const value = {
        producerId: freshProducerId,
        previousProducerId: -1n,
        producerEpoch: 0,
        txnTimeoutMs: req.transactionTimeoutMs,
        state: TxnState.Empty,
        partitions: EMPTY_PARTITIONS,
        txnStartTimestamp: -1n,
        txnLastUpdateTimestamp: now,
      };
      return { records: [{ transactionalId: req.transactionalId, value }], response: done(E.NONE, freshProducerId, 0) };
    }
    if (m.state === TxnState.PrepareCommit || m.state === TxnState.PrepareAbort) return responseOnly(done(E.CONCURRENT_TRANSACTIONS));
    if (req.producerId >= 0n) {
      const current = req.producerId === m.producerId && req.producerEpoch === m.producerEpoch;
      const retried = req.producerId === m.producerId && req.producerEpoch === m.lastProducerEpoch && m.state !== TxnState.Ongoing;
      const rotated = req.producerId === m.previousProducerId;
      if (!current && !retried && !rotated) return responseOnly(done(E.PRODUCER_FENCED));
      // A retry of an InitProducerId that already bumped the epoch: answer it again.
      if (retried || (rotated && m.state === TxnState.Empty && m.producerEpoch === 0)) return responseOnly(done(E.NONE, m.producerId, m.producerEpoch));
    }
    if (m.state === TxnState.Ongoing) return responseOnly({ kind: 'abort-first', producerEpoch: m.producerEpoch });
    const overflow = m.producerEpoch + 1 >= MAX_PRODUCER_EPOCH;
    if (overflow && freshProducerId === undefined) return responseOnly({ kind: 'need-producer-id' });
    const producerId = overflow ? freshProducerId! : m.producerId;
    const producerEpoch = overflow ? 0 : m.producerEpoch + 1;
    const rec = this.record(m, {
      producerId,
      previousProducerId: overflow ? m.producerId : m.previousProducerId,
      producerEpoch,
      txnTimeoutMs: req.transactionTimeoutMs,
      state: TxnState.Empty,
      partitions: EMPTY_PARTITIONS,
      txnStartTimestamp: -1n,
      txnLastUpdateTimestamp: now,
    });
    return { records: [rec], response: done(E.NONE, producerId, producerEpoch) };
  }

  /** The error a request of `p` gets before anything else is looked at, or the metadata. */
  private check(p: ProducerRef): TxnMetadata | number {
    const m = this.txns.get(p.transactionalId);
    if (m === undefined || m.producerId !== p.producerId) return E.INVALID_PRODUCER_ID_MAPPING;
    if (p.producerEpoch !== m.producerEpoch) return E.PRODUCER_FENCED;
    return m;
  }

  /** AddPartitionsToTxn / AddOffsetsToTxn: the partitions join the transaction (beginning it if idle). */
  addPartitions(p: ProducerRef, partitions: readonly TopicPartitionRef[], now: bigint): CoordinatorResult<TxnRecord, number> {
    const m = this.check(p);
    if (typeof m === 'number') return responseOnly(m);
    if (m.state === TxnState.PrepareCommit || m.state === TxnState.PrepareAbort) return responseOnly(E.CONCURRENT_TRANSACTIONS);
    if (m.state === TxnState.Ongoing && containsAll(m.partitions, partitions)) return responseOnly(E.NONE);
    if (m.state !== TxnState.Ongoing && !isIdle(m.state)) return responseOnly(E.INVALID_TXN_STATE);
    const rec = this.record(m, {
      state: TxnState.Ongoing,
      partitions: withPartitions(m.state === TxnState.Ongoing ? m.partitions : EMPTY_PARTITIONS, partitions),
      txnStartTimestamp: m.state === TxnState.Ongoing ? m.txnStartTimestamp : now,
      txnLastUpdateTimestamp: now,
    });
    return { records: [rec], response: E.NONE };
  }

  /** AddPartitionsToTxn v4+ verify_only (and the produce path's check): are the partitions in the open transaction? */
  verify(p: ProducerRef, partitions: readonly TopicPartitionRef[]): number {
    const m = this.check(p);
    if (typeof m === 'number') return m;
    return m.state === TxnState.Ongoing && containsAll(m.partitions, partitions) ? E.NONE : E.INVALID_TXN_STATE;
  }

  /** EndTxn: an open transaction moves to PrepareCommit / PrepareAbort; retries of a finished one are answered. */
  endTxn(p: ProducerRef, commit: boolean, now: bigint): CoordinatorResult<TxnRecord, EndOutcome> {
    const m = this.check(p);
    if (typeof m === 'number') return responseOnly({ kind: 'done', errorCode: m });
    const finished = commit ? TxnState.CompleteCommit : TxnState.CompleteAbort;
    const preparing = commit ? TxnState.PrepareCommit : TxnState.PrepareAbort;
    if (m.state === finished) return responseOnly({ kind: 'done', errorCode: E.NONE });
    if (m.state === preparing) return responseOnly({ kind: 'done', errorCode: E.CONCURRENT_TRANSACTIONS });
    if (m.state !== TxnState.Ongoing) return responseOnly({ kind: 'done', errorCode: E.INVALID_TXN_STATE });
    return this.prepare(m, preparing, m.producerEpoch, now);
  }

  /**
   * Aborts an open transaction from the coordinator's side (its timeout, or InitProducerId of a new
   * instance), bumping the epoch so the old producer is fenced. undefined: nothing to abort any more.
   */
  fenceAndAbort(transactionalId: string, expectedEpoch: number, now: bigint): CoordinatorResult<TxnRecord, EndOutcome | undefined> {
    const m = this.txns.get(transactionalId);
    if (m === undefined || m.state !== TxnState.Ongoing || m.producerEpoch !== expectedEpoch) return responseOnly(undefined);
    const epoch = m.producerEpoch + 1 >= MAX_PRODUCER_EPOCH ? m.producerEpoch : m.producerEpoch + 1;
    return this.prepare(m, TxnState.PrepareAbort, epoch, now);
  }

  private prepare(m: TxnMetadata, state: TxnStateId, producerEpoch: number, now: bigint): CoordinatorResult<TxnRecord, EndOutcome> {
    const commit = state === TxnState.PrepareCommit;
    const partitions = partitionList(m.partitions);
    const rec = this.record(m, { state, producerEpoch, txnLastUpdateTimestamp: now });
    return {
      records: [rec],
      response: { kind: 'prepared', txn: { transactionalId: m.transactionalId, producerId: m.producerId, producerEpoch, commit, partitions } },
    };
  }

  /** Markers are written: PrepareCommit / PrepareAbort → CompleteCommit / CompleteAbort, partitions cleared. */
  complete(txn: PreparedTxn, now: bigint): CoordinatorResult<TxnRecord, boolean> {
    const m = this.txns.get(txn.transactionalId);
    const preparing = txn.commit ? TxnState.PrepareCommit : TxnState.PrepareAbort;
    if (m === undefined || m.state !== preparing || m.producerEpoch !== txn.producerEpoch || m.producerId !== txn.producerId) return responseOnly(false);
    const rec = this.record(m, { state: txn.commit ? TxnState.CompleteCommit : TxnState.CompleteAbort, partitions: EMPTY_PARTITIONS, txnLastUpdateTimestamp: now });
    return { records: [rec], response: true };
  }

  /** Tombstones idle ids not used for `expirationMs` (transactional.id.expiration.ms). */
  expire(now: bigint, expirationMs: number): CoordinatorResult<TxnRecord, number> {
    const records: TxnRecord[] = [];
    for (const m of this.txns.values()) {
      if (isIdle(m.state) && m.txnLastUpdateTimestamp + BigInt(expirationMs) <= now) records.push({ transactionalId: m.transactionalId, value: null });
    }
    return { records, response: records.length };
  }

  /** Open transactions past their timeout: the coordinator aborts them. */
  timedOut(now: bigint): { transactionalId: string; producerEpoch: number }[] {
    const out: { transactionalId: string; producerEpoch: number }[] = [];
    for (const m of this.txns.values()) {
      if (m.state === TxnState.Ongoing && m.txnStartTimestamp + BigInt(m.txnTimeoutMs) <= now) out.push({ transactionalId: m.transactionalId, producerEpoch: m.producerEpoch });
    }
    return out;
  }

  /** Decisions durable but not completed (a reloaded coordinator finishes them). */
  pending(): PreparedTxn[] {
    const out: PreparedTxn[] = [];
    for (const m of this.txns.values()) {
      if (m.state !== TxnState.PrepareCommit && m.state !== TxnState.PrepareAbort) continue;
      const partitions = partitionList(m.partitions);
      out.push({ transactionalId: m.transactionalId, producerId: m.producerId, producerEpoch: m.producerEpoch, commit: m.state === TxnState.PrepareCommit, partitions });
    }
    return out;
  }
}
