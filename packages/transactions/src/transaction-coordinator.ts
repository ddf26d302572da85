// TransactionCoordinator: the wire-independent transaction coordinator of one broker (KIP-98), on
// @mq/coordinator's runtime over __transaction_state (created on first use). Requests go to the
// shard of the id's partition; the multi-step flows live here: EndTxn (and an abort the
// coordinator starts: a timeout, a new instance's InitProducerId) writes PrepareCommit/PrepareAbort,
// then the markers through the TxnMarkerWriter, then CompleteCommit/CompleteAbort, and answers.
// A shard that loads with prepared transactions finishes them (re-sending their markers). On one
// node prepare() creates the topic and loads every partition; in a cluster (`leadership`) the
// controller creates it replicated and each shard follows its partition's leadership
// (followLeadership, as the group coordinator and the share state store).
import { type CoordinatorLeadershipSource, type CoordinatorResult, CoordinatorRuntime, type LoadSummary, followLeadership } from '@mq/coordinator';
import type { Partition, ProducerIdManager, TopicManager } from '@mq/partition';
import { ErrorCode as E, errorInfo, kafkaErrorCode } from '@mq/protocol';
import type { Clock } from '@mq/timerwheel';
import { DEFAULT_TRANSACTION_COORDINATOR_CONFIG, type TransactionCoordinatorConfig } from './config';
import { type EndOutcome, type InitRequest, type PreparedTxn, type ProducerRef, TransactionCoordinatorShard } from './transaction-coordinator-shard';
import { type TxnRecord, txnRecordSerde } from './transaction-log-records';
import { type TopicPartitionRef, type TxnMetadata, partitionList } from './transaction-metadata';
import { TRANSACTION_STATE_TOPIC, transactionStateTopicConfigs, txnPartitionFor } from './transaction-state-topic';
import { type TxnStateId, txnStateByName, txnStateName } from './transaction-state';
import type { TxnMarkerWriter } from './txn-marker-writer';

export interface TransactionCoordinatorOptions {
  readonly topicManager: TopicManager;
  readonly producerIds: ProducerIdManager;
  readonly markers: TxnMarkerWriter;
  readonly clock: Clock;
  /** The __consumer_offsets partition of a group (AddOffsetsToTxn adds it to the transaction). */
  readonly groupPartitionFor: (groupId: string) => number;
  readonly config?: Partial<TransactionCoordinatorConfig>;
  /**
   * A cluster's leadership of the replicated __transaction_state (the controller creates it): a
   * partition's shard is loaded where it is led, unloaded where it stops being. Absent: one node,
   * every partition loaded here by prepare().
   */
  readonly leadership?: CoordinatorLeadershipSource;
  readonly onLoaded?: (partitionIndex: number, leaderEpoch: number, summary: LoadSummary, elapsedMs: number) => void;
  readonly onUnloaded?: (partitionIndex: number) => void;
  /** Failures no request waits for (marker retries, timer flows, unreadable records). */
  readonly onError?: (err: unknown, context: string) => void;
}

export interface InitProducerIdResult {
  readonly errorCode: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

export interface DescribedTransaction {
  readonly errorCode: number;
  readonly transactionalId: string;
  readonly transactionState: string;
  readonly transactionTimeoutMs: number;
  readonly transactionStartTimeMs: bigint;
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly topics: { topic: string; partitions: number[] }[];
}

export interface ListTransactionsFilter {
  readonly states: readonly string[];
  readonly producerIds: readonly bigint[];
  /** Only transactions running at least this long (-1: any). */
  readonly minDurationMs: bigint;
}

const MARKER_RETRY_BACKOFF_MS = 100;
/** InitProducerId rounds (allocate an id, abort an open transaction) before answering CONCURRENT_TRANSACTIONS. */
const MAX_INIT_ROUNDS = 4;

export class TransactionCoordinator {
  readonly config: TransactionCoordinatorConfig;
  private readonly runtime: CoordinatorRuntime<TransactionCoordinatorShard, TxnRecord>;
  private readonly onError: (err: unknown, context: string) => void;
  private localPartitionCount = 0;
  private starting: Promise<void> | undefined;
  private closed = false;
  private readonly backoffs = new Set<() => void>();
  private unfollow: (() => void) | undefined;

