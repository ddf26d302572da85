// Sentinel values several handlers write on the wire (one definition each).

/** Kafka's Uuid.ZERO_UUID as text: "no topic id" (unknown topics, requests by name). */
export const ZERO_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** Kafka's "authorized operations not requested" (Integer.MIN_VALUE). */
export const AUTHORIZED_OPS_NOT_REQUESTED = -2147483648;
