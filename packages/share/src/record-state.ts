// The states of an in-flight record of a share-partition and the acknowledge types of the wire,
// with Kafka's numbers (RecordState / AcknowledgeType in KIP-932): the persisted state batches use
// 0 Available, 2 Acknowledged, 4 Archived; Acquired (1) lives only in memory.

export const RecordState = Object.freeze({
  AVAILABLE: 0,
  ACQUIRED: 1,
  ACKNOWLEDGED: 2,
  ARCHIVED: 4,
} as const);
export type RecordStateCode = (typeof RecordState)[keyof typeof RecordState];

/** What a consumer says about an acquired record: 0 gap (no record there), 1 accept, 2 release, 3 reject, 4 renew the lock (v2). */
export const AcknowledgeType = Object.freeze({
  GAP: 0,
  ACCEPT: 1,
  RELEASE: 2,
  REJECT: 3,
  RENEW: 4,
} as const);
export type AcknowledgeTypeCode = (typeof AcknowledgeType)[keyof typeof AcknowledgeType];

export function isAcknowledgeType(t: number, allowRenew: boolean): t is AcknowledgeTypeCode {
  return Number.isInteger(t) && t >= AcknowledgeType.GAP && t <= (allowRenew ? AcknowledgeType.RENEW : AcknowledgeType.REJECT);
}

/** A persisted run of records with one state and delivery count (ShareSnapshotValue / ShareUpdateValue's StateBatch). */
export interface StateBatch {
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  /** 0 Available, 2 Acknowledged, 4 Archived. */
  readonly deliveryState: number;
  readonly deliveryCount: number;
}
