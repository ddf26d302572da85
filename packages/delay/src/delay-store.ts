// DelayStore: delayed and scheduled messages, held durably on the compacted internal topic
// __mq_delayed through @mq/coordinator's runtime, one DelayShard per partition. A message is routed
// to the partition of its target topic-partition, so one target's messages share one loop and are
// delivered in due order. One node: the topic is created on first use (loaded at open when it
// exists). A cluster (`cluster`): the controller creates it replicated, each shard is loaded where
// its partition is led, and a message whose delay partition is led elsewhere is forwarded there.
import { type CoordinatorLeadershipSource, CoordinatorRuntime, CoordinatorWriteError, followLeadership } from '@mq/coordinator';
import { ErrorCode, KafkaError, kafkaErrorCode } from '@mq/errors';
import { ProducerIdManager, type TopicManager } from '@mq/partition';
import type { RecordHeader } from '@mq/records';
import type { Clock } from '@mq/timerwheel';
import { type DelayStoreConfig, resolveDelayStoreConfig } from './delay-config';
import { DelayDelivery, type DelayTargetWriter, type Delivery, type DeliveryLogger, localTargetWriter } from './delay-delivery';
import { type DelayRecord, delayRecordSerde } from './delay-record';
import { DelayShard } from './delay-shard';
import { type DelayedMessage, decodeDelayedMessage, encodeDelayedMessage } from './delayed-message';
import { delayedId, parseDelayedId } from './delayed-id';
import { readForwardedBatch } from './delay-forwarding';
import { DelayError } from './errors';
import type { PendingDelay } from './pending-delay';

export const DELAYED_TOPIC = '__mq_delayed';

export interface DelayStoreOptions {
  /** The broker's topics: __mq_delayed is created here and delivered messages are appended here. */
  readonly topicManager: TopicManager;
  readonly clock: Clock;
  readonly config?: Partial<DelayStoreConfig>;
  /** pino's Logger fits; default silent. */
  readonly logger?: DeliveryLogger;
  /** Called after each append of due messages to their topic. */
  readonly onDelivered?: (deliveries: readonly Delivery[]) => void;
  /** Where each delay partition's producer id comes from (its deliveries are idempotent); default one over topicManager's store. */
  readonly producerIds?: Pick<ProducerIdManager, 'nextProducerId'>;
  /** Where due messages are appended; default localTargetWriter(topicManager). A cluster's appends at each target's leader, acknowledged by its ISR. */
  readonly writer?: DelayTargetWriter;
  /** Cluster mode: the delay topic follows its partitions' leadership; messages reach other leaders through `forward`. */
  readonly cluster?: DelayStoreCluster;
}

/** What a cluster member gives the store (apps/broker builds it over replication and the inter-broker connections). */
export interface DelayStoreCluster {
  readonly leadership: CoordinatorLeadershipSource;
  /**
   * Holds `messages` on delay partition `storePartition` at its leader (forwardedBatch's batch);
   * resolves with the offset of the first one there. Rejects with a KafkaError.
   */
  forward(storePartition: number, messages: readonly DelayedMessage[]): Promise<bigint>;
  /** A delay partition became led and loaded here: `pending` messages, `inDoubt` chunks it found in doubt (sent again as they were, before anything new). */
  readonly onLoaded?: (partition: number, leaderEpoch: number, elapsedMs: number, state: { readonly pending: number; readonly inDoubt: number }) => void;
  readonly onUnloaded?: (partition: number) => void;
}

/** A pending message as listed (timestamps as bigint epoch ms). */
export interface DelayedMessageInfo {
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
  readonly dueAt: bigint;
  readonly timestamp: bigint;
  /** Due and being appended: no longer cancellable. */
  readonly delivering: boolean;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

export interface DelayedListFilter {
  readonly topic?: string;
  readonly partition?: number;
  /** At most this many, earliest due first (default 100). */
  readonly limit?: number;
}

const SILENT: DeliveryLogger = { warn: () => undefined, error: () => undefined };

/** Java's String.hashCode over "topic-partition", made non-negative. */
function hashTarget(topic: string, partition: number): number {
  const s = `${topic}-${partition}`;
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h === -2147483648 ? 0 : Math.abs(h);
}

/** What a failed write tells a producer: the partition's own error, not the coordinator mapping of it. */
function produceError(err: unknown): unknown {
  if (err instanceof CoordinatorWriteError && err.cause !== undefined) return err.cause;
  const code = kafkaErrorCode(err);
  if (code === ErrorCode.NOT_COORDINATOR || code === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) {
    return new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `the delay store is not available here: ${(err as Error).message}`, { cause: err });
  }
  return err;
}

