// The producer: partitions records, batches them per partition (lingerMs / batchBytes), sends one
// Produce request per leader with at most one in-flight batch per partition (so retries keep order
// and idempotent sequences stay valid), retries retriable partition errors after a metadata refresh.
import { Compression, buildRecordBatch } from '@mq/records';
import { ApiKey, KafkaError, type ResponseBodyFor, ErrorCode } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { ClientClosedError, InvalidArgumentError, isRetriable } from '../errors';
import { type Partitioner, type PartitionerName, createPartitioner } from '../partitioner';
import { backoffMs } from '../retry-policy';
import { type Message, normaliseMessage } from './message';
import { type PartitionBatch, RecordAccumulator, type RecordMetadata } from './record-accumulator';

export type Acks = -1 | 0 | 1;
export type CompressionName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface ProducerOptions {
  /** -1 (all in-sync replicas, default), 1 (leader), 0 (no response). */
  acks?: Acks;
  /** How long a batch waits for more records; default 5 ms. */
  lingerMs?: number;
  /** A batch is sent once this full; default 16 KiB. */
  batchBytes?: number;
  compression?: CompressionName;
  partitioner?: PartitionerName | Partitioner;
  /** InitProducerId + per-partition sequences: the broker drops duplicates from retries. */
  idempotent?: boolean;
  /** Broker-side produce timeout; default 30 s. */
  timeoutMs?: number;
  /** Let Metadata create missing topics (broker permitting); default true. */
  allowAutoTopicCreation?: boolean;
  /** Retries per batch on retriable errors; default 5. */
  retries?: number;
}

export interface ProduceRequest {
  topic: string;
  messages: readonly Message[];
}

interface QueuedBatch {
  batch: PartitionBatch;
  attempts: number;
  /** Built once, so a retry resends identical bytes (same sequence numbers). */
  bytes?: Buffer;
}


const COMPRESSION: Record<CompressionName, number> = {
  none: Compression.none,
  gzip: Compression.gzip,
  snappy: Compression.snappy,
  lz4: Compression.lz4,
  zstd: Compression.zstd,
};

