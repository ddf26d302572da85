// A data dir for the coordinator tests: each open() starts a TopicManager on it (closing the one
// before, as a broker restart does) and a GroupCoordinator over its real __consumer_offsets.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionRecordWriter, type RawRecord } from '@mq/coordinator';
import type { FileSystem } from '@mq/log';
import { type Partition, TopicManager } from '@mq/partition';
import { afterEach } from 'vitest';
import { GroupCoordinator, type GroupCoordinatorOptions } from '../src/group-coordinator';
import { CONSUMER_OFFSETS_TOPIC } from '../src/consumer-offsets-topic';

const stores: OffsetsStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.dispose();
});

export class OffsetsStore {
  topics: TopicManager | undefined;
  private constructor(
    readonly dir: string,
    private readonly fs?: FileSystem,
  ) {}

  /** `fs`: the filesystem every log goes through (a FaultyFileSystem injects write failures). */
  static async create(fs?: FileSystem): Promise<OffsetsStore> {
    const s = new OffsetsStore(await mkdtemp(join(tmpdir(), 'mq-groups-')), fs);
    stores.push(s);
    return s;
  }

  /**
   * A coordinator over a fresh TopicManager on the dir; __consumer_offsets has 1 partition and every
   * committed topic exists unless the options say otherwise.
   */
  async open(opts: Omit<GroupCoordinatorOptions, 'topicManager'> = {}): Promise<GroupCoordinator> {
    await this.topics?.close();
    this.topics = await TopicManager.open({ dataDir: this.dir, ...(this.fs !== undefined ? { fs: this.fs } : {}) });
    return GroupCoordinator.open({ topicExists: () => true, ...opts, topicManager: this.topics, config: { offsetsTopicNumPartitions: 1, ...opts.config } });
  }

  /** open(), then prepare(): a coordinator whose __consumer_offsets is loaded. */
  async openPrepared(opts: Omit<GroupCoordinatorOptions, 'topicManager'> = {}): Promise<GroupCoordinator> {
    const c = await this.open(opts);
    await c.prepare();
    return c;
  }

  partition(index = 0): Partition {
    return this.topics!.partition(CONSUMER_OFFSETS_TOPIC, index);
  }

  /** Appends raw records to a partition of __consumer_offsets, as another writer (or a corrupt disk) would. */
  async appendRaw(records: RawRecord[], index = 0): Promise<void> {
    await new PartitionRecordWriter(this.partition(index)).append(records);
  }

  async dispose(): Promise<void> {
    await this.topics?.close();
    this.topics = undefined;
    await rm(this.dir, { recursive: true, force: true });
  }
}
