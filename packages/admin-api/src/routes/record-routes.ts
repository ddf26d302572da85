// Records: produce one (REST Proxy v3's POST …/topics/{topic}/records: partition by id, else the
// key's murmur2 as Java clients pick, else round robin; mq's queue fields delay_ms / deliver_at /
// priority / ttl_ms become headers, a delayed record waits in the delay store) and read a page from one partition by offset
// or timestamp (mq's extension: REST Proxy has no consume in v3).
import { HttpError, type Route } from '@mq/http';
import type { Partition } from '@mq/partition';
import { type DecodedRecord, type RecordHeader, buildRecordBatch, decodeRecordBatch, isControlBatch, iterateBatches, murmur2Partition, readBatchHeader } from '@mq/records';
import type { AdminServices } from '../admin-services';
import { type DataType, decodeData, decodeHeaderValue, encodeData, parseEncoding } from '../record-data';
import { asObject, bodyInt, nonNegativeInt, nonNegativeLong, objectBody, optionalArray, queryValue, requiredString } from '../request-input';
import { route } from './admin-route';
import { PARTITION_PATH, ledPartition, partitionStateOf } from './partition-routes';
import { TOPIC_PATH, topicImage } from './topic-routes';
import { appendOrSchedule, queueHeadersOf } from '../queues/queue-produce';

export const MAX_READ_COUNT = 1000;
const DEFAULT_READ_COUNT = 100;
const READ_CHUNK_BYTES = 1024 * 1024;

/** One record as the API shows it (reads and the record stream). */
export function recordView(topic: string, partition: number, r: DecodedRecord, encoding: DataType) {
  return {
    topic_name: topic,
    partition_id: partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: encodeData(r.key, encoding),
    value: encodeData(r.value, encoding),
    headers: r.headers.map((h) => ({ name: h.key, value: h.value === null ? null : h.value.toString('base64') })),
  };
}

/** Up to `max` data records at or after `from`, below the high watermark; `next` is where to go on. */
export async function readRecords(p: Partition, from: bigint, max: number): Promise<{ records: DecodedRecord[]; next: bigint }> {
  const records: DecodedRecord[] = [];
  let offset = from < p.logStartOffset ? p.logStartOffset : from;
  while (records.length < max && offset < p.highWatermark) {
    const chunk = await p.read(offset, READ_CHUNK_BYTES);
    if (chunk.length === 0) break;
    let progressed = false;
    for (const { batch } of iterateBatches(chunk)) {
      const header = readBatchHeader(batch);
      const last = header.baseOffset + BigInt(header.lastOffsetDelta);
      if (last < offset) continue;
      progressed = true;
      if (!isControlBatch(header)) {
        for (const r of (await decodeRecordBatch(batch)).records) {
          if (r.offset >= offset && records.length < max) records.push(r);
        }
      }
      offset = records.length === max ? records[records.length - 1]!.offset + 1n : last + 1n;
      if (records.length === max) break;
    }
    if (!progressed) break;
  }
  return { records, next: offset };
}

export function recordRoutes(s: AdminServices): Route[] {
  let roundRobin = 0;
  return [
    route(s, 'POST', `${TOPIC_PATH}/records`, async (req, params) => {
      const t = topicImage(s, params.topic_name!);
      const body = objectBody(req);
      const key = decodeData(body.key, 'key');
      const value = decodeData(body.value, 'value');
      const headers: RecordHeader[] = optionalArray(body.headers, 'headers').map((raw, i) => {
        const h = asObject(raw, `headers[${i}]`);
        return { key: requiredString(h.name, `headers[${i}].name`), value: decodeHeaderValue(h.value, `headers[${i}].value`) };
      });
      headers.push(...queueHeadersOf(body));
      const timestamp = body.timestamp === undefined || body.timestamp === null ? undefined : timestampOf(body.timestamp);
      const count = t.partitions.length;
      const partition =
        body.partition_id !== undefined && body.partition_id !== null
          ? bodyInt(body.partition_id, 'partition_id')
          : key !== null
            ? murmur2Partition(key, count)
            : roundRobin++ % count;
      const state = t.partitions[partition];
      if (state === undefined) throw HttpError.notFound(`partition ${t.name}-${partition} not found`);
      const p = ledPartition(s, state);
      const createTime = timestamp ?? BigInt(Math.trunc(s.clock.now()));
      const batch = await buildRecordBatch({ records: [{ key, value, headers, timestamp: createTime }] });
      const stored = await appendOrSchedule(s.delayed, t.name, p, batch, Math.trunc(s.clock.now()));
      if ('delayedIds' in stored) {
        // Held in the delay store: no offset yet (as a Kafka produce's answer: -1), its id to list or cancel it.
        return {
          error_code: 200,
          cluster_id: s.cluster.clusterId,
          topic_name: t.name,
          partition_id: partition,
          offset: -1,
          timestamp: createTime,
          key: key === null ? null : { type: 'BINARY', size: key.length },
          value: value === null ? null : { type: 'BINARY', size: value.length },
          delayed_id: stored.delayedIds[0]!,
          due_at: stored.dueAt,
        };
      }
      const appended = stored.appended;
      return {
        error_code: 200,
        cluster_id: s.cluster.clusterId,
        topic_name: t.name,
        partition_id: partition,
        offset: appended.baseOffset,
        timestamp: appended.logAppendTime >= 0n ? appended.logAppendTime : createTime,
        key: key === null ? null : { type: 'BINARY', size: key.length },
        value: value === null ? null : { type: 'BINARY', size: value.length },
      };
    }),
    route(s, 'GET', `${PARTITION_PATH}/records`, async (req, params) => {
      const state = partitionStateOf(s, params.topic_name!, params.partition_id!);
      const p = ledPartition(s, state);
      const offset = queryValue(req, 'offset', nonNegativeLong);
      const timestamp = queryValue(req, 'timestamp', nonNegativeLong);
      if (offset !== undefined && timestamp !== undefined) throw HttpError.badRequest('give offset or timestamp, not both');
      const max = queryValue(req, 'max_count', (raw, f) => nonNegativeInt(raw, f, MAX_READ_COUNT)) ?? DEFAULT_READ_COUNT;
      const encoding = parseEncoding(req.query.get('encoding'));
      let from = offset ?? p.logStartOffset;
      if (offset !== undefined && (offset < p.logStartOffset || offset > p.highWatermark)) {
        throw new HttpError(416, `offset ${offset} is outside ${state.topic}-${state.partition}'s range [${p.logStartOffset}, ${p.highWatermark}]`);
      }
      if (timestamp !== undefined) from = (await p.offsetForTimestamp(timestamp))?.offset ?? p.highWatermark;
      const { records, next } = await readRecords(p, from, max);
      return {
        kind: 'KafkaRecordList',
        topic_name: state.topic,
        partition_id: state.partition,
        log_start_offset: p.logStartOffset,
        high_watermark: p.highWatermark,
        next_offset: next,
        data: records.map((r) => recordView(state.topic, state.partition, r, encoding)),
      };
    }),
  ];
}

/** A record timestamp: epoch ms as a number, or an ISO-8601 date string (REST Proxy v3 sends the latter). */
function timestampOf(raw: unknown): bigint {
  if (typeof raw === 'string' && !/^\d+$/.test(raw)) {
    const ms = Date.parse(raw);
    if (Number.isNaN(ms) || ms < 0) throw HttpError.badRequest(`timestamp must be epoch milliseconds or an ISO-8601 date, got ${JSON.stringify(raw)}`);
    return BigInt(ms);
  }
  return nonNegativeLong(raw, 'timestamp');
}
