// The producer: partitions records and writes them straight into per-partition batches
// (lingerMs / batchBytes), which the BatchSender pipelines to each leader (maxInFlight per partition,
// in sequence order) and retries after a metadata refresh.
import { Compression } from '@mq/records';
import { ApiKey, KafkaError, ErrorCode } from '@mq/protocol';
import type { Cluster } from '../cluster';
import type { TopicInfo } from '../metadata';
import { ClientClosedError, InvalidArgumentError } from '../errors';
import { type Partitioner, type PartitionerName, createPartitioner } from '../partitioner';
import { BatchSender, type ProducerIdentity } from './batch-sender';
import { BufferPool } from './buffer-pool';
import { type Message, fieldOf, partitionKey, recordHeaders, timestampOf } from './message';
import type { Tracer } from '@opentelemetry/api';
import { type TraceContext, activeTraceContext } from '@mq/trace';
import type { ProducerBatch } from './producer-batch';
import { RecordAccumulator } from './record-accumulator';
import { SendTracker, type RecordMetadata } from './send-tracker';
import { endSendSpan, startSendSpan } from './send-span';

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
  /**
   * Batches in flight per partition (pipelined on the leader's connection); default 5 with
   * idempotence (the broker's sequence check keeps retries in order), else 1 (so a retry cannot
   * overtake a later batch). Above 1 without idempotence a retried batch may land after later ones.
   */
  maxInFlight?: number;
  /**
   * Inject the OpenTelemetry span active at send() as each record's `traceparent` (messages with
   * their own traceContext or traceparent header keep theirs); default true. Needs an application
   * that registered an OpenTelemetry context manager; otherwise nothing is active.
   */
  propagateTrace?: boolean;
  /**
   * An OpenTelemetry Tracer: each send() is then a PRODUCER span `send <topic>` (child of the
   * active span), and the records' traceparent names it. Absent: no span of the client's own.
   */
  tracer?: Tracer;
}

export interface ProduceRequest {
  topic: string;
  messages: readonly Message[];
}

interface WaitingSend {
  readonly req: ProduceRequest;
  /** The trace context active at send(). */
  readonly active: TraceContext | undefined;
  resolve(metas: Promise<RecordMetadata[]>): void;
  reject(err: unknown): void;
}

const COMPRESSION: Record<CompressionName, number> = {
  none: Compression.none,
  gzip: Compression.gzip,
  snappy: Compression.snappy,
  lz4: Compression.lz4,
  zstd: Compression.zstd,
};

