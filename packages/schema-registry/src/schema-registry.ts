// The registry in the broker: its state lives on the compacted topic `_schemas` (one partition, as
// Confluent's), written and replayed through the coordinator runtime — so a restart replays it. In a
// cluster (`follow`) the partition replicates: the broker leading it loads the runtime's shard and
// is the one writer (Confluent's leader), and every broker answers reads from a RegistryView that
// follows its own replica; writes reaching another broker are forwarded (registry-routes.ts).
import { CoordinatorRuntime, type CoordinatorLeadershipSource, NotCoordinatorError, type PartitionWriter, followLeadership } from '@mq/coordinator';
import type { Partition, TopicManager } from '@mq/partition';
import {
  getSchemaById,
  getVersion,
  type RegistryResult,
  type RegistryRecord,
  type RegistryState,
  type SchemaSource,
  type SchemaText,
} from '@mq/schema';
import type { Clock } from '@mq/timerwheel';
import { registryRecordSerde } from './registry-record-serde.js';
import { RegistryShard } from './registry-shard.js';
import { RegistryView } from './registry-view.js';
import { RegistryWriter } from './registry-writer.js';

export const SCHEMAS_TOPIC = '_schemas';

/** pino-compatible (as @mq/partition's PartitionLogger). */
export interface RegistryLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SchemaRegistryOptions {
  readonly topics: TopicManager;
  readonly clock: Clock;
  readonly logger?: RegistryLogger;
  /** Default `_schemas` (Confluent's kafkastore.topic). */
  readonly topic?: string;
  /** Where records go; default an append to the topic's partition 0 (a test can put a failing writer here). */
  readonly writerFor?: (partition: Partition) => PartitionWriter;
}

/** A cluster member's registry: the leadership of `_schemas` partition 0 decides who writes. */
export interface SchemaRegistryClusterOptions extends Omit<SchemaRegistryOptions, 'writerFor'> {
  /** The broker's data plane: loads the write shard where partition 0 is led, its writer appends with acks=all. */
  readonly leadership: CoordinatorLeadershipSource;
  /** The broker leading partition 0 in the metadata image now; undefined while none is. */
  readonly leaderOf: () => number | undefined;
}

/** How long a write waits for this broker's view to replay it (read-your-write) before it answers anyway. */
export const VIEW_CATCH_UP_MS = 5_000;

const SILENT: RegistryLogger = { info() {}, warn() {}, error() {} };

export class SchemaRegistry {
  readonly topic: string;
  /** Reads through the registry's current state (for serdes and broker-side validation). */
  readonly source: SchemaSource;
  private readonly writer: RegistryWriter;
  private stopFollowing: (() => void) | undefined;
  /** The highest offset a write forwarded from here reached at the leader. */
  private pending = 0n;
  private constructor(
    private readonly runtime: CoordinatorRuntime<RegistryShard, RegistryRecord>,
    topic: string,
    private readonly view?: RegistryView,
    private readonly leaderOf?: () => number | undefined,
  ) {
    this.topic = topic;
    this.writer = new RegistryWriter(runtime);
    this.source = {
      schemaById: (id: number): SchemaText => this.read((s) => getSchemaById(s, id)),
      schemaByVersion: (subject: string, version: number): SchemaText => this.read((s) => getVersion(s, subject, version, true)),
    };
  }

  /** Creates `_schemas` (compacted, one partition) if missing, then replays it. */
  static async open(opts: SchemaRegistryOptions): Promise<SchemaRegistry> {
    const topicName = opts.topic ?? SCHEMAS_TOPIC;
    const logger = opts.logger ?? SILENT;
    if (opts.topics.get(topicName) === undefined) {
      await opts.topics.createTopic(topicName, 1, { 'cleanup.policy': 'compact' });
      logger.info({ topic: topicName }, 'schema registry topic created');
    }
    const runtime = new CoordinatorRuntime<RegistryShard, RegistryRecord>({
      name: 'schema registry',
      serde: registryRecordSerde,
      shardFactory: () => new RegistryShard(),
      clock: opts.clock,
      ...(opts.writerFor ? { writerFor: (p: Partition) => opts.writerFor!(p) } : {}),
      onError: (err, context) => logger.error({ err }, context),
    });
    const summary = await runtime.load(0, opts.topics.partition(topicName, 0));
    logger.info({ topic: topicName, records: summary.records, skipped: summary.skipped }, 'schema registry loaded');
    return new SchemaRegistry(runtime, topicName);
  }

