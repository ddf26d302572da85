// The "consumer" embedded protocol carried opaquely in JoinGroup/SyncGroup: ConsumerProtocolSubscription
// and ConsumerProtocolAssignment, versions 0-3 (non-flexible, int16 version prefix), as Kafka's
// clients/src/main/resources/common/message/ConsumerProtocol*.json define them.
import { Reader } from './primitives/reader';
import { Writer } from './primitives/writer';
import { readArray, writeArray } from './primitives/arrays';

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface ConsumerSubscription {
  version: number;
  topics: string[];
  userData: Buffer | null;
  /** v1+: partitions the member owns (cooperative rebalancing). */
  ownedPartitions: TopicPartitions[];
  /** v2+: the generation the owned partitions belong to; -1 when unknown. */
  generationId: number;
  /** v3+ */
  rackId: string | null;
}

export interface ConsumerAssignment {
  version: number;
  assignedPartitions: TopicPartitions[];
  userData: Buffer | null;
}

export const CONSUMER_PROTOCOL_MAX_VERSION = 3;

/** Bytes the caller keeps (userData) are copied out of the request buffer. */
function copyOrNull(b: Buffer | null): Buffer | null {
  return b === null ? null : Buffer.from(b);
}

function writeTopicPartitions(w: Writer, list: readonly TopicPartitions[]): void {
  writeArray(w, list, (tp) => {
    w.string(tp.topic);
    writeArray(w, tp.partitions, (p) => w.int32(p));
  });
}

function readTopicPartitions(r: Reader): TopicPartitions[] {
  return readArray(r, () => ({ topic: r.string(), partitions: readArray(r, () => r.int32()) }));
}

export function encodeSubscription(s: Partial<ConsumerSubscription> & { topics: string[] }): Buffer {
  const version = Math.min(s.version ?? CONSUMER_PROTOCOL_MAX_VERSION, CONSUMER_PROTOCOL_MAX_VERSION);
  const w = new Writer(64);
  w.int16(version);
  writeArray(w, s.topics, (t) => w.string(t));
  w.nullableBytes(s.userData ?? null);
  if (version >= 1) writeTopicPartitions(w, s.ownedPartitions ?? []);
  if (version >= 2) w.int32(s.generationId ?? -1);
  if (version >= 3) w.nullableString(s.rackId ?? null);
  return Buffer.from(w.finishBuffer());
}

/**
 * Decodes a subscription. Versions above 3 are read as v3 (Kafka's rule: newer versions only
 * append fields, so an old reader ignores the tail).
 */
export function decodeSubscription(buf: Buffer): ConsumerSubscription {
  const r = new Reader(buf);
  const version = r.int16();
  const topics = readArray(r, () => r.string());
  const userData = copyOrNull(r.nullableBytes());
  const ownedPartitions = version >= 1 && r.remaining > 0 ? readTopicPartitions(r) : [];
  const generationId = version >= 2 && r.remaining > 0 ? r.int32() : -1;
  const rackId = version >= 3 && r.remaining > 0 ? r.nullableString() : null;
  return { version, topics, userData, ownedPartitions, generationId, rackId };
}

export function encodeAssignment(a: Partial<ConsumerAssignment> & { assignedPartitions: TopicPartitions[] }): Buffer {
  const version = Math.min(a.version ?? CONSUMER_PROTOCOL_MAX_VERSION, CONSUMER_PROTOCOL_MAX_VERSION);
  const w = new Writer(64);
  w.int16(version);
  writeTopicPartitions(w, a.assignedPartitions);
  w.nullableBytes(a.userData ?? null);
  return Buffer.from(w.finishBuffer());
}

export function decodeAssignment(buf: Buffer): ConsumerAssignment {
  // An empty assignment (a member given nothing, or a failed sync) arrives as zero bytes.
  if (buf.length === 0) return { version: 0, assignedPartitions: [], userData: null };
  const r = new Reader(buf);
  const version = r.int16();
  const assignedPartitions = readTopicPartitions(r);
  const userData = r.remaining > 0 ? copyOrNull(r.nullableBytes()) : null;
  return { version, assignedPartitions, userData };
}
