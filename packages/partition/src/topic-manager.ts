// All topics of one broker's data dir: create / delete / grow / reconfigure, persisted in
// meta/topics.json and each <dataDir>/<topic>-<n>/partition.metadata. Admin changes run one at a time;
// one retention timer per broker applies retention to every partition, one cleaner timer compacts.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { OpenSegmentCache } from '@mq/log';
import { type Cancel, type Clock, SystemClock, repeat } from '@mq/timerwheel';
import { mapBounded } from './bounded';
import {
  InvalidConfigError,
  InvalidPartitionsError,
  InvalidTopicError,
  PolicyViolationError,
  TopicAlreadyExistsError,
  UnknownTopicOrPartitionError,
} from './errors';
import { Partition } from './partition';
import { Topic } from './topic';
import {
  ConfigType,
  TOPIC_CONFIG_DEFS,
  describeTopicConfig,
  resolveTopicConfig,
  validateTopicConfigs,
  type ConfigEntry,
  type TopicConfigInput,
} from './topic-config';
import { isInternalTopic, unifyCollisionChars, validateTopicName } from './topic-name';
import { TopicStore, type TopicRecord } from './topic-store';
import { removePartitionMetadata, writePartitionMetadata } from './partition-metadata';
import { recoverTopics } from './topic-recovery';

/** Minimal logger shape (pino-compatible) so the package needs no logger dependency. */
export interface PartitionLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface TopicManagerOptions {
  readonly dataDir: string;
  /** Broker-level topic config defaults (Kafka topic names, e.g. "retention.ms"). */
  readonly defaults?: TopicConfigInput;
  readonly logger?: PartitionLogger;
  /**
   * Every timer and wall-clock read of the topics (retention and cleaner passes, the logs' flush.ms,
   * segment.ms, timestamps): the broker's one Clock; default a SystemClock of its own.
   */
  readonly clock?: Clock;
  /** Source of new topic ids (Kafka Uuid text: 22 chars url-safe base64). */
  readonly newTopicId?: () => string;
  /** max.partitions (KIP-578's name): partitions the broker holds in all; more is refused with POLICY_VIOLATION. */
  readonly maxPartitions?: number;
  /** Segment files kept open across all partitions (idle ones are closed, least recently used first). */
  readonly maxOpenFiles?: number;
}

export const DEFAULT_MAX_PARTITIONS = 20_000;
export const DEFAULT_MAX_OPEN_FILES = 1_024;
/** Partitions opened, closed or deleted at once: bounds transient fds and keeps the thread pool busy. */
const PARTITION_IO_CONCURRENCY = 64;

/** Kafka caps partitions per topic only by cluster limits; we cap to keep one bad request from exhausting fds. */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;

export type AlterConfigOp =
  | { readonly name: string; readonly op: 'set'; readonly value: string }
  | { readonly name: string; readonly op: 'delete' }
  | { readonly name: string; readonly op: 'append' | 'subtract'; readonly value: string };

const silentLogger: PartitionLogger = { info() {}, warn() {}, error() {} };

export class TopicManager {
  readonly dataDir: string;
  readonly defaults: TopicConfigInput;
  private readonly topics = new Map<string, Topic>();
  private readonly byId = new Map<string, Topic>();
  private readonly store: TopicStore;
  private readonly logger: PartitionLogger;
  readonly clock: Clock;
  private readonly uuid: () => string;
  private readonly maxPartitions: number;
  private readonly openSegments: OpenSegmentCache;
  private partitionCount = 0;
  private listener: (p: Partition) => void = () => {};
  private readonly topicListeners = new Set<(topic: string) => void>();
  private admin: Promise<unknown> = Promise.resolve();
  private stopMaintenanceTimer: Cancel | undefined;
  private maintenanceRunning = false;
  private stopCleanerTimer: Cancel | undefined;
  private cleanerRunning = false;
  private closed = false;

  private constructor(opts: TopicManagerOptions) {
    this.dataDir = opts.dataDir;
    this.defaults = opts.defaults ?? {};
    this.store = new TopicStore(opts.dataDir);
    this.logger = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? new SystemClock({ logger: this.logger });
    this.uuid = opts.newTopicId ?? newTopicId;
    this.maxPartitions = opts.maxPartitions ?? DEFAULT_MAX_PARTITIONS;
    if (!Number.isInteger(this.maxPartitions) || this.maxPartitions < 1) throw new RangeError(`maxPartitions must be a positive integer (got ${this.maxPartitions})`);
    this.openSegments = new OpenSegmentCache(opts.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES);
  }

