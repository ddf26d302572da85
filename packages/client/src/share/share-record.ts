// A record handed out by a ShareConsumer: a ConsumerRecord with its delivery count and the
// acknowledgement the application gives it (sent with the next ShareFetch, or by commit()).
import type { ConsumerRecord } from '../consumer/consumer-record';

export type AcknowledgeKind = 'accept' | 'release' | 'reject';

export interface ShareRecord extends ConsumerRecord {
  /** 1 on the first delivery; higher after a release, an expired lock or a consumer that went away. */
  readonly deliveryCount: number;
  /** Done with it: never delivered again. */
  accept(): void;
  /** Give it back to the queue for another delivery (to any member). */
  release(): void;
  /** Unprocessable: archived (dead-lettered where the broker is so configured), never delivered again. */
  reject(): void;
  /**
   * Still working on it (acknowledgementMode 'explicit'): the next request renews its lock (RENEW,
   * ShareFetch / ShareAcknowledge v2) and it stays this consumer's to accept, release or reject
   * after later polls. A broker speaking only v1 answers INVALID_REQUEST (reported by commit()).
   */
  renew(): void;
  /** What the application said, or undefined while it said nothing. */
  readonly acknowledgement: AcknowledgeKind | undefined;
}

/** A failed acknowledgement, as commit() reports it (e.g. INVALID_RECORD_STATE: the lock had expired). */
export interface AcknowledgeFailure {
  readonly topic: string;
  readonly partition: number;
  readonly offsets: readonly bigint[];
  readonly errorCode: number;
}
