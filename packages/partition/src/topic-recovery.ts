// The topic list at startup on one node: the LocalMetadataStore's meta/topics.json checked against
// the partition directories, so the file is never the only record. Missing or unreadable (WARN
// naming it; a corrupt one is kept aside) → rebuilt from <topic>-<n>/partition.metadata; partitions
// on disk beyond a recorded count (same topic id) → added back, committed to the store as records.
// Only reads partition.metadata of directories the file lacks. Internal topics (__consumer_offsets)
// come back the same way, but only from dirs with partition.metadata.
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import {
  TOPICS_FILE_VERSION,
  TopicsFileCorruptError,
  localPartitionState,
  type LocalMetadataStore,
  type MetadataRecord,
  type TopicsFileEntry as TopicRecord,
} from '@mq/metadata';
import { readPartitionMetadata, type PartitionMetadata } from './partition-metadata';
import { isInternalTopic, validateTopicName } from './topic-name';

interface RecoveryLogger {
  warn(obj: object, msg?: string): void;
}

export interface RecoveredTopics {
  /** Topics whose partition dirs need partition.metadata (re)written. */
  readonly writeMetadata: readonly TopicRecord[];
}

/** Loads `store`, repairs its image from the partition directories and rewrites topics.json if it had to. */
export async function recoverTopics(
  store: LocalMetadataStore,
  dataDir: string,
  opts: { logger: RecoveryLogger; newTopicId: () => string; maxPartitions: number; now: () => number },
): Promise<RecoveredTopics> {
  const { logger } = opts;
  let loaded: { version: number; topics: TopicRecord[] } | undefined;
  let corrupt = false;
  const path = store.topicsPath;
  try {
    const image = await store.load();
    loaded =
      store.fileVersion === undefined
        ? undefined
        : { version: store.fileVersion, topics: [...image.topics.values()].map((t) => ({ name: t.name, topicId: t.topicId, partitions: t.partitions.length, configs: t.configs })) };
  } catch (err) {
    if (!(err instanceof TopicsFileCorruptError)) throw err;
    corrupt = true;
    const aside = `${path}.corrupt-${opts.now()}`;
    await rename(path, aside);
    logger.warn({ path, keptAs: aside, err: err.message }, 'topics file is unreadable; rebuilding the topic list from the partition directories');
    await store.load();
    loaded = undefined;
  }
  const onDisk = await scanPartitionDirs(dataDir, opts.maxPartitions);
  if (loaded === undefined && onDisk.size > 0 && !corrupt) {
    logger.warn({ path, topics: onDisk.size }, 'topics file is missing; rebuilding the topic list from the partition directories');
  }
  const byName = new Map((loaded?.topics ?? []).map((r) => [r.name, r]));
  const writeMetadata: TopicRecord[] = loaded !== undefined && loaded.version < TOPICS_FILE_VERSION ? [...byName.values()] : [];
  let repaired = loaded === undefined ? onDisk.size > 0 : loaded.version < TOPICS_FILE_VERSION;
  const records: MetadataRecord[] = [];

  for (const [name, dirs] of onDisk) {
    const known = byName.get(name);
    if (known !== undefined) {
      const grown = await partitionsBeyond(known, dirs, logger);
      if (grown > known.partitions) {
        logger.warn({ topic: name, recorded: known.partitions, found: grown, path }, 'partitions on disk beyond the topics file; added back');
        byName.set(name, { ...known, partitions: grown });
        for (let i = known.partitions; i < grown; i++) records.push({ type: 'partition', state: localPartitionState(known.topicId, name, i, store.nodeId) });
        repaired = true;
      }
      continue;
    }
    const rec = await topicFromDirs(name, dirs, loaded === undefined, opts);
    if (rec === undefined) continue;
    byName.set(name, rec);
    records.push(...store.topicRecords(rec));
    writeMetadata.push(rec);
    repaired = true;
  }
  if (records.length > 0) await store.commit(records);
  if (repaired) await store.rewrite();
  return { writeMetadata };
}

