// Pre-fetching for the consumer: at most one Fetch in flight per leader (its fetch session's epochs
// are sequential), sent as soon as poll() hands records out, so the broker's answer travels while
// the application processes them. Answers wait per partition until the next poll(). While answers
// bring records the next fetch follows at once, until a partition holds `budget` fetched bytes or
// more (it is left out until poll() takes them) or an answer comes back empty (caught up: the next
// poll() fetches again), so an idle consumer does not long-poll on its own.
import { ErrorCode, KafkaError } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { isRetriable } from '../errors';
import { type FetchOptions, type FetchPosition, Fetcher, type PartitionFetchResult } from './fetcher';

export interface PrefetchPartition {
  readonly topic: string;
  readonly partition: number;
  /** Where the next fetch starts: the consumer's position plus what is buffered; null until known. */
  fetchOffset: bigint | null;
  highWatermark: bigint;
  /** Answers with records (or a moved offset) not yet handed out, oldest first. */
  readonly buffered: PartitionFetchResult[];
  bufferedBytes: number;
  /** A fetch carrying this partition is in flight. */
  inFlight: boolean;
  /** The broker answered OFFSET_OUT_OF_RANGE at fetchOffset: the consumer resets the position. */
  outOfRange: boolean;
}

export class Prefetcher {
  private readonly fetcher: Fetcher;
  private readonly inFlight = new Map<number, Promise<void>>();
  /** A non-retriable fetch error (or a corrupt batch), thrown by the next poll(). */
  private failure: { readonly error: unknown } | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly opts: FetchOptions,
    /** Fetched bytes per partition beyond which it is not fetched again until poll() takes them. */
    private readonly budget: number,
    /** False once a partition was unassigned (or the consumer closed): its answers are dropped. */
    private readonly isCurrent: (p: PrefetchPartition) => boolean,
  ) {
    this.fetcher = new Fetcher(cluster);
  }

  /** A fetch is in flight to some leader. */
  get fetching(): boolean {
    return this.inFlight.size > 0;
  }

  /**
   * Sends a Fetch to every leader without one in flight, for its partitions that have a fetch offset,
   * are not in flight and hold nothing or less than the budget. Resolves once sent, not answered.
   */
  async start(partitions: Iterable<PrefetchPartition>): Promise<void> {
    const byLeader = new Map<number, PrefetchPartition[]>();
    let refresh = false;
    for (const p of partitions) {
      if (p.fetchOffset === null || p.inFlight || p.outOfRange || (p.buffered.length > 0 && p.bufferedBytes >= this.budget)) continue;
      let leader: number;
      try {
        leader = await this.cluster.leaderFor(p.topic, p.partition);
      } catch (err) {
        if (!(err instanceof KafkaError) || !isRetriable(err)) throw err;
        refresh = true;
        continue;
      }
      if (this.inFlight.has(leader)) continue;
      let list = byLeader.get(leader);
      if (!list) byLeader.set(leader, (list = []));
      list.push(p);
    }
    if (refresh) this.cluster.invalidate();
    for (const [leader, list] of byLeader) this.send(leader, list);
  }

  /** Waits until one in-flight fetch is answered (and applied); throws a non-retriable fetch error. */
  async next(): Promise<void> {
    if (this.inFlight.size > 0) await Promise.race(this.inFlight.values());
    this.throwIfFailed();
  }

  throwIfFailed(): void {
    const failure = this.failure;
    if (failure === undefined) return;
    this.failure = undefined;
    throw failure.error;
  }

  /** Closes the fetch sessions; answers still in flight are dropped (isCurrent is false by then). */
  close(): Promise<void> {
    return this.fetcher.close();
  }

  private send(leader: number, candidates: PrefetchPartition[]): void {
    // Two start() calls can interleave across their leader lookups: the check that counts is here.
    if (this.inFlight.has(leader)) return;
    const list = candidates.filter((p) => !p.inFlight);
    if (list.length === 0) return;
    const positions: FetchPosition[] = [];
    for (const p of list) {
      p.inFlight = true;
      positions.push({ topic: p.topic, partition: p.partition, offset: p.fetchOffset! });
    }
    const done = this.fetcher
      .fetchFromLeader(leader, positions, this.opts)
      .then(
        (results) => this.apply(list, positions, results),
        (error: unknown) => {
          this.failure ??= { error };
          return false;
        },
      )
      .then((brought) => {
        this.inFlight.delete(leader);
        for (const p of list) p.inFlight = false;
        if (brought) this.follow(list);
      });
    this.inFlight.set(leader, done);
  }

  /** Buffers an answer's results; true when it brought records for a partition still wanted. */
  private apply(list: readonly PrefetchPartition[], positions: readonly FetchPosition[], results: readonly PartitionFetchResult[]): boolean {
    const sent = new Map<string, { p: PrefetchPartition; offset: bigint }>();
    for (let i = 0; i < list.length; i++) sent.set(keyOf(list[i]!.topic, list[i]!.partition), { p: list[i]!, offset: positions[i]!.offset });
    let refresh = false;
    let records = false;
    for (const r of results) {
      const s = sent.get(keyOf(r.topic, r.partition));
      // Unassigned, or sought elsewhere while the fetch was out: the answer is for a position no one wants.
      if (s === undefined || !this.isCurrent(s.p) || s.p.fetchOffset !== s.offset) continue;
      const p = s.p;
      if (r.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
        p.outOfRange = true;
        continue;
      }
      if (r.errorCode !== ErrorCode.NONE) {
        const err = new KafkaError(r.errorCode);
        if (err.retriable) refresh = true;
        else this.failure ??= { error: new KafkaError(r.errorCode, `fetch ${r.topic}-${r.partition}: ${err.message}`) };
        continue;
      }
      // -1n: an incremental fetch left the partition out (nothing new), the known value stands.
      if (r.highWatermark >= 0n) p.highWatermark = r.highWatermark;
      if (r.batches.length === 0 && r.nextOffset === s.offset) continue;
      p.buffered.push(r);
      p.bufferedBytes += r.bytes;
      p.fetchOffset = r.nextOffset;
      if (r.batches.length > 0) records = true;
    }
    if (refresh) this.cluster.invalidate();
    return records;
  }

  /** The next fetch right after an answer with records, for the same partitions (start() applies the budget). */
  private follow(list: readonly PrefetchPartition[]): void {
    if (this.budget <= 0 || this.failure !== undefined) return;
    this.start(list.filter((p) => this.isCurrent(p))).catch((error: unknown) => {
      this.failure ??= { error };
    });
  }
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
