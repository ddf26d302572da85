// Where the coordinator's records go: an append-only, replayable sequence of key/value records.
// The durable implementation is LogRecordStore (__consumer_offsets on @mq/log); MemoryRecordLog
// serves embedders that want no persistence and the state-machine tests.
import type { RawRecord } from './group-records';

export interface GroupRecordLog {
  /** Appends the records atomically (one batch); resolves once they are in the log. */
  append(records: readonly RawRecord[]): Promise<void>;
  /** Feeds every record from the start of the log, in order. */
  replay(apply: (record: RawRecord) => void): Promise<void>;
  close(): Promise<void>;
}

export class MemoryRecordLog implements GroupRecordLog {
  readonly records: RawRecord[] = [];

  async append(records: readonly RawRecord[]): Promise<void> {
    for (const r of records) this.records.push({ key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) });
  }

  async replay(apply: (record: RawRecord) => void): Promise<void> {
    for (const r of this.records) apply(r);
  }

  async close(): Promise<void> {}
}
