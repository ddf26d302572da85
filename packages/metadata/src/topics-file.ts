// meta/topics.json: every topic's id, partition count and config overrides, in the format the
// broker has always written (version 2; version 1 is still read). Rewritten atomically on change.
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-file';
import { TopicsFileCorruptError } from './errors';

export interface TopicsFileEntry {
  readonly name: string;
  /** Kafka Uuid text (22-char url-safe base64). */
  readonly topicId: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * 1: topics only. 2: also every partition dir holds partition.metadata (topic id + configs), so
 * a version-1 file is upgraded once by writing those files (@mq/partition's recovery does it).
 */
export const TOPICS_FILE_VERSION = 2;

export interface LoadedTopicsFile {
  readonly version: number;
  readonly topics: TopicsFileEntry[];
}

export function topicsFilePath(dataDir: string): string {
  return join(dataDir, 'meta', 'topics.json');
}

/** undefined when the file does not exist; TopicsFileCorruptError when it cannot be used. */
export async function readTopicsFile(path: string): Promise<LoadedTopicsFile | undefined> {
  const text = await readFileIfExists(path);
  if (text === undefined) return undefined;
  let parsed: { version?: unknown; topics?: unknown } | null;
  try {
    parsed = JSON.parse(text) as { version?: unknown; topics?: unknown } | null;
  } catch (err) {
    throw new TopicsFileCorruptError(`${path}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (parsed === null || typeof parsed !== 'object' || (parsed.version !== 1 && parsed.version !== 2) || !Array.isArray(parsed.topics)) {
    throw new TopicsFileCorruptError(`${path}: unsupported topics file (version ${String(parsed?.version)})`);
  }
  const bad = (parsed.topics as unknown[]).find((t) => !isEntry(t));
  if (bad !== undefined) throw new TopicsFileCorruptError(`${path}: malformed topic entry ${JSON.stringify(bad).slice(0, 200)}`);
  return { version: parsed.version, topics: (parsed.topics as TopicsFileEntry[]).map((t) => ({ ...t })) };
}

export async function writeTopicsFile(path: string, topics: readonly TopicsFileEntry[]): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify({ version: TOPICS_FILE_VERSION, topics }, null, 2)}\n`);
}

function isEntry(t: unknown): t is TopicsFileEntry {
  if (t === null || typeof t !== 'object') return false;
  const r = t as Partial<TopicsFileEntry>;
  return (
    typeof r.name === 'string' &&
    typeof r.topicId === 'string' &&
    typeof r.partitions === 'number' &&
    Number.isInteger(r.partitions) &&
    r.partitions >= 1 &&
    r.configs !== null &&
    typeof r.configs === 'object' &&
    Object.values(r.configs).every((v) => typeof v === 'string')
  );
}
