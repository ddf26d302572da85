// All topics of one broker: the data-plane owner of the metadata image. Admin changes (create /
// delete / grow / reconfigure) are committed to the MetadataStore as records; every delta the store
// reports — this broker's own or, in a cluster, the controller's — is applied here: partitions this
// node is a replica of are opened, grown, reconfigured or deleted (<dataDir>/<topic>-<n>/ with its
// partition.metadata). Admin changes run one at a time, deltas are applied one at a time in order;
// one retention timer per broker applies retention to every partition, one cleaner timer compacts.
import { join } from 'node:path';
import {
  LocalMetadataStore,
  MetadataUnavailableError,
  StaleMembershipError,
  placeReplicas,
  type MetadataDelta,
  type MetadataImage,
  type MetadataRecord,
  type MetadataStore,
  type PartitionState,
  type TopicImage,
} from '@mq/metadata';
import { type FileSystem, OpenSegmentCache, nodeFileSystem } from '@mq/log';
import { type Cancel, type Clock, SystemClock, repeat } from '@mq/timerwheel';
import { mapBounded } from './bounded';
import { InvalidPartitionsError, InvalidTopicError, PolicyViolationError, TopicAlreadyExistsError, UnknownTopicOrPartitionError } from '@mq/errors';
import { Partition } from './partition';
import { Topic } from './topic';
import { describeTopicConfig, resolveTopicConfig, validateTopicConfigs, type ConfigEntry, type TopicConfigInput } from './topic-config';
import { isInternalTopic, unifyCollisionChars, validateTopicName } from './topic-name';
import { removePartitionMetadata, writePartitionMetadata } from './partition-metadata';
import { recoverTopics } from './topic-recovery';
import { MAX_PARTITIONS_PER_TOPIC, applyOps, checkPartitionCount, newTopicId, resolveStoredConfig, type AlterConfigOp } from './topic-admin';

export { MAX_PARTITIONS_PER_TOPIC, newTopicId, type AlterConfigOp } from './topic-admin';

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
  /**
   * The storage seam: every partition log (segments, indexes, recovery, retention, compaction),
   * partition.metadata and producer snapshot goes through it. Default node:fs.
   */
  readonly fs?: FileSystem;
  /** Source of new topic ids (Kafka Uuid text: 22 chars url-safe base64). */
  readonly newTopicId?: () => string;
  /** max.partitions (KIP-578's name): partitions the broker holds in all; more is refused with POLICY_VIOLATION. */
  readonly maxPartitions?: number;
  /** Segment files kept open across all partitions (idle ones are closed, least recently used first). */
  readonly maxOpenFiles?: number;
  /** node.id: partitions whose replicas name it are opened here. Default 0. */
  readonly nodeId?: number;
  /**
   * Where topics and partition states live. Default: the data dir's own files (LocalMetadataStore,
   * checked against the partition directories at open). Another store (etcd) is loaded by open().
   */
  readonly store?: MetadataStore;
}

/** How often a placement refused for a stale membership basis is recomputed before the request fails (retriable). */
const MAX_PLACEMENT_ATTEMPTS = 5;

/** How a new topic's replicas are chosen: a replication factor (placed over the image's brokers) or explicit lists. */
export interface ReplicaAssignment {
  /** Default 1. */
  readonly replicationFactor?: number;
  /** Replica list per partition (CreateTopics assignments); the first of each is the preferred leader. */
  readonly assignments?: readonly (readonly number[])[];
}

export const DEFAULT_MAX_PARTITIONS = 20_000;
export const DEFAULT_MAX_OPEN_FILES = 1_024;
/** Partitions opened, closed or deleted at once: bounds transient fds and keeps the thread pool busy. */
const PARTITION_IO_CONCURRENCY = 64;

const silentLogger: PartitionLogger = { info() {}, warn() {}, error() {} };