  /**
   * A cluster member's registry on `_schemas` (created by the controller, replicated): the write
   * shard follows partition 0's leadership here, the read view this broker's replica. Resolves once
   * the view has replayed what the replica holds committed (at once when it holds none yet).
   */
  static async follow(opts: SchemaRegistryClusterOptions): Promise<SchemaRegistry> {
    const topicName = opts.topic ?? SCHEMAS_TOPIC;
    const logger = opts.logger ?? SILENT;
    const onError = (err: unknown, context: string) => logger.error({ err }, context);
    const runtime = new CoordinatorRuntime<RegistryShard, RegistryRecord>({
      name: 'schema registry',
      serde: registryRecordSerde,
      shardFactory: () => new RegistryShard(),
      clock: opts.clock,
      writerFor: (p: Partition) => opts.leadership.writerFor(p),
      onError,
    });
    const view = new RegistryView({ topics: opts.topics, topic: topicName, clock: opts.clock, onError });
    await view.catchUp();
    const registry = new SchemaRegistry(runtime, topicName, view, opts.leaderOf);
    registry.stopFollowing = followLeadership(
      runtime,
      topicName,
      opts.leadership,
      {
        onError,
        onLoaded: (partition, leaderEpoch, summary, elapsedMs) =>
          logger.info({ topic: topicName, partition, leaderEpoch, records: summary.records, elapsedMs }, `loaded ${topicName}-${partition}: this broker writes the schema registry`),
        onUnloaded: (partition) => logger.info({ topic: topicName, partition }, `unloaded ${topicName}-${partition}: the schema registry's writes go to its new leader`),
      },
      () => opts.clock.now(),
    );
    return registry;
  }

  /** Whether writes run here: this broker leads `_schemas` partition 0 and has loaded it (always, once open, on one node). */
  get leadsWrites(): boolean {
    return this.runtime.status(0) === 'active';
  }

  /** Whether reads are answered here: on one node once loaded; in a cluster where a replica of the partition is. */
  get servesReads(): boolean {
    return this.view === undefined ? this.leadsWrites : this.view.hasReplica;
  }

  /** The broker writes go to (cluster); undefined on one node or while partition 0 has no leader. */
  get leader(): number | undefined {
    return this.leaderOf?.();
  }

  /** Offset below which the read view has replayed every committed record (one node: undefined, reads see every write). */
  get appliedOffset(): bigint | undefined {
    return this.view?.appliedOffset;
  }

  /**
   * Waits (up to `timeoutMs`) until the read view has replayed what this broker's replica has
   * fetched by now; false at once when there is nothing more (or on one node). A registration the
   * leader has answered is in every ISR member's log already, its commit maybe not yet known here:
   * broker-side validation waits for it before refusing an id it does not know.
   */
  /** A cluster member's registry: its reads follow a replica and may trail the leader's writes. */
  get followsReplica(): boolean {
    return this.view !== undefined;
  }

  async catchUpWithReplica(timeoutMs: number): Promise<boolean> {
    if (this.view === undefined) return false;
    const target = this.view.fetchedOffset;
    if (target <= this.view.appliedOffset) return false;
    return this.view.awaitOffset(target, timeoutMs);
  }

  /**
   * A write this broker forwarded reached `offset` at the leader: until the read view has replayed
   * that far, reads here go to the leader too (`readsCurrent`), so the writer reads its write back
   * through this broker without waiting for replication to tell this replica the write is committed.
   */
  notePending(offset: bigint): void {
    if (offset > this.pending) this.pending = offset;
  }

  /** The highest offset a write forwarded from here reached at the leader (grows with each such write). */
  get writesForwarded(): bigint {
    return this.pending;
  }

  /** Whether the read view holds every write this broker forwarded (one node: always). */
  get readsCurrent(): boolean {
    return this.view === undefined || this.view.appliedOffset >= this.pending;
  }

  /**
   * Runs a command on the registry's one loop: its records are appended, replayed, then it answers.
   * Commands queued while an append is in flight share the next append (RegistryWriter).
   */
  async write<T>(name: string, command: (state: RegistryState) => RegistryResult<T>): Promise<T> {
    const response = await this.writer.write(name, command);
    // In a cluster reads answer from the view: the write answers once the view shows it.
    if (this.view !== undefined) await this.view.awaitOffset(this.view.committedOffset, VIEW_CATCH_UP_MS);
    return response;
  }

  read<T>(query: (state: RegistryState) => T): T {
    if (this.view === undefined) return this.runtime.readOperation(0, (shard) => query(shard.state));
    if (!this.view.hasReplica) throw new NotCoordinatorError(`${this.topic}-0 has no replica on this broker`);
    return query(this.view.state);
  }

  async close(): Promise<void> {
    this.stopFollowing?.();
    this.view?.close();
    await this.runtime.close();
  }
}