  private constructor(private readonly opts: TransactionCoordinatorOptions) {
    this.config = { ...DEFAULT_TRANSACTION_COORDINATOR_CONFIG, ...opts.config };
    this.onError = opts.onError ?? (() => {});
    this.runtime = new CoordinatorRuntime<TransactionCoordinatorShard, TxnRecord>({
      name: 'transaction coordinator',
      serde: txnRecordSerde,
      clock: opts.clock,
      onError: this.onError,
      shardFactory: (ctx) => {
        const shard = new TransactionCoordinatorShard({
          loaded: () => {
            this.scheduleTimeoutCheck(ctx.partitionIndex, ctx.clock);
            this.scheduleExpiration(ctx.partitionIndex, ctx.clock);
            for (const txn of shard.pending()) this.finishInBackground(ctx.partitionIndex, txn);
          },
        });
        return shard;
      },
      ...(opts.leadership !== undefined ? { writerFor: (p: Partition) => opts.leadership!.writerFor(p) } : {}),
    });
    if (opts.leadership !== undefined) {
      this.unfollow = followLeadership(
        this.runtime,
        TRANSACTION_STATE_TOPIC,
        opts.leadership,
        { onError: this.onError, ...(opts.onLoaded !== undefined ? { onLoaded: opts.onLoaded } : {}), ...(opts.onUnloaded !== undefined ? { onUnloaded: opts.onUnloaded } : {}) },
        () => opts.clock.now(),
      );
    }
  }

  /** Opens the coordinator; an existing __transaction_state is loaded before this resolves. */
  static async open(opts: TransactionCoordinatorOptions): Promise<TransactionCoordinator> {
    const c = new TransactionCoordinator(opts);
    if (opts.leadership === undefined && opts.topicManager.get(TRANSACTION_STATE_TOPIC) !== undefined) await c.prepare();
    return c;
  }

  /** Creates __transaction_state if needed and (single node) loads every partition. Idempotent; a failure is retried by the next call. */
  prepare(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('transaction coordinator is closed'));
    // In a cluster the controller creates the topic and leadership loads its partitions.
    if (this.clustered) return Promise.resolve();
    this.starting ??= this.start().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  private async start(): Promise<void> {
    const c = this.config;
    const topic = await this.opts.topicManager.ensureInternalTopic(
      TRANSACTION_STATE_TOPIC,
      c.transactionStateLogNumPartitions,
      transactionStateTopicConfigs(c.transactionStateLogSegmentBytes),
    );
    // Single node: every partition is led here.
    for (const p of topic.partitions) if (this.runtime.status(p.index) === undefined) await this.runtime.load(p.index, p);
    this.localPartitionCount = topic.partitions.length;
  }

  /** Whether a cluster's leadership drives the shards (then FindCoordinator names the partition's leader). */
  get clustered(): boolean {
    return this.opts.leadership !== undefined;
  }

  /** Partitions of __transaction_state (0 while it does not exist): the metadata image's in a cluster. */
  private get partitionCount(): number {
    const l = this.opts.leadership;
    return l === undefined ? this.localPartitionCount : (l.partitionCount(TRANSACTION_STATE_TOPIC) ?? 0);
  }

  partitionFor(transactionalId: string): number {
    return txnPartitionFor(transactionalId, this.partitionCount > 0 ? this.partitionCount : this.config.transactionStateLogNumPartitions);
  }