export class TopicManager {
  readonly dataDir: string;
  readonly defaults: TopicConfigInput;
  readonly nodeId: number;
  /** The metadata this manager applies (and commits its admin changes to). */
  readonly store: MetadataStore;
  private readonly topics = new Map<string, Topic>();
  private readonly byId = new Map<string, Topic>();
  private readonly logger: PartitionLogger;
  readonly clock: Clock;
  private readonly fs: FileSystem;
  private readonly uuid: () => string;
  private readonly maxPartitions: number;
  private readonly openSegments: OpenSegmentCache;
  private partitionCount = 0;
  private listener: (p: Partition) => void = () => {};
  private readonly topicListeners = new Set<(topic: string) => void>();
  private readonly changeObservers = new Set<(p: Partition) => void>();
  private readonly stateListeners = new Set<(states: readonly PartitionState[], image: MetadataImage) => void>();
  private admin: Promise<unknown> = Promise.resolve();
  /** Deltas are applied one after another, in the order the store reports them. */
  private applying: Promise<unknown> = Promise.resolve();
  private readonly applied = new WeakMap<MetadataDelta, Promise<void>>();
  private unwatch: () => void = () => {};
  private stopMaintenanceTimer: Cancel | undefined;
  private maintenanceRunning = false;
  private stopCleanerTimer: Cancel | undefined;
  private cleanerRunning = false;
  private closed = false;

  private constructor(opts: TopicManagerOptions) {
    this.dataDir = opts.dataDir;
    this.defaults = opts.defaults ?? {};
    this.nodeId = opts.nodeId ?? 0;
    this.store = opts.store ?? new LocalMetadataStore({ dataDir: opts.dataDir, nodeId: this.nodeId });
    this.logger = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? new SystemClock({ logger: this.logger });
    this.fs = opts.fs ?? nodeFileSystem;
    this.uuid = opts.newTopicId ?? newTopicId;
    this.maxPartitions = opts.maxPartitions ?? DEFAULT_MAX_PARTITIONS;
    if (!Number.isInteger(this.maxPartitions) || this.maxPartitions < 1) throw new RangeError(`maxPartitions must be a positive integer (got ${this.maxPartitions})`);
    this.openSegments = new OpenSegmentCache(opts.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES);
  }

  static async open(opts: TopicManagerOptions): Promise<TopicManager> {
    const m = new TopicManager(opts);
    validateTopicConfigs(m.defaults);
    const writeMetadata =
      m.store instanceof LocalMetadataStore
        ? (await recoverTopics(m.store, m.dataDir, { logger: m.logger, newTopicId: m.uuid, maxPartitions: MAX_PARTITIONS_PER_TOPIC, now: () => m.clock.now() })).writeMetadata
        : (await m.store.load(), []);
    const slots: { topic: Topic; index: number }[] = [];
    for (const t of m.store.image.topics.values()) {
      const topic = m.newTopic(t);
      for (const s of t.partitions) if (m.hosts(s)) slots.push({ topic, index: s.partition });
      m.topics.set(t.name, topic);
      m.byId.set(t.topicId, topic);
    }
    // One bounded pool over every partition of every topic, not a burst per topic.
    const opened = await mapBounded(slots, PARTITION_IO_CONCURRENCY, (s) => m.openPartition(s.topic.name, s.index, s.topic.config));
    slots.forEach((s, i) => {
      s.topic.partitions[s.index] = opened[i]!;
    });
    // Internal topics (the broker's own, e.g. __consumer_offsets) do not count against max.partitions.
    m.partitionCount = slots.filter((s) => !s.topic.isInternal).length;
    if (m.partitionCount > m.maxPartitions) {
      m.logger.warn({ partitions: m.partitionCount, maxPartitions: m.maxPartitions }, `data dir holds ${m.partitionCount} partitions, above max.partitions ${m.maxPartitions}: new ones are refused`);
    }
    for (const rec of writeMetadata) await m.writeMetadata(m.topics.get(rec.name)!);
    m.unwatch = m.store.watch((delta) => m.enqueueApply(delta));
    return m;
  }

  /** The metadata image this broker has applied (topics, partition states, brokers, controller). */
  get image(): MetadataImage {
    return this.store.image;
  }

  /** The one sink told whenever a partition's readable range changes (new data, log start moved). */
  setChangeListener(fn: (p: Partition) => void): void {
    this.listener = fn;
  }

  /**
   * Also told when a partition's high watermark advances or its log start moves, after the change
   * listener: observers beside the one sink (the tracer's replicated step). Returns the unsubscribe.
   */
  onPartitionChange(fn: (p: Partition) => void): () => void {
    this.changeObservers.add(fn);
    return () => this.changeObservers.delete(fn);
  }