  static async open(opts: TopicManagerOptions): Promise<TopicManager> {
    const m = new TopicManager(opts);
    validateTopicConfigs(m.defaults);
    const found = await recoverTopics(m.store, m.dataDir, { logger: m.logger, newTopicId: m.uuid, maxPartitions: MAX_PARTITIONS_PER_TOPIC, now: () => m.clock.now() });
    const slots: { topic: Topic; index: number }[] = [];
    for (const rec of found.records) {
      const config = resolveStoredConfig(rec.name, rec.configs, m.defaults);
      const topic = new Topic(rec.name, rec.topicId, isInternalTopic(rec.name), [], { ...rec.configs }, config);
      for (let i = 0; i < rec.partitions; i++) slots.push({ topic, index: i });
      m.topics.set(rec.name, topic);
      m.byId.set(rec.topicId, topic);
    }
    // One bounded pool over every partition of every topic, not a burst per topic.
    const opened = await mapBounded(slots, PARTITION_IO_CONCURRENCY, (s) => m.openPartition(s.topic.name, s.index, s.topic.config));
    slots.forEach((s, i) => {
      s.topic.partitions[s.index] = opened[i]!;
    });
    m.partitionCount = slots.length;
    if (m.partitionCount > m.maxPartitions) {
      m.logger.warn({ partitions: m.partitionCount, maxPartitions: m.maxPartitions }, `data dir holds ${m.partitionCount} partitions, above max.partitions ${m.maxPartitions}: new ones are refused`);
    }
    for (const rec of found.writeMetadata) await m.writeMetadata(m.topics.get(rec.name)!);
    if (found.repaired) await m.persist();
    return m;
  }

  /** The one sink told whenever a partition's readable range changes (new data, log start moved). */
  setChangeListener(fn: (p: Partition) => void): void {
    this.listener = fn;
  }

  /** Told the topic's name after it is created or deleted, or gains partitions. Returns the unsubscribe. */
  onTopicChange(fn: (topic: string) => void): () => void {
    this.topicListeners.add(fn);
    return () => this.topicListeners.delete(fn);
  }