  /**
   * NONE when this broker coordinates the id now; else COORDINATOR_LOAD_IN_PROGRESS (loading, or
   * being created on one node), COORDINATOR_NOT_AVAILABLE (a cluster whose controller has not
   * created the topic yet) or NOT_COORDINATOR (led elsewhere).
   */
  coordinatorStatus(transactionalId: string): number {
    if (this.closed) return E.NOT_COORDINATOR;
    if (this.partitionCount === 0) return this.clustered ? E.COORDINATOR_NOT_AVAILABLE : E.COORDINATOR_LOAD_IN_PROGRESS;
    const s = this.runtime.status(this.partitionFor(transactionalId));
    return s === 'active' ? E.NONE : s === 'loading' ? E.COORDINATOR_LOAD_IN_PROGRESS : E.NOT_COORDINATOR;
  }

  private now(): bigint {
    return BigInt(this.opts.clock.now());
  }

  /** Runs a write on the id's shard; a runtime refusal (loading, not here, append failed) becomes its code. */
  private async write<T>(name: string, transactionalId: string, op: (s: TransactionCoordinatorShard) => CoordinatorResult<TxnRecord, T>): Promise<T | number> {
    try {
      await this.prepare();
      // A cluster whose controller has not created the topic yet: the client retries.
      if (this.partitionCount === 0) return E.COORDINATOR_NOT_AVAILABLE;
      return await this.runtime.scheduleWriteOperation(name, this.partitionFor(transactionalId), op);
    } catch (err) {
      const code = kafkaErrorCode(err);
      // Anything but a Kafka refusal is a bug to see in the log, not only an UNKNOWN_SERVER_ERROR.
      if (code === E.UNKNOWN_SERVER_ERROR) this.onError(err, `${name} of ${transactionalId}`);
      return code;
    }
  }

  async initProducerId(req: InitRequest): Promise<InitProducerIdResult> {
    const fail = (errorCode: number): InitProducerIdResult => ({ errorCode, producerId: -1n, producerEpoch: -1 });
    if (req.transactionTimeoutMs <= 0 || req.transactionTimeoutMs > this.config.transactionMaxTimeoutMs) return fail(E.INVALID_TRANSACTION_TIMEOUT);
    let fresh: bigint | undefined;
    for (let round = 0; round < MAX_INIT_ROUNDS; round++) {
      const out = await this.write('InitProducerId', req.transactionalId, (s) => s.initProducerId(req, this.now(), fresh));
      if (typeof out === 'number') return fail(out);
      if (out.kind === 'done') return { errorCode: out.errorCode, producerId: out.producerId, producerEpoch: out.producerEpoch };
      if (out.kind === 'need-producer-id') {
        fresh = await this.opts.producerIds.nextProducerId();
        continue;
      }
      const aborted = await this.write('abort for InitProducerId', req.transactionalId, (s) => s.fenceAndAbort(req.transactionalId, out.producerEpoch, this.now()));
      if (typeof aborted === 'number') return fail(aborted);
      if (aborted?.kind === 'prepared') {
        const code = await this.finish(this.partitionFor(req.transactionalId), aborted.txn);
        if (code !== E.NONE) return fail(code);
      }
    }
    return fail(E.CONCURRENT_TRANSACTIONS);
  }

  async addPartitions(p: ProducerRef, partitions: readonly TopicPartitionRef[]): Promise<number> {
    const out = await this.write('AddPartitionsToTxn', p.transactionalId, (s) => s.addPartitions(p, partitions, this.now()));
    return out;
  }

  /** AddPartitionsToTxn v4+ verify_only, and the produce path's check: NONE when every partition is in the open transaction. */
  verify(p: ProducerRef, partitions: readonly TopicPartitionRef[]): number {
    const status = this.coordinatorStatus(p.transactionalId);
    if (status !== E.NONE) return status;
    return this.runtime.readOperation(this.partitionFor(p.transactionalId), (s) => s.verify(p, partitions));
  }

  addOffsets(p: ProducerRef, groupId: string): Promise<number> {
    return this.addPartitions(p, [{ topic: '__consumer_offsets', partition: this.opts.groupPartitionFor(groupId) }]);
  }

  /** EndTxn: prepare, write the markers, complete; answered once the transaction is complete. */
  async endTxn(p: ProducerRef, commit: boolean): Promise<number> {
    const out = await this.write<EndOutcome>('EndTxn', p.transactionalId, (s) => s.endTxn(p, commit, this.now()));
    if (typeof out === 'number') return out;
    if (out.kind === 'done') return out.errorCode;
    return this.finish(this.partitionFor(p.transactionalId), out.txn);
  }

