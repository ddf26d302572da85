// A coordinator whose internal topic replicates (Kafka's CoordinatorRuntime.scheduleLoadOperation /
// scheduleUnloadOperation driven by the metadata publisher): the data plane reports each leadership
// change of the topic's partitions here, and the runtime loads the shard where the partition became
// led and unloads it where it stopped. Any coordinator on the runtime (groups, transactions, share
// state, the schema registry) uses it the same way: it names its topic, the broker supplies the source.
import type { Partition } from '@mq/partition';
import type { LoadSummary } from './coordinator-loader';
import type { CoordinatorRuntime } from './coordinator-runtime';
import type { CoordinatorShard } from './coordinator-shard';
import type { PartitionWriter } from './partition-writer';

/** One partition of an internal topic changed leadership on this broker. */
export interface LeadershipChange {
  readonly partitionIndex: number;
  /** The local partition while this broker leads it; undefined: it follows, or holds no replica. */
  readonly partition: Partition | undefined;
  readonly leaderEpoch: number;
}

/**
 * What the broker's data plane offers a coordinator of a replicated internal topic (in a cluster,
 * apps/broker builds it over @mq/replication; a single node needs none: every partition is led there).
 */
export interface CoordinatorLeadershipSource {
  /**
   * Calls `fn` for every leadership change of `topic`'s partitions on this broker — first for each
   * partition it leads at subscription — in order per partition. Returns the unsubscribe.
   */
  watchLeadership(topic: string, fn: (change: LeadershipChange) => void): () => void;
  /** Partitions of `topic` in the metadata image; undefined while the topic does not exist yet. */
  partitionCount(topic: string): number | undefined;
  /**
   * The writer for a partition led here: refuses (NOT_LEADER_OR_FOLLOWER) once it is not, and
   * resolves an append only when every ISR member has the records (acks=all), so a response is
   * never given for a state a failover could lose.
   */
  writerFor(partition: Partition): PartitionWriter;
}

/** What followLeadership reports (the broker logs it, as Kafka's "Finished loading ... in N ms"). */
export interface LeadershipEvents {
  readonly onError: (err: unknown, context: string) => void;
  readonly onLoaded?: (partitionIndex: number, leaderEpoch: number, summary: LoadSummary, elapsedMs: number) => void;
  readonly onUnloaded?: (partitionIndex: number) => void;
}

/**
 * Follows `topic`'s leadership: load on becoming leader, unload on losing it. Changes of one
 * partition run one after another; a change superseded while waiting is skipped. Returns the stop.
 */
export function followLeadership<S extends CoordinatorShard<R>, R>(
  runtime: CoordinatorRuntime<S, R>,
  topic: string,
  source: CoordinatorLeadershipSource,
  events: LeadershipEvents,
  now: () => number = Date.now,
): () => void {
  const { onError } = events;
  const chains = new Map<number, Promise<void>>();
  const latest = new Map<number, LeadershipChange>();
  let stopped = false;
  const settle = async (index: number): Promise<void> => {
    const change = latest.get(index);
    if (change === undefined || stopped) return;
    const loaded = runtime.status(index) !== undefined;
    if (change.partition === undefined) {
      if (loaded) {
        await runtime.unload(index);
        events.onUnloaded?.(index);
      }
      return;
    }
    // Still led here (a newer epoch of the same leadership): the loaded shard stays.
    if (loaded && runtime.loadedPartition(index) === change.partition) return;
    if (loaded) await runtime.unload(index);
    try {
      const started = now();
      const summary = await runtime.load(index, change.partition, { awaitCommitted: true, isCurrent: () => latest.get(index) === change && !stopped });
      events.onLoaded?.(index, change.leaderEpoch, summary, now() - started);
    } catch (err) {
      // Superseded (leadership left while loading) is expected; anything else is reported.
      if (latest.get(index) === change && !stopped) onError(err, `loading ${topic}-${index} (leader epoch ${change.leaderEpoch})`);
    }
  };
  const unwatch = source.watchLeadership(topic, (change) => {
    if (stopped) return;
    latest.set(change.partitionIndex, change);
    const prev = chains.get(change.partitionIndex) ?? Promise.resolve();
    chains.set(
      change.partitionIndex,
      prev.then(() => settle(change.partitionIndex)).catch((err: unknown) => onError(err, `${topic}-${change.partitionIndex}: following leadership`)),
    );
  });
  return () => {
    stopped = true;
    unwatch();
  };
}
