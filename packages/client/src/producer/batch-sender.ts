// Sends sealed batches: per partition a queue and up to maxInFlight batches in flight, pipelined on
// the leader's connection (one Produce request carries at most one batch per partition, and requests
// go out in queue order, so the broker sees each partition's batches in sequence order). A failure
// puts the partition in recovery: failed batches are re-queued by seal order and sent one at a time
// until one succeeds; an idempotent batch the broker refused rewinds the sequences after it.
import { ApiKey, ErrorCode, KafkaError, type ResponseBodyFor } from '@mq/protocol';
import type { Cluster } from '../cluster';
import type { Connection } from '../connection';
import { isRetriable } from '../errors';
import { backoffMs } from '../retry-policy';
import type { ProducerBatch } from './producer-batch';

export interface SenderOptions {
  acks: -1 | 0 | 1;
  timeoutMs: number;
  retries: number;
  maxInFlight: number;
  idempotent: boolean;
  codec: number;
}

export interface ProducerIdentity {
  producerId: bigint;
  producerEpoch: number;
}

interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  /** Sealed, not in flight, in seal order. */
  readonly queued: ProducerBatch[];
  /** Sent and unanswered, in send order. */
  readonly inFlight: ProducerBatch[];
  /** Since a failure: one batch in flight until one succeeds. */
  recovering: boolean;
  nextSequence: number;
  resolving: boolean;
}

/** Codes about the sequence itself: the batch may well be in the log (never rewind after them). */
const SEQUENCE_CODES: ReadonlySet<number> = new Set([ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, ErrorCode.DUPLICATE_SEQUENCE_NUMBER, ErrorCode.INVALID_PRODUCER_EPOCH]);

type PartitionResponse = ResponseBodyFor<typeof ApiKey.Produce>['responses'][number]['partitionResponses'][number];