  /**
   * Writes a prepared transaction's markers (retrying retriable failures while the shard stays
   * here; a partition that no longer exists is skipped, as Kafka), then completes it.
   */
  private async finish(partitionIndex: number, txn: PreparedTxn): Promise<number> {
    // The coordinator epoch is the leader epoch of the __transaction_state partition it loaded.
    const coordinatorEpoch = this.runtime.loadedPartition(partitionIndex)?.leaderEpoch ?? 0;
    const marker = { producerId: txn.producerId, producerEpoch: txn.producerEpoch, commit: txn.commit, coordinatorEpoch };
    const loadedFrom = this.runtime.loadedPartition(partitionIndex);
    let todo: readonly TopicPartitionRef[] = txn.partitions;
    while (todo.length > 0) {
      // Leadership left (or left and came back: that load finishes the transaction itself).
      if (this.closed || this.runtime.status(partitionIndex) !== 'active' || this.runtime.loadedPartition(partitionIndex) !== loadedFrom) return E.NOT_COORDINATOR;
      let results: { topic: string; partition: number; errorCode: number }[];
      try {
        results = await this.opts.markers.write(marker, todo);
      } catch (err) {
        this.onError(err, `writing the markers of ${txn.transactionalId}`);
        results = todo.map((t) => ({ ...t, errorCode: E.UNKNOWN_SERVER_ERROR }));
      }
      const retry = results.filter((r) => r.errorCode !== E.NONE && (errorInfo(r.errorCode)?.retriable ?? true));
      for (const r of results) {
        if (r.errorCode !== E.NONE && !retry.includes(r)) this.onError(new Error(`marker for ${r.topic}-${r.partition} refused with error ${r.errorCode}`), `transaction ${txn.transactionalId}`);
      }
      todo = retry.map((r) => ({ topic: r.topic, partition: r.partition }));
      if (todo.length > 0) await this.backoff();
    }
    try {
      await this.runtime.scheduleWriteOperation('complete transaction', partitionIndex, (s) => s.complete(txn, this.now()));
      return E.NONE;
    } catch (err) {
      return kafkaErrorCode(err);
    }
  }