  private topicChanged(name: string): void {
    for (const fn of this.topicListeners) fn(name);
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  getById(topicId: string): Topic | undefined {
    return this.byId.get(topicId);
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  /** The partition, or throws UnknownTopicOrPartitionError. */
  partition(topic: string, index: number): Partition {
    const p = this.topics.get(topic)?.partitions[index];
    if (p === undefined) throw new UnknownTopicOrPartitionError(`unknown topic-partition ${topic}-${index}`);
    return p;
  }

  /**
   * Validates and (unless validateOnly) creates a topic. Throws InvalidTopicError,
   * TopicAlreadyExistsError, InvalidPartitionsError or InvalidConfigError.
   */
  createTopic(
    name: string,
    numPartitions: number,
    configs: TopicConfigInput = {},
    validateOnly = false,
  ): Promise<Topic | undefined> {
    return this.serialize(async () => {
      validateTopicName(name);
      if (isInternalTopic(name)) throw new InvalidTopicError(`topic name ${name} is reserved for the broker`);
      if (this.topics.has(name)) throw new TopicAlreadyExistsError(`topic ${name} already exists`);
      const key = unifyCollisionChars(name);
      for (const other of this.topics.keys()) {
        if (unifyCollisionChars(other) === key) {
          throw new InvalidTopicError(`topic ${name} collides with existing topic ${other} ('.' and '_' collide)`);
        }
      }
      checkPartitionCount(numPartitions);
      this.checkPartitionLimit(numPartitions, `creating topic ${name} with ${numPartitions} partitions`);
      const overrides = validateTopicConfigs(configs);
      const config = resolveTopicConfig(overrides, this.defaults);
      if (validateOnly) return undefined;
      const topicId = this.uuid();
      const partitions = await mapBounded(Array.from({ length: numPartitions }, (_, i) => i), PARTITION_IO_CONCURRENCY, (i) => this.openPartition(name, i, config));
      const topic = new Topic(name, topicId, isInternalTopic(name), partitions, overrides, config);
      await this.writeMetadata(topic);
      this.topics.set(name, topic);
      this.byId.set(topicId, topic);
      this.partitionCount += numPartitions;
      await this.persist();
      this.logger.info({ topic: name, topicId, partitions: numPartitions }, 'topic created');
      this.topicChanged(name);
      return topic;
    });
  }

  /** Deletes a topic and its data. Throws UnknownTopicOrPartitionError. */
  deleteTopic(name: string): Promise<void> {
    return this.serialize(async () => {
      const topic = this.topics.get(name);
      if (topic === undefined) throw new UnknownTopicOrPartitionError(`unknown topic ${name}`);
      // First, so a delete cut short leaves directories that start-up recovery does not bring back.
      await removePartitionMetadata(topic.partitions.map((p) => this.partitionDir(name, p.index)));
      this.topics.delete(name);
      this.byId.delete(topic.topicId);
      this.partitionCount -= topic.partitions.length;
      await this.persist();
      await mapBounded(topic.partitions, PARTITION_IO_CONCURRENCY, (p) => p.delete());
      for (const p of topic.partitions) this.listener(p);
      this.logger.info({ topic: name, topicId: topic.topicId }, 'topic deleted');
      this.topicChanged(name);
    });
  }

  /** CreatePartitions: grows the topic to `totalCount` partitions (never shrinks). */
  createPartitions(name: string, totalCount: number, validateOnly = false): Promise<void> {
    return this.serialize(async () => {
      const topic = this.topics.get(name);
      if (topic === undefined) throw new UnknownTopicOrPartitionError(`unknown topic ${name}`);
      const current = topic.partitions.length;
      if (totalCount <= current) {
        throw new InvalidPartitionsError(`topic ${name} has ${current} partitions; the new count must be larger, got ${totalCount}`);
      }
      checkPartitionCount(totalCount);
      this.checkPartitionLimit(totalCount - current, `growing topic ${name} from ${current} to ${totalCount} partitions`);
      if (validateOnly) return;
      const added = await mapBounded(Array.from({ length: totalCount - current }, (_, i) => current + i), PARTITION_IO_CONCURRENCY, (i) =>
        this.openPartition(name, i, topic.config),
      );
      await writePartitionMetadata(added.map((p) => this.partitionDir(name, p.index)), { topicId: topic.topicId, configs: topic.overrides });
      topic.partitions = [...topic.partitions, ...added];
      this.partitionCount += added.length;
      await this.persist();
      this.logger.info({ topic: name, from: current, to: totalCount }, 'partitions created');
      this.topicChanged(name);
    });
  }

  /** AlterConfigs (replace all overrides) or IncrementalAlterConfigs (apply ops). */
  alterConfigs(name: string, change: { replace: TopicConfigInput } | { ops: readonly AlterConfigOp[] }, validateOnly = false): Promise<void> {
    return this.serialize(async () => {
      const topic = this.topics.get(name);
      if (topic === undefined) throw new UnknownTopicOrPartitionError(`unknown topic ${name}`);
      const next = 'replace' in change ? { ...change.replace } : applyOps(topic.overrides, change.ops, this.defaults);
      const overrides = validateTopicConfigs(next);
      const config = resolveTopicConfig(overrides, this.defaults);
      if (validateOnly) return;
      topic.overrides = overrides;
      topic.config = config;
      await Promise.all(topic.partitions.map((p) => p.updateConfig(config)));
      await this.persist();
      await this.writeMetadata(topic);
      this.logger.info({ topic: name, configs: overrides }, 'topic configs altered');
    });
  }

  describeConfigs(name: string): ConfigEntry[] {
    const topic = this.topics.get(name);
    if (topic === undefined) throw new UnknownTopicOrPartitionError(`unknown topic ${name}`);
    return describeTopicConfig(topic.overrides, this.defaults);
  }

  /**
   * Starts the broker's single retention timer on the clock: a pass every `intervalMs` after the
   * previous one finished (fixed delay, so a slow pass never overlaps the next).
   */
  startMaintenance(intervalMs: number): void {
    if (this.stopMaintenanceTimer !== undefined || this.closed) return;
    this.stopMaintenanceTimer = repeat(this.clock, intervalMs, () => this.runMaintenance());
  }

  /** Applies retention to every partition, one at a time (never overlapping with itself). */
  async runMaintenance(): Promise<void> {
    if (this.maintenanceRunning || this.closed) return;
    this.maintenanceRunning = true;
    try {
      for (const topic of this.list()) {
        for (const p of topic.partitions) {
          try {
            await p.runMaintenance();
          } catch (err) {
            this.logger.error({ err, topic: p.topic, partition: p.index }, 'retention failed');
          }
        }
      }
    } finally {
      this.maintenanceRunning = false;
    }
  }

  /**
   * Starts the log cleaner: every `backoffMs` (log.cleaner.backoff.ms) it visits the compacted
   * partitions, which compact only when their dirty ratio or max.compaction.lag.ms asks (fixed
   * delay on the clock, as startMaintenance).
   */
  startCleaner(backoffMs: number): void {
    if (this.stopCleanerTimer !== undefined || this.closed) return;
    this.stopCleanerTimer = repeat(this.clock, backoffMs, () => this.runCleaner());
  }

  /** One cleaner pass over every compacted partition, one at a time (never overlapping with itself). */
  async runCleaner(): Promise<void> {
    if (this.cleanerRunning || this.closed) return;
    this.cleanerRunning = true;
    try {
      for (const topic of this.list()) {
        if (!topic.config.cleanupPolicy.includes('compact')) continue;
        for (const p of topic.partitions) {
          try {
            await p.runCleaner();
          } catch (err) {
            this.logger.error({ err, topic: p.topic, partition: p.index }, 'compaction failed');
          }
        }
      }
    } finally {
      this.cleanerRunning = false;
    }
  }

  /** Flushes and closes every partition (after in-flight appends finish). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopMaintenanceTimer?.();
    this.stopCleanerTimer?.();
    await this.admin;
    await mapBounded(this.list().flatMap((t) => t.partitions), PARTITION_IO_CONCURRENCY, (p) => p.close());
  }

  /** Partitions held across all topics. */
  get totalPartitions(): number {
    return this.partitionCount;
  }

  /** Kafka's KRaft controller refuses an over-limit partition request with POLICY_VIOLATION. */
  private checkPartitionLimit(adding: number, what: string): void {
    if (this.partitionCount + adding <= this.maxPartitions) return;
    throw new PolicyViolationError(
      `${what} would bring the broker to ${this.partitionCount + adding} partitions, above max.partitions ${this.maxPartitions} (it holds ${this.partitionCount})`,
    );
  }

  private openPartition(topic: string, index: number, config: ReturnType<typeof resolveTopicConfig>): Promise<Partition> {
    return Partition.open({
      topic,
      index,
      dir: this.partitionDir(topic, index),
      config,
      clock: this.clock,
      onChange: (p) => this.listener(p),
      log: { logger: this.logger, openSegments: this.openSegments },
    });
  }

  private partitionDir(topic: string, index: number): string {
    return join(this.dataDir, `${topic}-${index}`);
  }

  /** partition.metadata in every partition dir: what recovery rebuilds topics.json from. */
  private writeMetadata(topic: Topic): Promise<void> {
    return writePartitionMetadata(
      topic.partitions.map((p) => this.partitionDir(topic.name, p.index)),
      { topicId: topic.topicId, configs: topic.overrides },
    );
  }

  private persist(): Promise<void> {
    const records: TopicRecord[] = this.list().map((t) => ({
      name: t.name,
      topicId: t.topicId,
      partitions: t.partitions.length,
      configs: t.overrides,
    }));
    return this.store.save(records);
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.admin.then(() => {
      if (this.closed) throw new InvalidTopicError('topic manager is closed');
      return fn();
    });
    this.admin = run.catch(() => undefined);
    return run;
  }
}

/** Kafka's Uuid.randomUuid(): 16 random bytes, never the zero id and never text starting with '-'. */
export function newTopicId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-') && id !== 'AAAAAAAAAAAAAAAAAAAAAA') return id;
  }
}

