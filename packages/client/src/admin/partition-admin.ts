// Partition leadership and placement: ElectLeaders (43), AlterPartitionReassignments (45) and
// ListPartitionReassignments (46), the calls behind kafka-leader-election / kafka-reassign-partitions
// and `mq cluster elect-leaders|reassign|reassignments`. Any broker takes them (an mq broker hands
// them to the controller); per-partition refusals come back as data, one result per partition.
import { ApiKey, ErrorCode, KafkaError } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { InvalidArgumentError } from '../errors';

export type ElectionType = 'preferred' | 'unclean';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** What the controller said about one partition; `error` absent: done (or started, for a reassignment). */
export interface PartitionResult extends TopicPartition {
  readonly error?: KafkaError;
}

export interface ReassignmentTarget extends TopicPartition {
  /** The replicas the partition should end with, preferred leader first; null cancels the reassignment in progress. */
  readonly replicas: readonly number[] | null;
}

/** A reassignment in progress (KIP-455): `replicas` is the target plus the replicas still leaving. */
export interface PartitionReassignment extends TopicPartition {
  readonly replicas: readonly number[];
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
}

const ELECTION_TYPES: Record<ElectionType, number> = { preferred: 0, unclean: 1 };
const DEFAULT_TIMEOUT_MS = 30_000;

function partitionError(topic: string, partition: number, code: number, message: string | null | undefined, what: string): KafkaError | undefined {
  if (code === ErrorCode.NONE) return undefined;
  return new KafkaError(code, `${what} ${topic}-${partition}: ${message ?? new KafkaError(code).message}`);
}

function byTopic(partitions: readonly TopicPartition[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of partitions) {
    if (!p.topic) throw new InvalidArgumentError('a topic name is required');
    if (!Number.isInteger(p.partition) || p.partition < 0) throw new InvalidArgumentError(`partition ${p.partition} of "${p.topic}" is not a partition index`);
    const list = out.get(p.topic) ?? [];
    list.push(p.partition);
    out.set(p.topic, list);
  }
  return out;
}

/**
 * Elects the preferred replica (or, unclean, any live replica of a partition without a live
 * leader) of `partitions`; null: every partition, and then only those an election was tried for
 * are answered. ELECTION_NOT_NEEDED means the asked-for leader already leads.
 */
export async function electLeaders(cluster: Cluster, type: ElectionType, partitions: readonly TopicPartition[] | null, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<PartitionResult[]> {
  const topicPartitions = partitions === null ? null : [...byTopic(partitions)].map(([topic, ps]) => ({ topic, partitions: ps }));
  const res = await cluster.requestAny(ApiKey.ElectLeaders, { electionType: ELECTION_TYPES[type], topicPartitions, timeoutMs }, { extraTimeoutMs: timeoutMs });
  if (res.errorCode !== ErrorCode.NONE && res.replicaElectionResults.length === 0) throw new KafkaError(res.errorCode, `elect leaders: ${new KafkaError(res.errorCode).message}`);
  return res.replicaElectionResults.flatMap((t) =>
    t.partitionResult.map((p) => {
      const error = partitionError(t.topic, p.partitionId, p.errorCode, p.errorMessage, 'elect leader of');
      return error === undefined ? { topic: t.topic, partition: p.partitionId } : { topic: t.topic, partition: p.partitionId, error };
    }),
  );
}

/** Starts (a replica list) or cancels (null) reassignments; resolves once the controller has started them, not when they complete. */
export async function alterPartitionReassignments(cluster: Cluster, targets: readonly ReassignmentTarget[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<PartitionResult[]> {
  if (targets.length === 0) return [];
  const topics = new Map<string, { partitionIndex: number; replicas: number[] | null }[]>();
  byTopic(targets);
  for (const t of targets) {
    if (t.replicas?.some((r) => !Number.isInteger(r) || r < 0)) throw new InvalidArgumentError(`replicas of ${t.topic}-${t.partition} must be broker ids: ${t.replicas?.join(',')}`);
    const list = topics.get(t.topic) ?? [];
    list.push({ partitionIndex: t.partition, replicas: t.replicas === null ? null : [...t.replicas] });
    topics.set(t.topic, list);
  }
  const res = await cluster.requestAny(
    ApiKey.AlterPartitionReassignments,
    { timeoutMs, topics: [...topics].map(([name, partitions]) => ({ name, partitions })) },
    { extraTimeoutMs: timeoutMs },
  );
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `alter partition reassignments: ${res.errorMessage ?? new KafkaError(res.errorCode).message}`);
  return res.responses.flatMap((t) =>
    t.partitions.map((p) => {
      const error = partitionError(t.name, p.partitionIndex, p.errorCode, p.errorMessage, 'reassign');
      return error === undefined ? { topic: t.name, partition: p.partitionIndex } : { topic: t.name, partition: p.partitionIndex, error };
    }),
  );
}

/** The reassignments in progress of `partitions` (all partitions when omitted); finished or unknown ones are left out. */
export async function listPartitionReassignments(cluster: Cluster, partitions?: readonly TopicPartition[], timeoutMs = DEFAULT_TIMEOUT_MS): Promise<PartitionReassignment[]> {
  const topics = partitions === undefined ? null : [...byTopic(partitions)].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
  const res = await cluster.requestAny(ApiKey.ListPartitionReassignments, { timeoutMs, topics }, { extraTimeoutMs: timeoutMs });
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `list partition reassignments: ${res.errorMessage ?? new KafkaError(res.errorCode).message}`);
  return res.topics
    .flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas, addingReplicas: p.addingReplicas, removingReplicas: p.removingReplicas })))
    .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
}