export class BatchSender {
  private readonly queues = new Map<string, Map<number, PartitionQueue>>();
  private readonly dirty = new Set<PartitionQueue>();
  /** Partitions waiting for a connection to a broker, by node id. */
  private readonly connecting = new Map<number, Set<PartitionQueue>>();
  private drainScheduled = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAt = Infinity;
  private nextSealId = 1;
  private pending = 0;
  private idleWaiters: Array<() => void> = [];
  /** Set on close: retriable failures now fail instead of waiting for a retry. */
  closing = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly opts: SenderOptions,
    private readonly identity: ProducerIdentity,
    /** A partition that could not send before has room again (the accumulator seals what it held). */
    private readonly onRoom: (topic: string, partition: number) => void = () => {},
  ) {}

  /** Whether a batch of this partition enqueued now would go out at once (nothing queued, below maxInFlight). */
  hasRoom(topic: string, partition: number): boolean {
    const q = this.queues.get(topic)?.get(partition);
    return q === undefined || this.roomIn(q);
  }

  private roomIn(q: PartitionQueue): boolean {
    return q.queued.length === 0 && q.inFlight.length < (q.recovering ? 1 : this.opts.maxInFlight);
  }

  /** Takes a batch the accumulator sealed: stamps its sequence and header, queues it. */
  enqueue(batch: ProducerBatch): void {
    const q = this.queueOf(batch.topic, batch.partition);
    batch.sealId = this.nextSealId++;
    let seq = -1;
    if (this.opts.idempotent) {
      seq = q.nextSequence;
      q.nextSequence = (seq + batch.count) & 0x7fffffff;
    }
    this.pending++;
    q.queued.push(batch);
    const compressing = batch.seal(this.opts.codec, this.identity.producerId, this.identity.producerEpoch, seq);
    if (compressing) {
      compressing.then(
        () => this.markDirty(q),
        (err: unknown) => {
          // A codec failure fails this batch only; its sequence numbers are handed to the next ones.
          q.queued.splice(q.queued.indexOf(batch), 1);
          this.settleFailed(q, batch, err, true);
        },
      );
      return;
    }
    this.markDirty(q);
  }

  /** Resolves once every enqueued batch is settled. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private queueOf(topic: string, partition: number): PartitionQueue {
    let byPartition = this.queues.get(topic);
    if (!byPartition) this.queues.set(topic, (byPartition = new Map()));
    let q = byPartition.get(partition);
    if (!q) byPartition.set(partition, (q = { topic, partition, queued: [], inFlight: [], recovering: false, nextSequence: 0, resolving: false }));
    return q;
  }

  private markDirty(q: PartitionQueue): void {
    this.dirty.add(q);
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    // Once per tick: every record appended by the current send() calls shares the requests.
    queueMicrotask(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  /** Synchronous, so requests reach each connection in queue order. */
  private drain(): void {
    const now = Date.now();
    const rounds = new Map<Connection, ProducerBatch[][]>();
    const queues = [...this.dirty];
    this.dirty.clear();
    for (const q of queues) {
      const limit = q.recovering ? 1 : this.opts.maxInFlight;
      let round = 0;
      while (q.inFlight.length < limit && q.queued.length > 0) {
        const b = q.queued[0]!;
        if (!b.ready) break;
        if (b.notBefore > now) {
          this.retryAfter(b.notBefore, q);
          break;
        }
        const leader = this.cluster.cachedLeader(q.topic, q.partition);
        if (leader === undefined) {
          this.resolveLeader(q);
          break;
        }
        const conn = this.cluster.openConnection(leader);
        if (conn === undefined) {
          this.connect(leader, q);
          break;
        }
        q.queued.shift();
        q.inFlight.push(b);
        let list = rounds.get(conn);
        if (!list) rounds.set(conn, (list = []));
        (list[round] ??= []).push(b);
        round++;
      }
    }
    for (const [conn, list] of rounds) for (const batches of list) this.send(conn, batches);
    for (const q of queues) if (this.roomIn(q)) this.onRoom(q.topic, q.partition);
  }

  private send(conn: Connection, batches: ProducerBatch[]): void {
    const topicData = new Map<string, Array<{ index: number; records: Buffer }>>();
    for (const b of batches) {
      let parts = topicData.get(b.topic);
      if (!parts) topicData.set(b.topic, (parts = []));
      parts.push({ index: b.partition, records: b.bytes! });
    }
    const body = {
      transactionalId: null,
      acks: this.opts.acks,
      timeoutMs: this.opts.timeoutMs,
      topicData: [...topicData].map(([name, partitionData]) => ({ name, partitionData })),
    };
    let res: Promise<ResponseBodyFor<typeof ApiKey.Produce>>;
    try {
      res = conn.request(ApiKey.Produce, body, { expectResponse: this.opts.acks !== 0 });
    } catch (err) {
      for (const b of batches) this.failed(b, err);
      return;
    }
    res.then(
      (r) => this.answered(batches, r),
      (err: unknown) => {
        for (const b of batches) this.failed(b, err);
      },
    );
  }

  private answered(batches: ProducerBatch[], res: ResponseBodyFor<typeof ApiKey.Produce> | undefined): void {
    if (this.opts.acks === 0 || res === undefined) {
      for (const b of batches) this.succeeded(b, -1n, null);
      return;
    }
    const results = new Map<string, PartitionResponse>();
    for (const t of res.responses) for (const p of t.partitionResponses) results.set(`${t.name}\u0000${p.index}`, p);
    for (const b of batches) {
      const r = results.get(`${b.topic}\u0000${b.partition}`);
      if (!r) this.failed(b, new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `no response for ${b.topic}-${b.partition}`));
      else if (r.errorCode !== ErrorCode.NONE) {
        const base = new KafkaError(r.errorCode);
        this.failed(b, new KafkaError(r.errorCode, `produce to ${b.topic}-${b.partition}: ${r.errorMessage ?? base.message}`), !base.retriable && !SEQUENCE_CODES.has(r.errorCode));
      } else this.succeeded(b, BigInt(r.baseOffset), r.logAppendTimeMs === undefined ? null : BigInt(r.logAppendTimeMs));
    }
  }

  private succeeded(b: ProducerBatch, baseOffset: bigint, logAppendTime: bigint | null): void {
    const q = this.queueOf(b.topic, b.partition);
    remove(q.inFlight, b);
    q.recovering = false;
    this.pending--;
    b.complete(baseOffset, logAppendTime);
    this.afterSettle(q);
  }

  /**
   * `refused`: the broker answered with a final error code for this batch, so it was not appended
   * (a dropped connection, a timeout or a sequence complaint leaves that unknown).
   */
  private failed(b: ProducerBatch, err: unknown, refused = false): void {
    const q = this.queueOf(b.topic, b.partition);
    remove(q.inFlight, b);
    // An idempotent batch comes back OUT_OF_ORDER when an earlier one failed or is still being
    // appended from a dropped connection: resent in order it goes through (bounded by retries).
    const outOfOrder = err instanceof KafkaError && err.errorCode === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER;
    const retriable = isRetriable(err) || (outOfOrder && this.opts.idempotent);
    if (retriable && !this.closing && b.attempts < this.opts.retries) {
      b.attempts++;
      b.notBefore = Date.now() + backoffMs(b.attempts);
      q.recovering = true;
      insertBySealId(q.queued, b);
      this.cluster.invalidate();
      this.markDirty(q);
      return;
    }
    this.settleFailed(q, b, err, refused);
  }

  private settleFailed(q: PartitionQueue, b: ProducerBatch, err: unknown, refused: boolean): void {
    if (this.opts.idempotent && refused) {
      // The broker never took these sequence numbers: later batches move down to close the gap, and
      // those already in flight (answered OUT_OF_ORDER) are retried with the new numbers.
      for (const later of [...q.inFlight, ...q.queued]) if (later.sealId > b.sealId) later.resequence((later.baseSequence - b.count) & 0x7fffffff);
      q.nextSequence = (q.nextSequence - b.count) & 0x7fffffff;
      q.recovering = true;
    }
    this.pending--;
    b.fail(err);
    this.afterSettle(q);
  }

  private afterSettle(q: PartitionQueue): void {
    if (this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    if (q.queued.length > 0) this.markDirty(q);
    else if (this.roomIn(q)) this.onRoom(q.topic, q.partition);
  }

  private retryAfter(at: number, q: PartitionQueue): void {
    this.dirty.add(q);
    if (at >= this.retryAt) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryAt = at;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryAt = Infinity;
      this.drain();
    }, Math.max(0, at - Date.now()));
  }

  private resolveLeader(q: PartitionQueue): void {
    if (q.resolving) return;
    q.resolving = true;
    this.cluster.leaderFor(q.topic, q.partition).then(
      () => {
        q.resolving = false;
        this.markDirty(q);
      },
      (err: unknown) => {
        q.resolving = false;
        // The metadata lookup already retried: every waiting batch of the partition fails.
        for (const b of q.queued.splice(0)) this.settleFailed(q, b, err, true);
      },
    );
  }

  private connect(nodeId: number, q: PartitionQueue): void {
    const waiting = this.connecting.get(nodeId);
    if (waiting) {
      waiting.add(q);
      return;
    }
    this.connecting.set(nodeId, new Set([q]));
    this.cluster.broker(nodeId).then(
      () => {
        for (const w of this.connecting.get(nodeId) ?? []) this.dirty.add(w);
        this.connecting.delete(nodeId);
        this.drain();
      },
      (err: unknown) => {
        const list = this.connecting.get(nodeId) ?? new Set<PartitionQueue>();
        this.connecting.delete(nodeId);
        this.cluster.invalidate();
        // A failed attempt of each waiting head batch (retried after a backoff, or failed).
        for (const w of list) {
          const head = w.queued.shift();
          if (head) this.failed(head, err);
        }
      },
    );
  }
}

function remove(list: ProducerBatch[], b: ProducerBatch): void {
  const i = list.indexOf(b);
  if (i >= 0) list.splice(i, 1);
}

function insertBySealId(list: ProducerBatch[], b: ProducerBatch): void {
  let i = 0;
  while (i < list.length && list[i]!.sealId < b.sealId) i++;
  list.splice(i, 0, b);
}