/** A stored topic's configs against today's broker defaults; a conflict names the topic (start is refused). */
function resolveStoredConfig(topic: string, overrides: TopicConfigInput, defaults: TopicConfigInput): ReturnType<typeof resolveTopicConfig> {
  try {
    return resolveTopicConfig(overrides, defaults);
  } catch (err) {
    if (!(err instanceof InvalidConfigError)) throw err;
    throw new InvalidConfigError(`topic ${topic}: ${err.message} (its overrides against the broker defaults)`, { cause: err });
  }
}

function checkPartitionCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new InvalidPartitionsError(`number of partitions must be at least 1, got ${n}`);
  if (n > MAX_PARTITIONS_PER_TOPIC) throw new InvalidPartitionsError(`number of partitions ${n} exceeds ${MAX_PARTITIONS_PER_TOPIC}`);
}

function applyOps(current: Readonly<Record<string, string>>, ops: readonly AlterConfigOp[], defaults: TopicConfigInput): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const op of ops) {
    switch (op.op) {
      case 'set':
        next[op.name] = op.value;
        break;
      case 'delete':
        delete next[op.name];
        break;
      case 'append':
      case 'subtract': {
        // Only list-typed configs take APPEND/SUBTRACT (Kafka rule).
        const def = TOPIC_CONFIG_DEFS[op.name];
        if (def?.type !== ConfigType.list) throw new InvalidConfigError(`${op.op} is only valid for list configs, not ${op.name}`);
        const base = (next[op.name] ?? defaults[op.name] ?? def.default).split(',').map((s) => s.trim()).filter(Boolean);
        const items = op.value.split(',').map((s) => s.trim()).filter(Boolean);
        const result = op.op === 'append' ? [...base, ...items.filter((i) => !base.includes(i))] : base.filter((b) => !items.includes(b));
        next[op.name] = result.join(',');
        break;
      }
    }
  }
  return next;
}
