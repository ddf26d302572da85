// What a share fetch needs to know of each stored record beyond its offset: its priority lane
// (header mq-priority, 0 … 4) and when it expires (header mq-ttl-ms, else the topic's
// mq.message.ttl.ms, counted from the record's timestamp). Headers with a bad value are ignored
// (default lane, no per-record TTL): a producer's typo never hides a record.
import { decodeRecordBatch } from '@mq/records';
import { DEFAULT_LANE, LANE_COUNT } from './priority-lanes';

export const PRIORITY_HEADER = 'mq-priority';
export const TTL_HEADER = 'mq-ttl-ms';

export interface QueueRecordMeta {
  readonly offset: bigint;
  readonly lane: number;
  /** Epoch ms from which it is expired; undefined: never. */
  readonly expiresAt: number | undefined;
  /** Whether it carried a valid mq-priority header. */
  readonly prioritised: boolean;
}

/** Reads the lane and expiry of every record of a (data) batch. */
export async function queueRecordMeta(batch: Buffer, topicTtlMs: number): Promise<QueueRecordMeta[]> {
  const { records } = await decodeRecordBatch(batch);
  return records.map((r) => {
    let lane = DEFAULT_LANE;
    let prioritised = false;
    let ttl = topicTtlMs > 0 ? topicTtlMs : undefined;
    for (const h of r.headers) {
      if (h.value === null) continue;
      if (h.key === PRIORITY_HEADER) {
        const v = decimal(h.value);
        if (v !== undefined && v < LANE_COUNT) {
          lane = v;
          prioritised = true;
        }
      } else if (h.key === TTL_HEADER) {
        const v = decimal(h.value);
        if (v !== undefined) ttl = v;
      }
    }
    return { offset: r.offset, lane, prioritised, expiresAt: ttl === undefined ? undefined : Number(r.timestamp) + ttl };
  });
}

/** A non-negative decimal integer header value (ASCII digits, at most 15 of them), else undefined. */
function decimal(b: Buffer): number | undefined {
  if (b.length === 0 || b.length > 15) return undefined;
  let n = 0;
  for (const c of b) {
    if (c < 0x30 || c > 0x39) return undefined;
    n = n * 10 + (c - 0x30);
  }
  return n;
}
