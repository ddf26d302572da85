// LogRecordStore: the coordinator's records in the compacted internal log __consumer_offsets-0 on
// @mq/log. One append = one RecordBatch (atomic per request); replay reads the log from its start;
// a background timer compacts inactive segments so only the newest record per key survives.
import { join } from 'node:path';
import { buildRecordBatch, decodeRecordBatch, iterateBatches } from '@mq/records';
import { Log, type LogConfig } from '@mq/log';
import type { RawRecord } from './group-records';
import type { GroupRecordLog } from './record-log';

export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';
const REPLAY_READ_BYTES = 1024 * 1024;

export interface LogRecordStoreOptions {
  /** Log settings; cleanupPolicy is always 'compact'. */
  log?: Partial<LogConfig>;
  /** How often inactive segments are compacted (Kafka's log cleaner); 0 disables. */
  compactIntervalMs?: number;
  onError?: (err: unknown, context: string) => void;
}

export class LogRecordStore implements GroupRecordLog {
  private compactTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly log: Log,
    private readonly onError: (err: unknown, context: string) => void,
  ) {}

  /** Opens (or creates) `<dataDir>/__consumer_offsets-0`. */
  static async open(dataDir: string, opts: LogRecordStoreOptions = {}): Promise<LogRecordStore> {
    const log = await Log.open(join(dataDir, `${CONSUMER_OFFSETS_TOPIC}-0`), {
      segmentBytes: 100 * 1024 * 1024,
      retentionMs: -1,
      ...opts.log,
      cleanupPolicy: 'compact',
    });
    const store = new LogRecordStore(log, opts.onError ?? (() => {}));
    const interval = opts.compactIntervalMs ?? 60_000;
    if (interval > 0) {
      store.compactTimer = setInterval(() => {
        store.log.compact().catch((err: unknown) => store.onError(err, 'compacting __consumer_offsets'));
      }, interval);
      store.compactTimer.unref();
    }
    return store;
  }

  async append(records: readonly RawRecord[]): Promise<void> {
    if (records.length === 0) return;
    const batch = await buildRecordBatch({ records: records.map((r) => ({ key: r.key, value: r.value })) });
    await this.log.append(batch);
  }

  async replay(apply: (record: RawRecord) => void): Promise<void> {
    let offset = this.log.logStartOffset;
    const end = this.log.logEndOffset;
    while (offset < end) {
      const chunk = await this.log.read(offset, REPLAY_READ_BYTES);
      if (chunk.length === 0) break;
      let next = offset;
      for (const { batch } of iterateBatches(chunk)) {
        const decoded = await decodeRecordBatch(batch);
        for (const r of decoded.records) {
          // Compaction may leave a batch starting before `offset`: skip what was already applied.
          if (r.offset < offset || r.key === null) continue;
          apply({ key: r.key, value: r.value });
        }
        next = decoded.header.baseOffset + BigInt(decoded.header.lastOffsetDelta) + 1n;
      }
      if (next <= offset) break;
      offset = next;
    }
  }

  compact(): Promise<unknown> {
    return this.log.compact();
  }

  async close(): Promise<void> {
    if (this.compactTimer !== null) clearInterval(this.compactTimer);
    this.compactTimer = null;
    await this.log.close();
  }
}
