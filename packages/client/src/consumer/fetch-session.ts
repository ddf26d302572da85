// The client half of a KIP-227 fetch session with one leader (Kafka's FetchSessionHandler): the
// first fetch (epoch 0) sends every partition and opens a session; after that each fetch sends only
// the partitions that are new or whose fetch offset / max bytes changed, and names the ones no longer
// fetched in forgotten_topics_data. The broker reads the rest at the offsets it keeps for them. A
// session error (evicted, wrong epoch) drops back to a full fetch that opens a new one.
import { ErrorCode } from '@mq/protocol';

/** Kafka's FetchMetadata epochs: 0 opens a session, -1 is sessionless (or closes the session named). */
export const INITIAL_SESSION_EPOCH = 0;
export const FINAL_SESSION_EPOCH = -1;
/** A response's session_id 0: the broker made no session (sessionless request, or no cache slot). */
const NO_SESSION = 0;

export interface SessionPartitionWant {
  readonly topic: string;
  readonly partition: number;
  readonly fetchOffset: bigint;
}

/** The session fields and partition lists of one Fetch request. */
export interface SessionFetchRequest {
  readonly sessionId: number;
  readonly sessionEpoch: number;
  /** Partitions to send, grouped by topic in the order first named. */
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: SessionPartitionWant[] }>;
  readonly forgottenTopicsData: ReadonlyArray<{ readonly topic: string; readonly partitions: number[] }>;
  /** True when this request sends every partition (the broker answers every one). */
  readonly full: boolean;
}

interface SentPartition {
  readonly topic: string;
  readonly partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
}

/** Session-level errors after which the next fetch is a full one opening a new session. */
const SESSION_ERRORS: ReadonlySet<number> = new Set([ErrorCode.FETCH_SESSION_ID_NOT_FOUND, ErrorCode.INVALID_FETCH_SESSION_EPOCH, ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR]);

export function isFetchSessionError(errorCode: number): boolean {
  return SESSION_ERRORS.has(errorCode);
}

export class FetchSessionHandler {
  private sessionId = NO_SESSION;
  private epoch = INITIAL_SESSION_EPOCH;
  /** What the broker's session holds: every partition last sent, with what was sent for it. */
  private readonly sent = new Map<string, SentPartition>();

  /** The broker's id for this session, 0 while there is none. */
  get id(): number {
    return this.sessionId;
  }

  /** The epoch the next request carries. */
  get nextEpoch(): number {
    return this.epoch;
  }

  /**
   * The session part of the next Fetch for exactly these partitions. The handler assumes the
   * broker applies it, so one fetch per session is in flight at a time (the caller's job): call
   * onResponse or onFailure before building the next one.
   */
  build(wanted: readonly SessionPartitionWant[], partitionMaxBytes: number): SessionFetchRequest {
    const full = this.epoch === INITIAL_SESSION_EPOCH;
    const byTopic = new Map<string, SessionPartitionWant[]>();
    const keep = new Set<string>();
    for (const w of wanted) {
      const k = keyOf(w.topic, w.partition);
      keep.add(k);
      const prev = this.sent.get(k);
      if (!full && prev !== undefined && prev.fetchOffset === w.fetchOffset && prev.partitionMaxBytes === partitionMaxBytes) continue;
      if (prev === undefined) this.sent.set(k, { topic: w.topic, partition: w.partition, fetchOffset: w.fetchOffset, partitionMaxBytes });
      else {
        prev.fetchOffset = w.fetchOffset;
        prev.partitionMaxBytes = partitionMaxBytes;
      }
      let list = byTopic.get(w.topic);
      if (list === undefined) byTopic.set(w.topic, (list = []));
      list.push(w);
    }
    const forgotten = new Map<string, number[]>();
    for (const [k, p] of this.sent) {
      if (keep.has(k)) continue;
      this.sent.delete(k);
      // A full fetch replaces the session's partitions: nothing to forget by name.
      if (full) continue;
      let list = forgotten.get(p.topic);
      if (list === undefined) forgotten.set(p.topic, (list = []));
      list.push(p.partition);
    }
    return {
      sessionId: full ? NO_SESSION : this.sessionId,
      sessionEpoch: this.epoch,
      topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      forgottenTopicsData: [...forgotten].map(([topic, partitions]) => ({ topic, partitions })),
      full,
    };
  }

  /**
   * The broker's answer to the last build(): its top-level error code and session id. A session
   * error resets the handler (the next fetch is full); any other answer moves the epoch on.
   */
  onResponse(errorCode: number, sessionId: number): void {
    if (errorCode !== ErrorCode.NONE) {
      this.reset();
      return;
    }
    if (this.epoch === INITIAL_SESSION_EPOCH) {
      // No session made (no cache slot, or a broker before v7): stay sessionless, try again next time.
      if (sessionId === NO_SESSION) this.reset();
      else {
        this.sessionId = sessionId;
        this.epoch = 1;
      }
      return;
    }
    this.epoch = this.epoch >= 0x7fffffff ? 1 : this.epoch + 1;
  }

  /** The request failed without an answer (connection lost, timeout): the broker's state is unknown. */
  onFailure(): void {
    this.reset();
  }

  /**
   * The request that closes the session (epoch -1 with its id and no partitions), or undefined when
   * there is none to close. The handler is reset either way.
   */
  closeRequest(): { sessionId: number; sessionEpoch: number } | undefined {
    const id = this.sessionId;
    this.reset();
    return id === NO_SESSION ? undefined : { sessionId: id, sessionEpoch: FINAL_SESSION_EPOCH };
  }

  private reset(): void {
    this.sessionId = NO_SESSION;
    this.epoch = INITIAL_SESSION_EPOCH;
    this.sent.clear();
  }
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
