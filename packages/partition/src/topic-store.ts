// Persisted topic metadata: meta/topics.json holds every topic's id, partition count and config
// overrides. Rewritten atomically on each change; read once at startup.
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-file';

export interface TopicRecord {
  readonly name: string;
  /** Kafka Uuid text (22-char url-safe base64). */
  readonly topicId: string;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
}

interface TopicsFile {
  readonly version: 1;
  readonly topics: readonly TopicRecord[];
}

export class TopicStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'meta', 'topics.json');
  }

  async load(): Promise<TopicRecord[]> {
    const text = await readFileIfExists(this.path);
    if (text === undefined) return [];
    const parsed = JSON.parse(text) as TopicsFile;
    if (parsed.version !== 1 || !Array.isArray(parsed.topics)) {
      throw new Error(`${this.path}: unsupported topics file (version ${String(parsed.version)})`);
    }
    return parsed.topics.map((t) => ({ ...t }));
  }

  async save(topics: readonly TopicRecord[]): Promise<void> {
    const file: TopicsFile = { version: 1, topics };
    await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }
}
