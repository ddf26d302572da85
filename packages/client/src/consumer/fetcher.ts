// One fetch round: a Fetch request per leader (on the leader's dedicated fetch connection, so the
// long poll never delays other requests), then the returned record batches walked into lazily
// decoded records.
import { Compression, RECORD_BATCH_OVERHEAD, TIMESTAMP_TYPE_MASK, batchCompression, batchLastOffset, decompress, isControlBatch, iterateBatches, readBatchHeader } from '@mq/records';
import { ApiKey, ErrorCode, KafkaError, type ResponseBodyFor } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { isRetriable } from '../errors';
import type { ConsumerRecord } from './consumer-record';
import { collectRecords } from './lazy-record';

export interface FetchPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

export interface FetchOptions {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitionMaxBytes: number;
  /** 0 read_uncommitted, 1 read_committed. */
  isolationLevel: number;
}

export interface PartitionFetchResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
  readonly records: ConsumerRecord[];
  /** Where the next fetch starts (unchanged when nothing was read). */
  readonly nextOffset: bigint;
}


/** Fetches every position from its leader in parallel; partitions whose leader is unknown report LEADER_NOT_AVAILABLE. */
export async function fetchRound(cluster: Cluster, positions: readonly FetchPosition[], opts: FetchOptions): Promise<PartitionFetchResult[]> {
  const byLeader = new Map<number, FetchPosition[]>();
  const results: PartitionFetchResult[] = [];
  for (const pos of positions) {
    let leader: number;
    try {
      leader = await cluster.leaderFor(pos.topic, pos.partition);
    } catch (err) {
      if (!(err instanceof KafkaError) || !isRetriable(err)) throw err;
      results.push(emptyResult(pos, err.errorCode));
      continue;
    }
    let list = byLeader.get(leader);
    if (!list) byLeader.set(leader, (list = []));
    list.push(pos);
  }
  const perLeader = await Promise.all([...byLeader].map(([leader, list]) => fetchFromLeader(cluster, leader, list, opts)));
  for (const r of perLeader) results.push(...r);
  return results;
}

function emptyResult(pos: FetchPosition, errorCode: number): PartitionFetchResult {
  return { topic: pos.topic, partition: pos.partition, errorCode, highWatermark: -1n, logStartOffset: -1n, records: [], nextOffset: pos.offset };
}

async function fetchFromLeader(cluster: Cluster, leader: number, list: FetchPosition[], opts: FetchOptions): Promise<PartitionFetchResult[]> {
  const topics = new Map<string, FetchPosition[]>();
  for (const p of list) {
    let ps = topics.get(p.topic);
    if (!ps) topics.set(p.topic, (ps = []));
    ps.push(p);
  }
  let res: ResponseBodyFor<typeof ApiKey.Fetch>;
  try {
    const conn = await cluster.broker(leader, 'fetch');
    res = await conn.request(
      ApiKey.Fetch,
      {
        replicaId: -1,
        maxWaitMs: opts.maxWaitMs,
        minBytes: opts.minBytes,
        maxBytes: opts.maxBytes,
        isolationLevel: opts.isolationLevel,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [...topics].map(([topic, ps]) => ({
          topic,
          partitions: ps.map((p) => ({
            partition: p.partition,
            currentLeaderEpoch: -1,
            fetchOffset: p.offset,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
            partitionMaxBytes: opts.partitionMaxBytes,
          })),
        })),
        forgottenTopicsData: [],
        rackId: '',
      },
      { extraTimeoutMs: opts.maxWaitMs },
    );
  } catch (err) {
    // A dropped connection or timeout: report it per partition so the caller refreshes and retries.
    if (!isRetriable(err)) throw err;
    cluster.invalidate();
    const code = err instanceof KafkaError ? err.errorCode : ErrorCode.NETWORK_EXCEPTION;
    return list.map((p) => emptyResult(p, code));
  }
  const want = new Map(list.map((p) => [`${p.topic}\u0000${p.partition}`, p]));
  const out: PartitionFetchResult[] = [];
  for (const t of res.responses) {
    for (const p of t.partitions) {
      const pos = want.get(`${t.topic}\u0000${p.partitionIndex}`);
      if (!pos) continue;
      want.delete(`${t.topic}\u0000${p.partitionIndex}`);
      if (p.errorCode !== ErrorCode.NONE) {
        out.push({ ...emptyResult(pos, p.errorCode), highWatermark: BigInt(p.highWatermark) });
        continue;
      }
      const { records, nextOffset } = await decodeRecords(t.topic, p.partitionIndex, p.records, pos.offset);
      out.push({
        topic: t.topic,
        partition: p.partitionIndex,
        errorCode: ErrorCode.NONE,
        highWatermark: BigInt(p.highWatermark),
        logStartOffset: p.logStartOffset === undefined ? -1n : BigInt(p.logStartOffset),
        records,
        nextOffset,
      });
    }
  }
  for (const pos of want.values()) out.push(emptyResult(pos, 0));
  return out;
}

/**
 * Collects the records of whole batches (a trailing partial batch, cut by maxBytes, is ignored and
 * fetched again), lazily: key, value and headers are read from the buffer when touched. Records
 * before `fetchOffset` (a compressed batch starting earlier) and control batches are skipped.
 */
export async function decodeRecords(
  topic: string,
  partition: number,
  data: Buffer | null,
  fetchOffset: bigint,
): Promise<{ records: ConsumerRecord[]; nextOffset: bigint }> {
  const records: ConsumerRecord[] = [];
  let nextOffset = fetchOffset;
  if (!data || data.length === 0) return { records, nextOffset };
  for (const slice of iterateBatches(data, true)) {
    const header = readBatchHeader(slice.batch);
    const last = batchLastOffset(header);
    if (last < fetchOffset) continue;
    if (!isControlBatch(header)) {
      const codec = batchCompression(header);
      let body = slice.batch.subarray(RECORD_BATCH_OVERHEAD);
      if (codec !== Compression.none) body = await decompress(codec, body);
      const logAppendTime = header.attributes & TIMESTAMP_TYPE_MASK ? header.maxTimestamp : null;
      collectRecords({ topic, partition, baseOffset: header.baseOffset, baseTimestamp: header.baseTimestamp, logAppendTime, body }, header.recordsCount, fetchOffset, records);
    }
    if (last + 1n > nextOffset) nextOffset = last + 1n;
  }
  return { records, nextOffset };
}
