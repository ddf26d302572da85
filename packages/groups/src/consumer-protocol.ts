// The "consumer" embedded protocol carried opaquely in JoinGroup/SyncGroup: ConsumerProtocolSubscription
// and ConsumerProtocolAssignment, versions 0-3 (non-flexible, int16 version prefix), as Kafka's
// clients/src/main/resources/common/message/ConsumerProtocol*.json define them.
import { ByteReader, ByteWriter } from './byte-buffer';

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

function writeTopicPartitions(w: ByteWriter, list: readonly TopicPartitions[]): void {
  w.array(list, (tp) => {
    w.string(tp.topic);
    w.array(tp.partitions, (p) => w.int32(p));
  });
}

function readTopicPartitions(r: ByteReader): TopicPartitions[] {
  return r.array(() => ({ topic: r.string(), partitions: r.array(() => r.int32()) }));
}

export function encodeSubscription(s: Partial<ConsumerSubscription> & { topics: string[] }): Buffer {
  const version = Math.min(s.version ?? CONSUMER_PROTOCOL_MAX_VERSION, CONSUMER_PROTOCOL_MAX_VERSION);
  const w = new ByteWriter();
  w.int16(version);
  w.array(s.topics, (t) => w.string(t));
  w.bytes(s.userData ?? null);
  if (version >= 1) writeTopicPartitions(w, s.ownedPartitions ?? []);
  if (version >= 2) w.int32(s.generationId ?? -1);
  if (version >= 3) w.string(s.rackId ?? null);
  return w.finish();
}

/**
 * Decodes a subscription. Versions above 3 are read as v3 (Kafka's rule: newer versions only
 * append fields, so an old reader ignores the tail).
 */
export function decodeSubscription(buf: Buffer): ConsumerSubscription {
  const r = new ByteReader(buf);
  const version = r.int16();
  const topics = r.array(() => r.string());
  const userData = r.nullableBytes();
  const ownedPartitions = version >= 1 && r.remaining > 0 ? readTopicPartitions(r) : [];
  const generationId = version >= 2 && r.remaining > 0 ? r.int32() : -1;
  const rackId = version >= 3 && r.remaining > 0 ? r.nullableString() : null;
  return { version, topics, userData, ownedPartitions, generationId, rackId };
}

export function encodeAssignment(a: Partial<ConsumerAssignment> & { assignedPartitions: TopicPartitions[] }): Buffer {
  const version = Math.min(a.version ?? CONSUMER_PROTOCOL_MAX_VERSION, CONSUMER_PROTOCOL_MAX_VERSION);
  const w = new ByteWriter();
  w.int16(version);
  writeTopicPartitions(w, a.assignedPartitions);
  w.bytes(a.userData ?? null);
  return w.finish();
}

export function decodeAssignment(buf: Buffer): ConsumerAssignment {
  // An empty assignment (a member given nothing, or a failed sync) arrives as zero bytes.
  if (buf.length === 0) return { version: 0, assignedPartitions: [], userData: null };
  const r = new ByteReader(buf);
  const version = r.int16();
  const assignedPartitions = readTopicPartitions(r);
  const userData = r.remaining > 0 ? r.nullableBytes() : null;
  return { version, assignedPartitions, userData };
}
