// A consumer's fetches: a Fetch request per leader (on the leader's dedicated fetch connection, so
// the long poll never delays other requests) through a KIP-227 session with that leader, then the
// returned record batches checked and decompressed once, ready for poll() to walk into records.
import { ApiKey, ErrorCode, KafkaError, type RequestInputFor, type ResponseBodyFor } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { isRetriable } from '../errors';
import type { ConsumerRecord } from './consumer-record';
import { FetchSessionHandler, type SessionFetchRequest, isFetchSessionError } from './fetch-session';
import { type FetchedBatch, appendRecords, readyBatches } from './fetched-batches';

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
  /** The whole data batches, records not yet walked (appendRecords makes them). */
  readonly batches: readonly FetchedBatch[];
  /** Bytes of those batches as fetched. */
  readonly bytes: number;
  /** Where the next fetch starts (unchanged when nothing was read). */
  readonly nextOffset: bigint;
}


/**
 * Fetches for one consumer: one KIP-227 session per leader (FetchSessionHandler), so a fetch names
 * only the partitions whose position moved. The caller sends one fetch at a time per leader (a
 * session's epochs are sequential: the Prefetcher does); close() ends every session.
 */
export class Fetcher {
  private readonly sessions = new Map<number, FetchSessionHandler>();

  constructor(private readonly cluster: Cluster) {}

  /** One Fetch to `leader` for exactly `list` (through its session); never two at once per leader. */
  async fetchFromLeader(leader: number, list: readonly FetchPosition[], opts: FetchOptions): Promise<PartitionFetchResult[]> {
    let session = this.sessions.get(leader);
    if (!session) this.sessions.set(leader, (session = new FetchSessionHandler()));
    const wanted = list.map((p) => ({ topic: p.topic, partition: p.partition, fetchOffset: p.offset }));
    // A session the broker lost (evicted, restarted) or an epoch it did not expect: reopen it with
    // a full fetch at once instead of answering this round with nothing.
    for (let attempt = 0; ; attempt++) {
      const plan = session.build(wanted, opts.partitionMaxBytes);
      let res: ResponseBodyFor<typeof ApiKey.Fetch>;
      try {
        const conn = await this.cluster.broker(leader, 'fetch');
        res = await conn.request(ApiKey.Fetch, fetchRequest(plan, opts), { extraTimeoutMs: opts.maxWaitMs });
      } catch (err) {
        session.onFailure();
        // A dropped connection or timeout: report it per partition so the caller refreshes and retries.
        if (!isRetriable(err)) throw err;
        this.cluster.invalidate();
        const code = err instanceof KafkaError ? err.errorCode : ErrorCode.NETWORK_EXCEPTION;
        return list.map((p) => emptyResult(p, code));
      }
      const topLevel = res.errorCode ?? ErrorCode.NONE;
      session.onResponse(topLevel, res.sessionId ?? 0);
      if (topLevel === ErrorCode.NONE) return collectResponse(res, list);
      if (attempt === 0 && isFetchSessionError(topLevel)) continue;
      return list.map((p) => emptyResult(p, topLevel));
    }
  }

  /** Closes every fetch session (epoch -1), as Kafka's consumer does on close, so no broker slot waits for eviction. */
  async close(): Promise<void> {
    const closing: Promise<unknown>[] = [];
    for (const [leader, session] of this.sessions) {
      const req = session.closeRequest();
      if (req === undefined) continue;
      // On the default connection: the fetch connection may hold a long poll, and Kafka answers in order.
      closing.push(
        this.cluster.broker(leader).then((conn) =>
          conn.request(ApiKey.Fetch, {
            replicaId: -1,
            maxWaitMs: 0,
            minBytes: 0,
            maxBytes: 0,
            isolationLevel: 0,
            sessionId: req.sessionId,
            sessionEpoch: req.sessionEpoch,
            topics: [],
            forgottenTopicsData: [],
            rackId: '',
          }),
        ),
      );
    }
    this.sessions.clear();
    // Best effort: a broker that is gone has dropped the session anyway.
    await Promise.allSettled(closing);
  }
}

function fetchRequest(plan: SessionFetchRequest, opts: FetchOptions): RequestInputFor<typeof ApiKey.Fetch> {
  return {
    replicaId: -1,
    maxWaitMs: opts.maxWaitMs,
    minBytes: opts.minBytes,
    maxBytes: opts.maxBytes,
    isolationLevel: opts.isolationLevel,
    sessionId: plan.sessionId,
    sessionEpoch: plan.sessionEpoch,
    topics: plan.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map((p) => ({
        partition: p.partition,
        currentLeaderEpoch: -1,
        fetchOffset: p.fetchOffset,
        lastFetchedEpoch: -1,
        logStartOffset: -1n,
        partitionMaxBytes: opts.partitionMaxBytes,
      })),
    })),
    forgottenTopicsData: plan.forgottenTopicsData.map((f) => ({ topic: f.topic, partitions: f.partitions })),
    rackId: '',
  };
}

function emptyResult(pos: FetchPosition, errorCode: number): PartitionFetchResult {
  return { topic: pos.topic, partition: pos.partition, errorCode, highWatermark: -1n, logStartOffset: -1n, batches: [], bytes: 0, nextOffset: pos.offset };
}

/**
 * One result per position of `list`. An incremental response leaves out partitions with nothing
 * new: those come back without records and with highWatermark -1n (unchanged).
 */
async function collectResponse(res: ResponseBodyFor<typeof ApiKey.Fetch>, list: readonly FetchPosition[]): Promise<PartitionFetchResult[]> {
  const want = new Map(list.map((p) => [`${p.topic}\u0000${p.partition}`, p]));
  const out: PartitionFetchResult[] = [];
  for (const t of res.responses) {
    for (const p of t.partitions) {
      const k = `${t.topic}\u0000${p.partitionIndex}`;
      const pos = want.get(k);
      if (!pos) continue;
      want.delete(k);
      if (p.errorCode !== ErrorCode.NONE) {
        out.push({ ...emptyResult(pos, p.errorCode), highWatermark: BigInt(p.highWatermark) });
        continue;
      }
      const { batches, bytes, nextOffset } = await readyBatches(t.topic, p.partitionIndex, p.records, pos.offset);
      out.push({
        topic: t.topic,
        partition: p.partitionIndex,
        errorCode: ErrorCode.NONE,
        highWatermark: BigInt(p.highWatermark),
        logStartOffset: p.logStartOffset === undefined ? -1n : BigInt(p.logStartOffset),
        batches,
        bytes,
        nextOffset,
      });
    }
  }
  for (const pos of want.values()) out.push(emptyResult(pos, ErrorCode.NONE));
  return out;
}

/**
 * The records of the whole batches of `data` (a trailing partial batch, cut by maxBytes, is left
 * for the next fetch), lazily: key, value and headers are read from the buffer when touched.
 * Records before `fetchOffset` (a compressed batch starting earlier) and control batches are skipped.
 */
export async function decodeRecords(topic: string, partition: number, data: Buffer | null, fetchOffset: bigint): Promise<{ records: ConsumerRecord[]; nextOffset: bigint }> {
  const { batches, nextOffset } = await readyBatches(topic, partition, data, fetchOffset);
  const records: ConsumerRecord[] = [];
  appendRecords(batches, records);
  return { records, nextOffset };
}
