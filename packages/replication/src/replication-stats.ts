// What replication on this broker has done since it started, for the broker's metrics: bytes sent to
// followers as leader and fetched as follower (Kafka's ReplicationBytesOutPerSec / InPerSec), ISR
// changes of partitions it leads (IsrShrinksPerSec / IsrExpandsPerSec), and how long the replication
// quotas held throttled replicas back. Plain counters, bumped on the replication path and read at
// scrape time; rates are the scraper's (Prometheus' rate()).

/**
 * Time spent held back, summed over what is held (a replica of a partition): an interval opens when
 * the quota first holds one back and closes when it is served again or goes away. The total counts
 * the open intervals up to `now`, so it grows while a move is throttled, not only when it ends, and
 * never goes down.
 */
export class HeldTime {
  private closedMs = 0;
  private readonly open = new Map<string, number>();

  /** Whether anything is held now (lets a hot path skip building keys to release). */
  get holding(): boolean {
    return this.open.size > 0;
  }

  hold(key: string, nowMs: number): void {
    if (!this.open.has(key)) this.open.set(key, nowMs);
  }

  release(key: string, nowMs: number): void {
    const since = this.open.get(key);
    if (since === undefined) return;
    this.open.delete(key);
    this.closedMs += Math.max(0, nowMs - since);
  }

  /** Closes every interval whose key starts with `prefix` (a partition's replicas, when it stops leading or following). */
  releasePrefix(prefix: string, nowMs: number): void {
    for (const key of [...this.open.keys()]) if (key.startsWith(prefix)) this.release(key, nowMs);
  }

  totalMs(nowMs: number): number {
    let total = this.closedMs;
    for (const since of this.open.values()) total += Math.max(0, nowMs - since);
    return total;
  }
}

export class ReplicationStats {
  /** Record bytes this broker sent as leader in answers to follower fetches. */
  bytesOut = 0;
  /** Record bytes this broker fetched as follower and appended. */
  bytesIn = 0;
  /** ISR shrinks / expansions of partitions this broker leads (its own proposals and the controller's changes alike). */
  isrShrinks = 0;
  isrExpands = 0;
  /** Replicas outside the ISR the leader quota answered without records (keyed partition/replica). */
  readonly leaderHeld = new HeldTime();
  /** Partitions the follower quota left out of fetch rounds (keyed by partition). */
  readonly followerHeld = new HeldTime();

  /** The ISR of a partition led here went from `from` to `to` members. */
  isrChanged(from: number, to: number): void {
    if (to < from) this.isrShrinks++;
    else if (to > from) this.isrExpands++;
  }
}

/** A follower as its partition's leader sees it, for the per-partition lag metrics. */
export interface FollowerLag {
  readonly topic: string;
  readonly partition: number;
  readonly replica: number;
  /** The leader's log end offset minus the follower's (its last fetch offset; 0 taken while unknown). */
  readonly lagRecords: bigint;
  /** 0 when its last fetch had everything; else ms since it last had (or since this leader's epoch began, if it never had). */
  readonly lagMs: number;
}
