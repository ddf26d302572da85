// Persisted topic metadata: meta/topics.json holds every topic's id, partition count and config
// overrides. Rewritten atomically on each change; read once at startup (topic-recovery.ts checks
// it against the partition directories and rebuilds it when it is missing or unreadable).
import { join } from 'node:path';
import { KafkaStorageError } from '@mq/log';
import { readFileIfExists, writeFileAtomic } from './atomic-file';

export interface TopicRecord {
  readonly name: string;
  /** Kafka Uuid text (22-char url-safe base64). */
  readonly topicId: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
}

/**
 * 1: topics only. 2: also every partition dir holds partition.metadata (topic id + configs), so
 * a version-1 file is upgraded once by writing those files.
 */
export const TOPICS_FILE_VERSION = 2;

interface TopicsFile {
  readonly version: number;
  readonly topics: readonly TopicRecord[];
}

/** meta/topics.json exists but cannot be used (torn, edited, foreign); names the file. */
export class TopicsFileCorruptError extends KafkaStorageError {}

export interface LoadedTopics {
  readonly version: number;
  readonly topics: TopicRecord[];
}

export class TopicStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'meta', 'topics.json');
  }

  /** undefined when the file does not exist; TopicsFileCorruptError when it cannot be used. */
  async load(): Promise<LoadedTopics | undefined> {
    const text = await readFileIfExists(this.path);
    if (text === undefined) return undefined;
    let parsed: TopicsFile;
    try {
      parsed = JSON.parse(text) as TopicsFile;
    } catch (err) {
      throw new TopicsFileCorruptError(`${this.path}: not valid JSON (${(err as Error).message})`, { cause: err });
    }
    if (parsed === null || typeof parsed !== 'object' || (parsed.version !== 1 && parsed.version !== 2) || !Array.isArray(parsed.topics)) {
      throw new TopicsFileCorruptError(`${this.path}: unsupported topics file (version ${String(parsed?.version)})`);
    }
    const bad = parsed.topics.find((t) => !isTopicRecord(t));
    if (bad !== undefined) throw new TopicsFileCorruptError(`${this.path}: malformed topic entry ${JSON.stringify(bad).slice(0, 200)}`);
    return { version: parsed.version, topics: parsed.topics.map((t) => ({ ...t })) };
  }

  async save(topics: readonly TopicRecord[]): Promise<void> {
    const file: TopicsFile = { version: TOPICS_FILE_VERSION, topics };
    await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }
}

function isTopicRecord(t: unknown): t is TopicRecord {
  if (t === null || typeof t !== 'object') return false;
  const r = t as Partial<TopicRecord>;
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
