// One KIP-227 fetch session: the partitions a client fetches, with the request parameters last sent
// for each and what the last response told it (high watermark, last stable offset, log start), so
// an incremental fetch names only partitions whose parameters changed and its response carries only
// partitions with records, an error or a changed offset. Iteration order is the response order;
// a partition that returned records moves to the end, so a max_bytes-limited response is fair.

/** Kafka's FetchMetadata.INITIAL_EPOCH / FINAL_EPOCH. */
export const INITIAL_SESSION_EPOCH = 0;
export const FINAL_SESSION_EPOCH = -1;

export interface SessionPartition {
  readonly topic: string;
  /** The topic id as the client names it (v13+ sessions), '' before. */
  readonly topicId: string;
  readonly partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
  /** What the last response carried; null until one did (so the first response always includes it). */
  sentHighWatermark: bigint | null;
  sentLastStableOffset: bigint | null;
  sentLogStartOffset: bigint | null;
}

export interface SessionPartitionRequest {
  partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
  currentLeaderEpoch?: number;
}

export class FetchSession {
  readonly id: number;
  /** Fetches name topics by id (v13+) or by name; one session never mixes them (FETCH_SESSION_TOPIC_ID_ERROR). */
  readonly usesTopicIds: boolean;
  /** The epoch the next incremental fetch must carry. */
  epoch = 1;
  lastUsedMs: number;
  private readonly byKey = new Map<string, SessionPartition>();

  constructor(id: number, usesTopicIds: boolean, nowMs: number) {
    this.id = id;
    this.usesTopicIds = usesTopicIds;
    this.lastUsedMs = nowMs;
  }

  get size(): number {
    return this.byKey.size;
  }

  partitions(): IterableIterator<SessionPartition> {
    return this.byKey.values();
  }

  /** Adds a partition or updates the parameters the client sent for it. */
  upsert(topic: string, topicId: string, req: SessionPartitionRequest): void {
    const key = keyOf(this.usesTopicIds ? topicId : topic, req.partition);
    const known = this.byKey.get(key);
    if (known !== undefined) {
      known.fetchOffset = req.fetchOffset;
      known.partitionMaxBytes = req.partitionMaxBytes;
      known.currentLeaderEpoch = req.currentLeaderEpoch ?? -1;
      return;
    }
    this.byKey.set(key, {
      topic,
      topicId,
      partition: req.partition,
      fetchOffset: req.fetchOffset,
      partitionMaxBytes: req.partitionMaxBytes,
      currentLeaderEpoch: req.currentLeaderEpoch ?? -1,
      sentHighWatermark: null,
      sentLastStableOffset: null,
      sentLogStartOffset: null,
    });
  }

  /** A forgotten_topics_data entry: the client no longer fetches it. */
  forget(topicKey: string, partition: number): void {
    this.byKey.delete(keyOf(topicKey, partition));
  }

  /** A partition that returned records goes to the back of the order (Kafka does the same). */
  moveToEnd(p: SessionPartition): void {
    const key = keyOf(this.usesTopicIds ? p.topicId : p.topic, p.partition);
    this.byKey.delete(key);
    this.byKey.set(key, p);
  }

  /** Epochs run 1..2^31-1 then wrap to 1 (0 and -1 mean full fetches). */
  advanceEpoch(): void {
    this.epoch = this.epoch >= 0x7fffffff ? 1 : this.epoch + 1;
  }
}

function keyOf(topicKey: string, partition: number): string {
  return `${topicKey}\u0000${partition}`;
}