  /** Told the topic's name after it is created or deleted, or gains partitions. Returns the unsubscribe. */
  onTopicChange(fn: (topic: string) => void): () => void {
    this.topicListeners.add(fn);
    return () => this.topicListeners.delete(fn);
  }

  /**
   * Told, after a delta is applied (partitions opened), every new or changed partition state this
   * node is a replica of — and, for ones it no longer is, the state that removed it. The
   * replication layer (leader / follower) hangs off this. Returns the unsubscribe.
   */
  onPartitionStates(fn: (states: readonly PartitionState[], image: MetadataImage) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
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

  /** The partition, or throws UnknownTopicOrPartitionError (also for one not hosted on this node). */
  partition(topic: string, index: number): Partition {
    const p = this.topics.get(topic)?.partitions[index];
    if (p === undefined) throw new UnknownTopicOrPartitionError(`unknown topic-partition ${topic}-${index}`);
    return p;
  }

  /**
   * Validates and (unless validateOnly) creates a topic. Throws InvalidTopicError,
   * TopicAlreadyExistsError, InvalidPartitionsError, InvalidConfigError, INVALID_REPLICATION_FACTOR
   * or the store's error (NOT_CONTROLLER, REQUEST_TIMED_OUT when etcd is unreachable).
   */
  createTopic(name: string, numPartitions: number, configs: TopicConfigInput = {}, validateOnly = false, replicas: ReplicaAssignment = {}): Promise<Topic | undefined> {
    return this.serialize(async () => {
      validateTopicName(name);
      if (isInternalTopic(name)) throw new InvalidTopicError(`topic name ${name} is reserved for the broker`);
      if (this.topics.has(name) || this.image.topics.has(name)) throw new TopicAlreadyExistsError(`topic ${name} already exists`);
      const key = unifyCollisionChars(name);
      for (const other of this.image.topics.keys()) {
        if (unifyCollisionChars(other) === key) {
          throw new InvalidTopicError(`topic ${name} collides with existing topic ${other} ('.' and '_' collide)`);
        }
      }
      checkPartitionCount(numPartitions);
      const placement = (): number[][] => {
        const lists = this.replicaLists(numPartitions, 0, replicas);
        this.checkPartitionLimit(lists.filter((r) => r.includes(this.nodeId)).length, `creating topic ${name} with ${numPartitions} partitions`);
        return lists;
      };
      placement();
      const overrides = validateTopicConfigs(configs);
      resolveTopicConfig(overrides, this.defaults);
      if (validateOnly) return undefined;
      const topicId = this.uuid();
      const delta = await this.commitPlaced(replicas, () => [
        { type: 'topic', name, topicId, configs: overrides },
        ...placement().map((r, i): MetadataRecord => ({ type: 'partition', state: newPartitionState(topicId, name, i, r) })),
      ]);
      try {
        await this.applied.get(delta);
      } catch (err) {
        // Never leave a topic in the metadata that its creator could not open.
        await this.store.commit([{ type: 'removeTopic', name }]).catch(() => undefined);
        throw err;
      }
      return this.topics.get(name);
    });
  }

  /**
   * Creates (once) a topic the broker owns — __consumer_offsets, later __transaction_state — with
   * `numPartitions` partitions and these configs, or returns it as it exists (its partition count
   * never changes afterwards: coordinators map keys onto it). Not counted against max.partitions.
   */
  ensureInternalTopic(name: string, numPartitions: number, configs: TopicConfigInput = {}, replicas: ReplicaAssignment = {}): Promise<Topic> {
    return this.serialize(async () => {
      if (!isInternalTopic(name)) throw new InvalidTopicError(`${name} is not an internal topic`);
      const existing = this.topics.get(name);
      if (existing !== undefined) return existing;
      if (!this.image.topics.has(name)) {
        checkPartitionCount(numPartitions);
        const overrides = validateTopicConfigs(configs);
        resolveTopicConfig(overrides, this.defaults);
        const topicId = this.uuid();
        const delta = await this.commitPlaced(replicas, () => [
          { type: 'topic', name, topicId, configs: overrides },
          ...this.replicaLists(numPartitions, 0, replicas).map((r, i): MetadataRecord => ({ type: 'partition', state: newPartitionState(topicId, name, i, r) })),
        ]);
        await this.applied.get(delta);
      }
      await this.applying;
      const topic = this.topics.get(name);
      if (topic === undefined) throw new UnknownTopicOrPartitionError(`internal topic ${name} could not be opened`);
      return topic;
    });
  }

  /** Deletes a topic and its data. Throws UnknownTopicOrPartitionError; an internal topic PolicyViolationError. */
  deleteTopic(name: string): Promise<void> {
    return this.serialize(async () => {
      const topic = this.topics.get(name);
      if (topic === undefined || !this.image.topics.has(name)) throw new UnknownTopicOrPartitionError(`unknown topic ${name}`);
      if (topic.isInternal) throw new PolicyViolationError(`topic ${name} is internal: the broker owns it`);
      // First, so a delete cut short leaves directories that start-up recovery does not bring back.
      await removePartitionMetadata(hosted(topic).map((p) => this.partitionDir(name, p.index)), this.fs);
      await this.applied.get(await this.store.commit([{ type: 'removeTopic', name }]));
    });
  }

  /** CreatePartitions: grows the topic to `totalCount` partitions (never shrinks). */
  createPartitions(name: string, totalCount: number, validateOnly = false, assignments?: readonly (readonly number[])[]): Promise<void> {
    return this.serialize(async () => {
      const t = this.image.topics.get(name);
      if (t === undefined) throw new UnknownTopicOrPartitionError(`unknown topic ${name}`);
      // Coordinators map keys onto an internal topic's partitions: their count is fixed.
      if (isInternalTopic(name)) throw new PolicyViolationError(`topic ${name} is internal: its partition count is fixed`);
      const current = t.partitions.length;
      if (totalCount <= current) {
        throw new InvalidPartitionsError(`topic ${name} has ${current} partitions; the new count must be larger, got ${totalCount}`);
      }
      checkPartitionCount(totalCount);
      const rf = t.partitions[0]?.replicas.length ?? 1;
      const assignment: ReplicaAssignment = assignments !== undefined ? { assignments } : { replicationFactor: rf };
      const placement = (): number[][] => {
        const lists = this.replicaLists(totalCount - current, current, assignment);
        this.checkPartitionLimit(lists.filter((r) => r.includes(this.nodeId)).length, `growing topic ${name} from ${current} to ${totalCount} partitions`);
        return lists;
      };
      placement();
      if (validateOnly) return;
      await this.applied.get(await this.commitPlaced(assignment, () => placement().map((r, i): MetadataRecord => ({ type: 'partition', state: newPartitionState(t.topicId, name, current + i, r) }))));
    });
  }

  /** AlterConfigs (replace all overrides) or IncrementalAlterConfigs (apply ops). */
  alterConfigs(name: string, change: { replace: TopicConfigInput } | { ops: readonly AlterConfigOp[] }, validateOnly = false): Promise<void> {
    return this.serialize(async () => {
      const t = this.image.topics.get(name);
      if (t === undefined) throw new UnknownTopicOrPartitionError(`unknown topic ${name}`);
      const next = 'replace' in change ? { ...change.replace } : applyOps(t.configs, change.ops, this.defaults);
      const overrides = validateTopicConfigs(next);
      resolveTopicConfig(overrides, this.defaults);
      if (validateOnly) return;
      await this.applied.get(await this.store.commit([{ type: 'config', topic: name, configs: overrides }]));
    });
  }

  describeConfigs(name: string): ConfigEntry[] {
    const t = this.image.topics.get(name);
    if (t === undefined) throw new UnknownTopicOrPartitionError(`unknown topic ${name}`);
    return describeTopicConfig(this.topics.get(name)?.overrides ?? { ...t.configs }, this.defaults);
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
        for (const p of hosted(topic)) {
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
        for (const p of hosted(topic)) {
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
    this.unwatch();
    this.stopMaintenanceTimer?.();
    this.stopCleanerTimer?.();
    await this.admin;
    await this.applying;
    await mapBounded(this.list().flatMap((t) => hosted(t)), PARTITION_IO_CONCURRENCY, (p) => p.close());
  }

  /** Partitions held across all topics except internal ones (what max.partitions bounds). */
  get totalPartitions(): number {
    return this.partitionCount;
  }

  private enqueueApply(delta: MetadataDelta): void {
    const run = this.applying.then(() => (this.closed ? undefined : this.applyDelta(delta)));
    this.applying = run.catch((err: unknown) => this.logger.error({ err }, 'applying a metadata change failed'));
    this.applied.set(delta, run);
  }

  /** The data-plane side of one delta: partitions of this node opened, grown, reconfigured or deleted. */
  private async applyDelta(delta: MetadataDelta): Promise<void> {
    for (const t of delta.topicsRemoved()) await this.dropTopic(t);
    for (const t of delta.topicsCreated()) {
      const topic = this.newTopic(t);
      const mine = t.partitions.filter((s) => this.hosts(s));
      const opened = await mapBounded(mine, PARTITION_IO_CONCURRENCY, (s) => this.openPartition(t.name, s.partition, topic.config));
      for (const p of opened) topic.partitions[p.index] = p;
      await this.writeMetadata(topic);
      this.topics.set(t.name, topic);
      this.byId.set(t.topicId, topic);
      if (!topic.isInternal) this.partitionCount += opened.length;
      this.logger.info({ topic: t.name, topicId: t.topicId, partitions: t.partitions.length }, topic.isInternal ? 'internal topic created' : 'topic created');
      this.topicChanged(t.name);
    }
    for (const t of delta.configsChanged()) {
      const topic = this.topics.get(t.name);
      if (topic === undefined) continue;
      topic.overrides = { ...t.configs };
      topic.config = resolveStoredConfig(t.name, topic.overrides, this.defaults);
      await Promise.all(hosted(topic).map((p) => p.updateConfig(topic.config)));
      await this.writeMetadata(topic);
      this.logger.info({ topic: t.name, configs: topic.overrides }, 'topic configs altered');
    }
    const created = new Set(delta.topicsCreated().map((t) => t.name));
    const changed = delta.partitionsChanged();
    const grown = new Map<string, number>();
    for (const s of changed) {
      if (created.has(s.topic)) continue;
      const topic = this.topics.get(s.topic);
      if (topic === undefined) continue;
      const before = delta.previous.topics.get(s.topic)?.partitions.length ?? 0;
      if (s.partition >= before) grown.set(s.topic, Math.max(grown.get(s.topic) ?? 0, s.partition + 1));
      const open = topic.partitions[s.partition];
      if (this.hosts(s) && open === undefined) {
        const p = await this.openPartition(s.topic, s.partition, topic.config);
        topic.partitions[s.partition] = p;
        if (!topic.isInternal) this.partitionCount++;
        await writePartitionMetadata([this.partitionDir(s.topic, s.partition)], { topicId: topic.topicId, configs: topic.overrides }, this.fs);
      } else if (!this.hosts(s) && open !== undefined) {
        // Reassigned away from this node: its copy is no longer a replica.
        await removePartitionMetadata([this.partitionDir(s.topic, s.partition)], this.fs);
        topic.partitions[s.partition] = undefined as unknown as Partition;
        if (!topic.isInternal) this.partitionCount--;
        await open.delete();
        this.listener(open);
      }
    }
    for (const [name, to] of grown) {
      const topic = this.topics.get(name)!;
      if (topic.partitions.length < to) topic.partitions.length = to;
      this.logger.info({ topic: name, from: delta.previous.topics.get(name)?.partitions.length, to }, 'partitions created');
      this.topicChanged(name);
    }
    const mine = changed.filter((s) => this.hosts(s) || delta.previous.topics.get(s.topic)?.partitions[s.partition]?.replicas.includes(this.nodeId));
    if (mine.length > 0) for (const fn of this.stateListeners) fn(mine, delta.image);
  }

  private async dropTopic(t: TopicImage): Promise<void> {
    const topic = this.topics.get(t.name);
    if (topic === undefined || topic.topicId !== t.topicId) return;
    const mine = hosted(topic);
    // Idempotent: the deleting broker removed them already (before its commit).
    await removePartitionMetadata(mine.map((p) => this.partitionDir(t.name, p.index)), this.fs);
    this.topics.delete(t.name);
    this.byId.delete(t.topicId);
    if (!topic.isInternal) this.partitionCount -= mine.length;
    await mapBounded(mine, PARTITION_IO_CONCURRENCY, (p) => p.delete());
    for (const p of mine) this.listener(p);
    this.logger.info({ topic: t.name, topicId: t.topicId }, 'topic deleted');
    this.topicChanged(t.name);
  }

  private newTopic(t: TopicImage): Topic {
    const config = resolveStoredConfig(t.name, t.configs, this.defaults);
    const topic = new Topic(t.name, t.topicId, isInternalTopic(t.name), [], { ...t.configs }, config);
    // Indexed by partition number; a partition this node does not host is a hole.
    topic.partitions.length = t.partitions.length;
    return topic;
  }

  private hosts(s: PartitionState): boolean {
    return s.replicas.includes(this.nodeId);
  }

  /** Replica lists for `count` new partitions from `firstPartition`: explicit, or placed over the image's brokers. */
  /**
   * Commits records whose replicas `place()` computes. Placed over the registered brokers (no
   * explicit assignment), the commit carries those registrations as its membership basis, so a
   * placement onto a broker whose registration expired or changed meanwhile is refused by the
   * store (StaleMembershipError); it is then recomputed from the image caught up with the refusal,
   * up to MAX_PLACEMENT_ATTEMPTS times — a client never sees STALE_BROKER_EPOCH; membership that
   * keeps changing is REQUEST_TIMED_OUT (MetadataUnavailableError), which clients retry.
   */
  private async commitPlaced(r: ReplicaAssignment, place: () => readonly MetadataRecord[]): Promise<MetadataDelta> {
    for (let attempt = 1; ; attempt++) {
      // Basis and placement in one synchronous step: both read the same image.
      const basis = r.assignments === undefined && this.image.brokers.size > 0 ? this.store.membershipBasis?.(this.image.brokers.keys()) : undefined;
      const records = place();
      try {
        return await this.store.commit(records, basis !== undefined ? { basis } : {});
      } catch (err) {
        if (!(err instanceof StaleMembershipError)) throw err;
        if (attempt >= MAX_PLACEMENT_ATTEMPTS) throw new MetadataUnavailableError(`broker registrations changed during each of ${attempt} attempts to place replicas; try again`, { cause: err });
        this.logger.info({ attempt, err: err.message }, 'replica placement was computed from stale broker registrations; placing again');
        await this.store.caughtUp?.(err.revision);
      }
    }
  }

  private replicaLists(count: number, firstPartition: number, r: ReplicaAssignment): number[][] {
    if (r.assignments !== undefined) return r.assignments.map((a) => [...a]);
    const brokers = this.image.brokers.size > 0 ? [...this.image.brokers.values()] : [{ nodeId: this.nodeId }];
    return placeReplicas(brokers, count, r.replicationFactor ?? 1, { firstPartition, startIndex: this.image.brokers.size > 0 ? Math.floor(Math.random() * brokers.length) : 0 });
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
      onChange: (p) => {
        this.listener(p);
        for (const fn of this.changeObservers) fn(p);
      },
      log: { logger: this.logger, openSegments: this.openSegments, fs: this.fs },
    });
  }

  private partitionDir(topic: string, index: number): string {
    return join(this.dataDir, `${topic}-${index}`);
  }

  /** partition.metadata in every partition dir: what recovery rebuilds topics.json from. */
  private writeMetadata(topic: Topic): Promise<void> {
    return writePartitionMetadata(
      hosted(topic).map((p) => this.partitionDir(topic.name, p.index)),
      { topicId: topic.topicId, configs: topic.overrides },
      this.fs,
    );
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

/** The partitions of `topic` this node hosts (skips the holes of ones it does not). */
function hosted(topic: Topic): Partition[] {
  return topic.partitions.filter((p) => p !== undefined);
}

/** A new partition: led by its first replica, every replica in sync (none has data yet). */
function newPartitionState(topicId: string, topic: string, partition: number, replicas: readonly number[]): PartitionState {
  return { topicId, topic, partition, leader: replicas[0] ?? -1, leaderEpoch: 0, partitionEpoch: 0, replicas, isr: replicas };
}