/** topic name → partition index → directory, for every <topic>-<n> dir that can be a partition. */
async function scanPartitionDirs(dataDir: string, maxPartitions: number): Promise<Map<string, Map<number, string>>> {
  const out = new Map<string, Map<number, string>>();
  for (const e of await readdir(dataDir, { withFileTypes: true })) {
    const m = /^(.+)-(0|[1-9]\d{0,8})$/.exec(e.name);
    if (!e.isDirectory() || m === null) continue;
    const name = m[1]!;
    const index = Number(m[2]);
    if (index >= maxPartitions || !isValidTopicName(name)) continue;
    let dirs = out.get(name);
    if (dirs === undefined) out.set(name, (dirs = new Map()));
    dirs.set(index, join(dataDir, e.name));
  }
  return out;
}

/** The partition count the disk shows for a known topic: dirs past the recorded count with its id. */
async function partitionsBeyond(known: TopicRecord, dirs: Map<number, string>, logger: RecoveryLogger): Promise<number> {
  let count = known.partitions;
  for (const index of [...dirs.keys()].filter((i) => i >= known.partitions).sort((a, b) => a - b)) {
    const meta = await readPartitionMetadata(dirs.get(index)!);
    if (meta?.topicId === known.topicId) count = index + 1;
    else logger.warn({ topic: known.name, partition: index, dir: dirs.get(index) }, 'ignoring a partition directory the topics file does not list (not this topic id)');
  }
  return count;
}

/** A topic the topics file lacks, from its directories; undefined when they do not make one. */
async function topicFromDirs(
  name: string,
  dirs: Map<number, string>,
  fileLost: boolean,
  opts: { logger: RecoveryLogger; newTopicId: () => string },
): Promise<TopicRecord | undefined> {
  const indices = [...dirs.keys()].sort((a, b) => a - b);
  const metas = new Map<number, PartitionMetadata>();
  for (const i of indices) {
    const meta = await readPartitionMetadata(dirs.get(i)!);
    if (meta !== undefined) metas.set(i, meta);
  }
  const first = metas.values().next().value as PartitionMetadata | undefined;
  if (first === undefined && isInternalTopic(name)) {
    // An internal topic's dirs without partition.metadata are not its partitions (a pre-runtime
    // __consumer_offsets-0 log is its coordinator's to import); the coordinator creates the topic.
    return undefined;
  }
  if (first === undefined && !fileLost) {
    // No partition.metadata: written by every create since it existed, removed first by delete.
    opts.logger.warn({ topic: name, dirs: [...dirs.values()] }, 'ignoring partition directories of a topic the topics file does not list (an interrupted delete?)');
    return undefined;
  }
  if (first === undefined && !(await someHoldSegments([...dirs.values()]))) {
    opts.logger.warn({ topic: name, dirs: [...dirs.values()] }, 'ignoring directories that hold no partition.metadata and no log segments');
    return undefined;
  }
  const topicId = first?.topicId ?? opts.newTopicId();
  const kept = indices.filter((i) => {
    const id = metas.get(i)?.topicId;
    if (id === undefined || id === topicId) return true;
    opts.logger.warn({ topic: name, partition: i, topicId: id, expected: topicId }, 'ignoring a partition directory of an older topic with the same name');
    return false;
  });
  const partitions = kept[kept.length - 1]! + 1;
  const missing = Array.from({ length: partitions }, (_, i) => i).filter((i) => !kept.includes(i));
  opts.logger.warn(
    { topic: name, topicId, partitions, ...(missing.length > 0 ? { missingPartitions: missing } : {}), ...(first === undefined ? { newTopicId: true } : {}) },
    'topic recovered from its partition directories',
  );
  return { name, topicId, partitions, configs: first?.configs ?? {} };
}

/** Written before partition.metadata existed: a partition dir always holds its active .log segment. */
async function someHoldSegments(dirs: readonly string[]): Promise<boolean> {
  for (const dir of dirs) {
    const files = await readdir(dir).catch(() => [] as string[]);
    if (files.some((f) => /^\d{20}\.log$/.test(f))) return true;
  }
  return false;
}

function isValidTopicName(name: string): boolean {
  try {
    validateTopicName(name);
    return true;
  } catch {
    return false;
  }
}
