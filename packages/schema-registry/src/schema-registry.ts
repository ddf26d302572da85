// The registry in the broker: its state lives on the compacted topic `_schemas` (one partition, as
// Confluent's), written and replayed through the coordinator runtime — so a restart replays it, and
// once partitions replicate it fails over with its partition's leadership.
import { CoordinatorRuntime, type PartitionWriter } from '@mq/coordinator';
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

const SILENT: RegistryLogger = { info() {}, warn() {}, error() {} };

export class SchemaRegistry {
  readonly topic: string;
  /** Reads through the registry's current state (for serdes and broker-side validation). */
  readonly source: SchemaSource;
  private readonly writer: RegistryWriter;
  private constructor(
    private readonly runtime: CoordinatorRuntime<RegistryShard, RegistryRecord>,
    topic: string,
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
   * Runs a command on the registry's one loop: its records are appended, replayed, then it answers.
   * Commands queued while an append is in flight share the next append (RegistryWriter).
   */
  write<T>(name: string, command: (state: RegistryState) => RegistryResult<T>): Promise<T> {
    return this.writer.write(name, command);
  }

  read<T>(query: (state: RegistryState) => T): T {
    return this.runtime.readOperation(0, (shard) => query(shard.state));
  }

  async close(): Promise<void> {
    await this.runtime.close();
  }
}
