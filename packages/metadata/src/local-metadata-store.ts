// The single-node MetadataStore: meta/topics.json (topics, partition counts, config overrides) and
// meta/producer-ids.json (the producer-id block), the files the broker has always written, read
// unchanged. Partition states are not stored: on one node every partition is led by this node
// (leaderEpoch 0, replicas = isr = [nodeId]). Brokers and the controller live in memory only;
// keyed entries (ACLs, SCRAM credentials, quotas) in meta/entries.json.
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-file';
import { EMPTY_IMAGE, type MetadataImage, type PartitionState, type TopicImage } from './cluster-image';
import { entriesFilePath, readEntriesFile, writeEntriesFile } from './entries-file';
import { MetadataStorageError } from './errors';
import { MetadataDelta, applyRecords } from './metadata-delta';
import type { MetadataRecord } from './metadata-record';
import type { MetadataListener, MetadataStore } from './metadata-store';
import { readTopicsFile, topicsFilePath, writeTopicsFile, type TopicsFileEntry } from './topics-file';

export interface LocalMetadataStoreOptions {
  readonly dataDir: string;
  /** The node every partition state names as leader and only replica. */
  readonly nodeId: number;
}

export class LocalMetadataStore implements MetadataStore {
  readonly nodeId: number;
  /** meta/topics.json */
  readonly topicsPath: string;
  /** meta/producer-ids.json */
  readonly producerIdsPath: string;
  /** meta/entries.json */
  readonly entriesPath: string;
  /** The topics file's version as loaded; undefined when there was none. */
  fileVersion: number | undefined;
  private current: MetadataImage = EMPTY_IMAGE;
  private readonly listeners = new Set<MetadataListener>();
  private pending: Promise<unknown> = Promise.resolve();

  constructor(opts: LocalMetadataStoreOptions) {
    this.nodeId = opts.nodeId;
    this.topicsPath = topicsFilePath(opts.dataDir);
    this.producerIdsPath = join(opts.dataDir, 'meta', 'producer-ids.json');
    this.entriesPath = entriesFilePath(opts.dataDir);
  }

  get image(): MetadataImage {
    return this.current;
  }

  /** Throws TopicsFileCorruptError (the image stays empty, so recovery can rebuild it). */
  async load(): Promise<MetadataImage> {
    const loaded = await readTopicsFile(this.topicsPath);
    const nextBlockStart = await this.readProducerIds();
    const records: MetadataRecord[] = [{ type: 'producerIds', nextBlockStart }];
    for (const t of loaded?.topics ?? []) records.push(...this.topicRecords(t));
    records.push(...(await readEntriesFile(this.entriesPath)));
    this.current = applyRecords(EMPTY_IMAGE, records);
    this.fileVersion = loaded?.version;
    return this.current;
  }

  /** The records that create `entry` as a topic led by this node. */
  topicRecords(entry: TopicsFileEntry): MetadataRecord[] {
    const out: MetadataRecord[] = [{ type: 'topic', name: entry.name, topicId: entry.topicId, configs: entry.configs }];
    for (let i = 0; i < entry.partitions; i++) out.push({ type: 'partition', state: localPartitionState(entry.topicId, entry.name, i, this.nodeId) });
    return out;
  }

  commit(records: readonly MetadataRecord[]): Promise<MetadataDelta> {
    const run = this.pending.then(async () => {
      const previous = this.current;
      const next = applyRecords(previous, records);
      if (topicsFileChanged(previous, next)) await writeTopicsFile(this.topicsPath, topicsFileEntriesOf(next));
      if (next.entries !== previous.entries) await writeEntriesFile(this.entriesPath, next);
      if (next.nextProducerIdBlock !== previous.nextProducerIdBlock) {
        await writeFileAtomic(this.producerIdsPath, `${JSON.stringify({ nextBlockStart: next.nextProducerIdBlock.toString() })}\n`);
      }
      this.current = next;
      const delta = new MetadataDelta(previous, next, records);
      for (const fn of this.listeners) fn(delta);
      return delta;
    });
    this.pending = run.catch(() => undefined);
    return run;
  }

  /** Rewrites topics.json from the image (after recovery repaired it, or to upgrade a version-1 file). */
  rewrite(): Promise<void> {
    const run = this.pending.then(() => writeTopicsFile(this.topicsPath, topicsFileEntriesOf(this.current)));
    this.pending = run.catch(() => undefined);
    return run;
  }

  watch(listener: MetadataListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.pending;
    this.listeners.clear();
  }

  private async readProducerIds(): Promise<bigint> {
    const text = await readFileIfExists(this.producerIdsPath);
    if (text === undefined) return 0n;
    try {
      return BigInt((JSON.parse(text) as { nextBlockStart: string }).nextBlockStart);
    } catch (err) {
      throw new MetadataStorageError(`${this.producerIdsPath}: unreadable producer-id block (${(err as Error).message})`, { cause: err });
    }
  }
}

/** A partition on one node: led by `nodeId`, its only replica, epochs 0. */
export function localPartitionState(topicId: string, topic: string, partition: number, nodeId: number): PartitionState {
  return { topicId, topic, partition, leader: nodeId, leaderEpoch: 0, partitionEpoch: 0, replicas: [nodeId], isr: [nodeId] };
}

function topicsFileEntriesOf(image: MetadataImage): TopicsFileEntry[] {
  return [...image.topics.values()].map((t) => ({ name: t.name, topicId: t.topicId, partitions: t.partitions.length, configs: t.configs }));
}

/** Only names, ids, counts and configs are in the file; a leader or ISR change is not a reason to rewrite it. */
function topicsFileChanged(a: MetadataImage, b: MetadataImage): boolean {
  if (a.topics === b.topics) return false;
  if (a.topics.size !== b.topics.size) return true;
  for (const t of b.topics.values()) {
    const o: TopicImage | undefined = a.topics.get(t.name);
    if (o === undefined || o.topicId !== t.topicId || o.partitions.length !== t.partitions.length || o.configs !== t.configs) return true;
  }
  return false;
}