export class DelayStore {
  readonly config: DelayStoreConfig;
  private readonly runtime: CoordinatorRuntime<DelayShard, DelayRecord>;
  private readonly delivery: DelayDelivery;
  /** One node: __mq_delayed's partition count once it is created or loaded (0 before). */
  private localPartitions = 0;
  private starting: Promise<void> | undefined;
  private unfollow: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly opts: DelayStoreOptions) {
    this.config = resolveDelayStoreConfig(opts.config);
    const logger = opts.logger ?? SILENT;
    const cluster = opts.cluster;
    this.delivery = new DelayDelivery(opts.writer ?? localTargetWriter(opts.topicManager), opts.clock, logger, opts.onDelivered);
    const producerIds = opts.producerIds ?? new ProducerIdManager(opts.topicManager.store);
    const hooks = {
      chunkLimit: this.delivery.chunkLimit.bind(this.delivery),
      dropped: this.delivery.dropped.bind(this.delivery),
      deliver: this.delivery.deliver.bind(this.delivery),
      producerId: () => producerIds.nextProducerId(),
      retryBackoffMs: this.config.retryBackoffMs,
      onError: (err: unknown, context: string) => logger.error({ err }, context),
    };
    this.runtime = new CoordinatorRuntime<DelayShard, DelayRecord>({
      name: 'delay store',
      serde: delayRecordSerde,
      shardFactory: (ctx) => new DelayShard(ctx, hooks),
      clock: opts.clock,
      onError: hooks.onError,
      ...(cluster !== undefined ? { writerFor: (p) => cluster.leadership.writerFor(p) } : {}),
    });
    if (cluster !== undefined) {
      this.unfollow = followLeadership(
        this.runtime,
        DELAYED_TOPIC,
        cluster.leadership,
        {
          onError: hooks.onError,
          onLoaded: (p, epoch, _summary, ms) => {
            const shard = this.runtime.shard(p);
            cluster.onLoaded?.(p, epoch, ms, { pending: shard?.pending.size ?? 0, inDoubt: shard?.loadedInDoubt ?? 0 });
          },
          ...(cluster.onUnloaded !== undefined ? { onUnloaded: cluster.onUnloaded } : {}),
        },
        () => opts.clock.now(),
      );
    }
  }

  /** Opens the store; one node: when __mq_delayed exists its partitions are loaded (overdue messages go out at once). */
  static async open(opts: DelayStoreOptions): Promise<DelayStore> {
    const store = new DelayStore(opts);
    if (opts.cluster === undefined && opts.topicManager.get(DELAYED_TOPIC) !== undefined) await store.start();
    return store;
  }

  /** Partitions of __mq_delayed: the metadata image's in a cluster (undefined until the controller created it). */
  private partitionCount(): number | undefined {
    if (this.opts.cluster !== undefined) return this.opts.cluster.leadership.partitionCount(DELAYED_TOPIC);
    return this.localPartitions;
  }

  /** The delay partition holding the messages for a target topic-partition. */
  partitionFor(topic: string, partition: number): number | undefined {
    const n = this.partitionCount();
    return n === undefined || n === 0 ? undefined : hashTarget(topic, partition) % n;
  }

  /** Messages pending (scheduled, not yet delivered or cancelled). */
  get size(): number {
    let n = 0;
    for (const p of this.runtime.partitions()) n += this.runtime.shard(p)?.pending.size ?? 0;
    return n;
  }

  /**
   * Holds `messages` until due. Resolves with their ids once their records are in __mq_delayed
   * (acknowledged under its flush policy, as a produce is); rejects with the partition's KafkaError.
   */
  async schedule(messages: readonly DelayedMessage[]): Promise<string[]> {
    if (this.closed) throw new DelayError('CLOSED', 'the delay store is closed');
    if (messages.length === 0) return [];
    if (this.opts.cluster === undefined) await this.start();
    const byPartition = new Map<number, DelayedMessage[]>();
    const order: number[] = [];
    for (const m of messages) {
      const p = this.partitionFor(m.topic, m.partition);
      if (p === undefined) throw new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, `${DELAYED_TOPIC} is not created yet`);
      order.push(p);
      const list = byPartition.get(p);
      if (list === undefined) byPartition.set(p, [m]);
      else list.push(m);
    }
    const ids = new Map<number, string[]>();
    await Promise.all(
      [...byPartition].map(async ([p, list]) => {
        const cluster = this.opts.cluster;
        if (cluster === undefined || this.runtime.status(p) !== undefined) {
          ids.set(p, await this.scheduleHere(p, list));
          return;
        }
        const base = await cluster.forward(p, list);
        ids.set(p, list.map((_, i) => delayedId(p, Number(base) + i)));
      }),
    );
    const cursor = new Map<number, number>();
    return order.map((p) => {
      const i = cursor.get(p) ?? 0;
      cursor.set(p, i + 1);
      return ids.get(p)![i]!;
    });
  }

  /**
   * Holds `messages` on delay partition `p`, which must be loaded here (a forwarded schedule:
   * NOT_LEADER_OR_FOLLOWER otherwise, before anything is written). Resolves with their ids.
   */
  async scheduleHere(p: number, messages: readonly DelayedMessage[]): Promise<string[]> {
    if (this.closed) throw new DelayError('CLOSED', 'the delay store is closed');
    if (this.opts.cluster === undefined) await this.start();
    const partition = this.runtime.loadedPartition(p);
    if (partition === undefined || this.runtime.status(p) !== 'active') {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `${DELAYED_TOPIC}-${p} is not led (or not loaded yet) here`);
    }
    const data = messages.map(encodeDelayedMessage);
    return this.runtime
      .scheduleWriteOperation('schedule', p, () => {
        // This store is the partition's only writer and its operations run one at a time, so the
        // batch lands at the log end offset: each record's key is its own offset, its id.
        const base = Number(partition.logEndOffset);
        const records: DelayRecord[] = data.map((message, i) => ({ type: 'scheduled', offset: base + i, message }));
        return { records, response: data.map((_, i) => delayedId(p, base + i)) };
      })
      .catch((err: unknown) => {
        throw produceError(err);
      });
  }

  /**
   * A schedule another broker forwarded (a Produce to __mq_delayed-`p`, its batch from
   * forwardedBatch): held here; resolves with the first message's offset there.
   */
  async scheduleForwarded(p: number, batch: Buffer): Promise<bigint> {
    let messages: DelayedMessage[];
    try {
      messages = await readForwardedBatch(batch);
    } catch (err) {
      throw new KafkaError(ErrorCode.INVALID_RECORD, `not a forwarded schedule: ${(err as Error).message}`, { cause: err });
    }
    if (messages.length === 0) throw new KafkaError(ErrorCode.INVALID_RECORD, 'a forwarded schedule without messages');
    // NOT_LEADER_OR_FOLLOWER only before anything is written: the forwarding broker retries that
    // one elsewhere; a write that failed may still have landed, so it is answered as a timeout.
    if (!this.leads(p)) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `${DELAYED_TOPIC}-${p} is not led (or not loaded yet) here`);
    const ids = await this.scheduleHere(p, messages).catch((err: unknown) => {
      throw new KafkaError(ErrorCode.REQUEST_TIMED_OUT, `holding forwarded delayed messages on ${DELAYED_TOPIC}-${p} failed, they may be held: ${(err as Error).message}`, { cause: err });
    });
    return BigInt(parseDelayedId(ids[0]!)!.offset);
  }

  /** Whether delay partition `p` is loaded here (its messages are listed and cancelled here). */
  leads(p: number): boolean {
    return this.runtime.status(p) === 'active';
  }

  /** The pending messages matching `filter`, earliest due first. */
  list(filter: DelayedListFilter = {}): DelayedMessageInfo[] {
    const limit = filter.limit ?? 100;
    const found: [number, PendingDelay][] = [];
    for (const p of this.runtime.partitions()) {
      const shard = this.runtime.shard(p);
      if (shard === undefined) continue;
      for (const e of shard.pending.values()) {
        if (filter.topic !== undefined && e.target.topic !== filter.topic) continue;
        if (filter.partition !== undefined && e.target.partition !== filter.partition) continue;
        found.push([p, e]);
      }
    }
    found.sort((a, b) => a[1].dueAt - b[1].dueAt || a[0] - b[0] || a[1].offset - b[1].offset);
    return found.slice(0, limit).map(([p, e]) => info(p, e));
  }

  /** One pending message, or undefined (delivered, cancelled or never scheduled). Throws INVALID_ID. */
  get(id: string): DelayedMessageInfo | undefined {
    const { storePartition, offset } = this.parse(id);
    const e = this.runtime.shard(storePartition)?.pending.get(offset);
    return e === undefined ? undefined : info(storePartition, e);
  }

  /**
   * Cancels a pending message: its tombstone is written and it is never delivered. Throws
   * DelayError NOT_FOUND (unknown, delivered or cancelled), DELIVERING (already being appended).
   */
  async cancel(id: string): Promise<DelayedMessageInfo> {
    const { storePartition, offset } = this.parse(id);
    if (this.runtime.shard(storePartition) === undefined) throw new DelayError('NOT_FOUND', `no delayed message ${id}`);
    return this.runtime.scheduleWriteOperation('cancel', storePartition, (shard) => {
      const e = shard.pending.get(offset);
      if (e === undefined) throw new DelayError('NOT_FOUND', `no delayed message ${id} (delivered, cancelled or never scheduled)`);
      if (e.delivering) throw new DelayError('DELIVERING', `delayed message ${id} is due and being delivered`);
      return { records: [{ type: 'removed', offset }], response: info(storePartition, e) };
    });
  }

  /** Settles once no due message waits to be delivered (tests, benchmarks). */
  async idle(): Promise<void> {
    await this.runtime.idle();
    for (const p of this.runtime.partitions()) await this.runtime.shard(p)?.idle();
    await this.runtime.idle();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unfollow?.();
    await this.starting?.catch(() => undefined);
    await this.runtime.close();
  }

  private parse(id: string): { storePartition: number; offset: number } {
    const parsed = parseDelayedId(id);
    if (parsed === undefined) throw new DelayError('INVALID_ID', `not a delayed message id: ${JSON.stringify(id)} (ids look like 0-42)`);
    return parsed;
  }

  /** Creates __mq_delayed (once) and loads every partition of it. */
  private start(): Promise<void> {
    this.starting ??= (async () => {
      const tm = this.opts.topicManager;
      const topic = await tm.ensureInternalTopic(DELAYED_TOPIC, this.config.topicPartitions, {
        'cleanup.policy': 'compact',
        'segment.bytes': String(this.config.topicSegmentBytes),
      });
      // The existing topic's partition count wins over the config: ids and routing depend on it.
      for (const p of topic.partitions) await this.runtime.load(p.index, p);
      this.localPartitions = topic.partitions.length;
    })().catch(async (err: unknown) => {
      // Loaded partitions are unloaded again, so the next use starts over cleanly.
      await Promise.all(this.runtime.partitions().map((p) => this.runtime.unload(p)));
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }
}

function info(storePartition: number, e: PendingDelay): DelayedMessageInfo {
  const m = decodeDelayedMessage(e.data);
  return {
    id: delayedId(storePartition, e.offset),
    topic: m.topic,
    partition: m.partition,
    dueAt: BigInt(m.dueAt),
    timestamp: BigInt(m.timestamp),
    delivering: e.delivering,
    key: m.key,
    value: m.value,
    headers: m.headers,
  };
}