export class Producer {
  private readonly acks: Acks;
  private readonly codec: number;
  private readonly partitioner: Partitioner;
  private readonly accumulator: RecordAccumulator;
  private readonly queues = new Map<string, QueuedBatch[]>();
  private readonly inFlight = new Set<string>();
  private readonly sequences = new Map<string, number>();
  private producerId = -1n;
  private producerEpoch = -1;
  private initProducer: Promise<void> | undefined;
  private pending = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly opts: ProducerOptions = {},
  ) {
    this.acks = opts.acks ?? -1;
    if (![-1, 0, 1].includes(this.acks)) throw new InvalidArgumentError(`acks must be -1, 0 or 1 (got ${String(opts.acks)})`);
    const codec = COMPRESSION[opts.compression ?? 'none'];
    if (codec === undefined) throw new InvalidArgumentError(`unknown compression "${String(opts.compression)}"`);
    this.codec = codec;
    if (opts.idempotent && this.acks !== -1) throw new InvalidArgumentError('idempotence needs acks=-1');
    const p = opts.partitioner ?? 'default';
    this.partitioner = typeof p === 'string' ? createPartitioner(p) : p;
    this.accumulator = new RecordAccumulator({
      lingerMs: opts.lingerMs ?? 5,
      batchBytes: opts.batchBytes ?? 16_384,
      onReady: (batches) => this.enqueue(batches),
      onBatchSealed: (topic, partition) => {
        const n = this.cluster.peekPartitionCount(topic);
        if (n > 0) this.partitioner.onNewBatch?.(topic, partition, n);
      },
    });
  }

  /** Resolves with one RecordMetadata per message, in order, once every batch is acknowledged. */
  async send(req: ProduceRequest): Promise<RecordMetadata[]> {
    if (this.closed) throw new ClientClosedError('producer');
    if (!req.topic) throw new InvalidArgumentError('topic is required');
    if (this.opts.idempotent) await this.ensureProducerId();
    const topic = await this.cluster.topic(req.topic, this.opts.allowAutoTopicCreation ?? true);
    const n = topic.partitions.length;
    const promises: Promise<RecordMetadata>[] = [];
    for (const m of req.messages) {
      const rec = normaliseMessage(m, Date.now);
      let partition = m.partition;
      if (partition === undefined) partition = this.partitioner.partition({ topic: req.topic, key: rec.key, numPartitions: n });
      else if (!Number.isInteger(partition) || partition < 0 || partition >= n) {
        throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic "${req.topic}" has no partition ${partition} (it has ${n})`);
      }
      promises.push(this.accumulator.append(req.topic, partition, rec));
    }
    return Promise.all(promises);
  }

  /** Sends every buffered record now and waits until all in-flight batches settle. */
  async flush(): Promise<void> {
    this.accumulator.flush();
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  private async ensureProducerId(): Promise<void> {
    this.initProducer ??= this.cluster.withRetry(async () => {
      const res = await this.cluster.requestAny(ApiKey.InitProducerId, {
        transactionalId: null,
        transactionTimeoutMs: 60_000,
        producerId: -1n,
        producerEpoch: -1,
      });
      if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, 'InitProducerId failed');
      this.producerId = res.producerId;
      this.producerEpoch = res.producerEpoch;
    });
    try {
      await this.initProducer;
    } catch (err) {
      this.initProducer = undefined;
      throw err;
    }
  }

  private enqueue(batches: PartitionBatch[]): void {
    for (const batch of batches) {
      const key = `${batch.topic}\u0000${batch.partition}`;
      let q = this.queues.get(key);
      if (!q) this.queues.set(key, (q = []));
      q.push({ batch, attempts: 0 });
      this.pending++;
    }
    this.drain();
  }

  /** Sends the head batch of every idle partition, one Produce request per leader. */
  private drain(): void {
    const ready: QueuedBatch[] = [];
    for (const [key, q] of this.queues) {
      if (this.inFlight.has(key) || q.length === 0) continue;
      this.inFlight.add(key);
      ready.push(q[0]!);
    }
    if (ready.length === 0) return;
    void this.sendBatches(ready);
  }

  private async sendBatches(ready: QueuedBatch[]): Promise<void> {
    const byLeader = new Map<number, QueuedBatch[]>();
    for (const qb of ready) {
      try {
        const leader = await this.cluster.leaderFor(qb.batch.topic, qb.batch.partition);
        let list = byLeader.get(leader);
        if (!list) byLeader.set(leader, (list = []));
        list.push(qb);
      } catch (err) {
        this.settle(qb, err);
      }
    }
    await Promise.all([...byLeader].map(([leader, list]) => this.sendToLeader(leader, list)));
  }

  private async sendToLeader(leader: number, batches: QueuedBatch[]): Promise<void> {
    let list = batches;
    const topicData = new Map<string, Array<{ index: number; records: Buffer }>>();
    const sending: QueuedBatch[] = [];
    for (const qb of list) {
      try {
        qb.bytes ??= await this.buildBatch(qb.batch);
      } catch (err) {
        // e.g. a codec failure: this batch fails, the others still go.
        this.settle(qb, err);
        continue;
      }
      sending.push(qb);
      let parts = topicData.get(qb.batch.topic);
      if (!parts) topicData.set(qb.batch.topic, (parts = []));
      parts.push({ index: qb.batch.partition, records: qb.bytes });
    }
    if (sending.length === 0) return;
    list = sending;
    const body = {
      transactionalId: null,
      acks: this.acks,
      timeoutMs: this.opts.timeoutMs ?? 30_000,
      topicData: [...topicData].map(([name, partitionData]) => ({ name, partitionData })),
    };
    let res: ResponseBodyFor<typeof ApiKey.Produce> | undefined;
    try {
      const conn = await this.cluster.broker(leader);
      res = await conn.request(ApiKey.Produce, body, { expectResponse: this.acks !== 0 });
    } catch (err) {
      for (const qb of list) this.retryOrFail(qb, err);
      return;
    }
    if (this.acks === 0) {
      for (const qb of list) this.settle(qb, null, -1n, null);
      return;
    }
    const results = new Map<string, ResponseBodyFor<typeof ApiKey.Produce>['responses'][number]['partitionResponses'][number]>();
    for (const t of res.responses) for (const p of t.partitionResponses) results.set(`${t.name}\u0000${p.index}`, p);
    for (const qb of list) {
      const r = results.get(`${qb.batch.topic}\u0000${qb.batch.partition}`);
      if (!r) this.retryOrFail(qb, new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `no response for ${qb.batch.topic}-${qb.batch.partition}`));
      else if (r.errorCode !== ErrorCode.NONE) {
        const base = new KafkaError(r.errorCode);
        this.retryOrFail(qb, new KafkaError(r.errorCode, `produce to ${qb.batch.topic}-${qb.batch.partition}: ${r.errorMessage ?? base.message}`));
      } else this.settle(qb, null, BigInt(r.baseOffset), r.logAppendTimeMs === undefined ? null : BigInt(r.logAppendTimeMs));
    }
  }

  private async buildBatch(batch: PartitionBatch): Promise<Buffer> {
    const key = `${batch.topic}\u0000${batch.partition}`;
    let baseSequence = -1;
    if (this.opts.idempotent) {
      baseSequence = this.sequences.get(key) ?? 0;
      this.sequences.set(key, (baseSequence + batch.records.length) & 0x7fffffff);
    }
    return buildRecordBatch({
      records: batch.records.map((r) => ({ key: r.key, value: r.value, headers: [...r.headers], timestamp: r.timestamp })),
      compression: this.codec,
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence,
    });
  }

  private retryOrFail(qb: QueuedBatch, err: unknown): void {
    const retries = this.opts.retries ?? 5;
    if (!isRetriable(err) || qb.attempts >= retries || this.closed) {
      this.settle(qb, err);
      return;
    }
    qb.attempts++;
    this.cluster.invalidate();
    const key = `${qb.batch.topic}\u0000${qb.batch.partition}`;
    setTimeout(() => {
      this.inFlight.delete(key);
      this.drain();
    }, backoffMs(qb.attempts));
  }

  /** Completes or fails the head batch of its partition and lets the next one go. */
  private settle(qb: QueuedBatch, err: unknown, baseOffset = -1n, logAppendTime: bigint | null = null): void {
    const key = `${qb.batch.topic}\u0000${qb.batch.partition}`;
    const q = this.queues.get(key);
    if (q && q[0] === qb) q.shift();
    if (q && q.length === 0) this.queues.delete(key);
    this.inFlight.delete(key);
    this.pending--;
    if (err) qb.batch.fail(err);
    else qb.batch.complete(baseOffset, logAppendTime);
    if (this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    this.drain();
  }
}