export class Producer {
  private readonly partitioner: Partitioner;
  private readonly accumulator: RecordAccumulator;
  private readonly sender: BatchSender;
  private readonly identity: ProducerIdentity = { producerId: -1n, producerEpoch: -1 };
  private initProducer: Promise<void> | undefined;
  private readonly waiting: WaitingSend[] = [];
  private pumping: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly opts: ProducerOptions = {},
  ) {
    const acks = opts.acks ?? -1;
    if (![-1, 0, 1].includes(acks)) throw new InvalidArgumentError(`acks must be -1, 0 or 1 (got ${String(opts.acks)})`);
    const codec = COMPRESSION[opts.compression ?? 'none'];
    if (codec === undefined) throw new InvalidArgumentError(`unknown compression "${String(opts.compression)}"`);
    if (opts.idempotent && acks !== -1) throw new InvalidArgumentError('idempotence needs acks=-1');
    const maxInFlight = opts.maxInFlight ?? (opts.idempotent ? 5 : 1);
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new InvalidArgumentError(`maxInFlight must be a positive integer (got ${String(opts.maxInFlight)})`);
    const batchBytes = opts.batchBytes ?? 16_384;
    if (!Number.isInteger(batchBytes) || batchBytes < 1) throw new InvalidArgumentError(`batchBytes must be a positive integer (got ${String(opts.batchBytes)})`);
    const p = opts.partitioner ?? 'default';
    this.partitioner = typeof p === 'string' ? createPartitioner(p) : p;
    this.sender = new BatchSender(
      cluster,
      { acks, timeoutMs: opts.timeoutMs ?? 30_000, retries: opts.retries ?? 5, maxInFlight, idempotent: opts.idempotent ?? false, codec },
      this.identity,
      (topic, partition) => this.accumulator.ready(topic, partition),
    );
    this.accumulator = new RecordAccumulator({
      lingerMs: opts.lingerMs ?? 5,
      batchBytes,
      pool: new BufferPool(batchBytes),
      onSealed: (batch) => this.sealed(batch),
      canSend: (topic, partition) => this.sender.hasRoom(topic, partition),
    });
  }

  /** Resolves with one RecordMetadata per message, in order, once every batch is acknowledged. */
  async send(req: ProduceRequest): Promise<RecordMetadata[]> {
    if (this.closed) throw new ClientClosedError('producer');
    if (!req.topic) throw new InvalidArgumentError('topic is required');
    // Read here, in the caller's async context: the slow path appends later, from pump().
    const span = this.opts.tracer === undefined ? undefined : startSendSpan(this.opts.tracer, req.topic, req.messages.length);
    const active = this.opts.propagateTrace === false ? undefined : (span?.context ?? activeTraceContext());
    const sent = this.dispatch(req, active);
    return span === undefined ? sent : endSendSpan(span, sent);
  }

  // async: a synchronous throw (a bad message) rejects, so the send span still ends.
  private async dispatch(req: ProduceRequest, active: TraceContext | undefined): Promise<RecordMetadata[]> {
    if (this.waiting.length === 0) {
      const topic = this.opts.idempotent && this.identity.producerId < 0n ? undefined : this.cluster.cachedTopic(req.topic);
      if (topic !== undefined) return this.append(req, topic, active);
    }
    // Slow path (producer id, metadata). Sends wait in call order, so their records are appended
    // in that order even when a later one would find its metadata cached.
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      this.waiting.push({ req, active, resolve, reject });
      if (this.waiting.length === 1) this.pumping = this.pump();
    });
  }

  private async pump(): Promise<void> {
    while (this.waiting.length > 0) {
      const w = this.waiting[0]!;
      try {
        if (this.opts.idempotent) await this.ensureProducerId();
        const topic = this.cluster.cachedTopic(w.req.topic) ?? (await this.cluster.topic(w.req.topic, this.opts.allowAutoTopicCreation ?? true));
        w.resolve(this.append(w.req, topic, w.active));
      } catch (err) {
        w.reject(err);
      }
      this.waiting.shift();
    }
  }

  /** Writes every message into its partition's open batch (synchronously: call order is record order). */
  private append(req: ProduceRequest, topic: TopicInfo, active: TraceContext | undefined): Promise<RecordMetadata[]> {
    const name = req.topic;
    const n = topic.partitions.length;
    const messages = req.messages;
    const now = Date.now();
    const tracker = new SendTracker(messages.length, now);
    const slots = this.accumulator.slots(name);
    try {
      for (let i = 0; i < messages.length; i++) {
        const m = messages[i]!;
        const key = fieldOf(m.key);
        const value = fieldOf(m.value);
        const headers = m.traceContext === undefined && active === undefined && m.headers === undefined ? null : recordHeaders(m, active);
        let ts = now;
        if (m.timestamp !== undefined) {
          ts = timestampOf(m.timestamp);
          tracker.timestampOf(i, ts);
        }
        let partition = m.partition;
        if (partition === undefined) partition = this.partitioner.partition({ topic: name, key: partitionKey(key), numPartitions: n });
        else if (!Number.isInteger(partition) || partition < 0 || partition >= n) {
          throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic "${name}" has no partition ${partition} (it has ${n})`);
        }
        this.accumulator.append(slots, name, partition, key, value, headers, ts, tracker, i);
      }
    } catch (err) {
      tracker.abandon();
      throw err;
    }
    return tracker.promise;
  }

  /** Sends every buffered record now and waits until all in-flight batches settle. */
  async flush(): Promise<void> {
    // Sends still waiting for metadata append their records when it comes: flush those too.
    while (this.waiting.length > 0) await this.pumping;
    this.accumulator.flush();
    await this.sender.idle();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  private sealed(batch: ProducerBatch): void {
    const n = this.cluster.peekPartitionCount(batch.topic);
    if (n > 0) this.partitioner.onNewBatch?.(batch.topic, batch.partition, n);
    this.sender.enqueue(batch);
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
      this.identity.producerId = res.producerId;
      this.identity.producerEpoch = res.producerEpoch;
    });
    try {
      await this.initProducer;
    } catch (err) {
      this.initProducer = undefined;
      throw err;
    }
  }
}