  /** The pause between marker retries; close() ends every pause at once. */
  private backoff(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        this.backoffs.delete(wake);
        cancel();
        resolve();
      };
      const cancel = this.opts.clock.schedule(MARKER_RETRY_BACKOFF_MS, wake);
      this.backoffs.add(wake);
    });
  }

  private finishInBackground(partitionIndex: number, txn: PreparedTxn): void {
    this.finish(partitionIndex, txn).then(
      (code) => {
        if (code !== E.NONE && code !== E.NOT_COORDINATOR) this.onError(new Error(`completing ${txn.transactionalId} failed with error ${code}`), 'transaction coordinator');
      },
      (err: unknown) => this.onError(err, `completing ${txn.transactionalId}`),
    );
  }

  /** Every abortTimedOutTransactionsIntervalMs: transactions past transaction.timeout.ms are aborted (their producer fenced). */
  private scheduleTimeoutCheck(partitionIndex: number, clock: Clock): void {
    clock.schedule(this.config.abortTimedOutTransactionsIntervalMs, () => {
      const shard = this.runtime.shard(partitionIndex);
      if (shard === undefined) return;
      for (const t of shard.timedOut(this.now())) {
        this.runtime
          .scheduleWriteOperation('abort timed-out transaction', partitionIndex, (s) => s.fenceAndAbort(t.transactionalId, t.producerEpoch, this.now()))
          .then((out) => {
            if (out?.kind === 'prepared') this.finishInBackground(partitionIndex, out.txn);
          })
          .catch((err: unknown) => this.onError(err, `aborting the timed-out transaction ${t.transactionalId}`));
      }
      this.scheduleTimeoutCheck(partitionIndex, clock);
    });
  }

  /** Every removeExpiredTransactionalIdsIntervalMs: ids idle past transactional.id.expiration.ms are tombstoned. */
  private scheduleExpiration(partitionIndex: number, clock: Clock): void {
    clock.schedule(this.config.removeExpiredTransactionalIdsIntervalMs, () => {
      this.runtime
        .scheduleWriteOperation('expire transactional ids', partitionIndex, (s) => s.expire(this.now(), this.config.transactionalIdExpirationMs))
        .catch((err: unknown) => this.onError(err, 'expiring transactional ids'));
      this.scheduleExpiration(partitionIndex, clock);
    });
  }

  /** DescribeTransactions: each id's state here, or its error (NOT_COORDINATOR, TRANSACTIONAL_ID_NOT_FOUND). */
  describe(transactionalIds: readonly string[]): DescribedTransaction[] {
    return transactionalIds.map((id) => {
      const status = this.coordinatorStatus(id);
      const m = status === E.NONE ? this.runtime.readOperation(this.partitionFor(id), (s) => s.get(id)) : undefined;
      if (m === undefined) return notFound(id, status === E.NONE ? E.TRANSACTIONAL_ID_NOT_FOUND : status);
      return described(m);
    });
  }

  /** ListTransactions over every shard loaded here; unknown state names are reported back. */
  list(filter: ListTransactionsFilter): { unknownStateFilters: string[]; transactions: { transactionalId: string; producerId: bigint; transactionState: string }[] } {
    const states = new Set<TxnStateId>();
    const unknownStateFilters: string[] = [];
    for (const name of filter.states) {
      const s = txnStateByName(name);
      if (s === undefined) unknownStateFilters.push(name);
      else states.add(s);
    }
    if (unknownStateFilters.length > 0 && states.size === 0) return { unknownStateFilters, transactions: [] };
    const pids = new Set(filter.producerIds);
    const now = this.now();
    const transactions: { transactionalId: string; producerId: bigint; transactionState: string }[] = [];
    for (const p of this.runtime.partitions()) {
      const shard = this.runtime.shard(p);
      if (shard === undefined) continue;
      for (const m of shard.all()) {
        if (states.size > 0 && !states.has(m.state)) continue;
        if (pids.size > 0 && !pids.has(m.producerId)) continue;
        if (filter.minDurationMs >= 0n && (m.txnStartTimestamp < 0n || now - m.txnStartTimestamp < filter.minDurationMs)) continue;
        transactions.push({ transactionalId: m.transactionalId, producerId: m.producerId, transactionState: txnStateName(m.state) });
      }
    }
    return { unknownStateFilters, transactions };
  }

  /** The metadata of an id (tests, admin), or undefined. */
  metadata(transactionalId: string): TxnMetadata | undefined {
    if (this.coordinatorStatus(transactionalId) !== E.NONE) return undefined;
    return this.runtime.readOperation(this.partitionFor(transactionalId), (s) => s.get(transactionalId));
  }

  /** Settles once no operation is queued (tests). */
  idle(): Promise<void> {
    return this.runtime.idle();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unfollow?.();
    for (const wake of [...this.backoffs]) wake();
    await this.starting?.catch(() => undefined);
    await this.runtime.close();
  }
}

function notFound(transactionalId: string, errorCode: number): DescribedTransaction {
  return { errorCode, transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1n, producerId: -1n, producerEpoch: -1, topics: [] };
}

function described(m: TxnMetadata): DescribedTransaction {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitionList(m.partitions)) {
    const list = byTopic.get(topic) ?? [];
    list.push(partition);
    byTopic.set(topic, list);
  }
  return {
    errorCode: E.NONE,
    transactionalId: m.transactionalId,
    transactionState: txnStateName(m.state),
    transactionTimeoutMs: m.txnTimeoutMs,
    transactionStartTimeMs: m.txnStartTimestamp,
    producerId: m.producerId,
    producerEpoch: m.producerEpoch,
    topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) })),
  };
}
