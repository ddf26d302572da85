// The admin operations only the controller may carry out (ElectLeaders, AlterPartitionReassignments)
// as data: what a broker asks, and what the controller does with it against one image. The plan is
// pure, so the controller (cluster) and a single node (no controller) run the same rules.
import { entriesOf, type MetadataImage, type PartitionState } from '@mq/metadata';
import { ErrorCode } from '@mq/protocol';
import { electLeader } from './leader-election';
import { reassignPartition } from './partition-reassignment';

/** Metadata-store namespaces: requests any broker writes, results the controller writes back (same key). */
export const CONTROLLER_REQUESTS = 'controller-requests';
export const CONTROLLER_RESULTS = 'controller-results';

export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

export interface PartitionTarget {
  readonly topic: string;
  readonly partition: number;
  /** The target replicas; null cancels the reassignment in progress. */
  readonly replicas: readonly number[] | null;
}

export type ControllerRequest =
  | { readonly op: 'electLeaders'; readonly electionType: number; readonly partitions: readonly TopicPartitions[] | null }
  | { readonly op: 'alterReassignments'; readonly partitions: readonly PartitionTarget[] };

export interface PartitionOutcome {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export interface RequestPlan {
  /** Partition states to commit (the request's effect). */
  readonly changes: PartitionState[];
  readonly outcomes: PartitionOutcome[];
  /** Why, for the log line of each change. */
  readonly why: string;
}

/** Registered brokers, or this node alone when the image has none (one node). */
export function liveBrokers(image: MetadataImage, nodeId: number): Set<number> {
  return image.brokers.size === 0 ? new Set([nodeId]) : new Set(image.brokers.keys());
}

export function planRequest(image: MetadataImage, req: ControllerRequest, live: ReadonlySet<number>): RequestPlan {
  const changes: PartitionState[] = [];
  const outcomes: PartitionOutcome[] = [];
  const unknown = (topic: string, partition: number): PartitionOutcome => ({
    topic,
    partition,
    errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    errorMessage: `${topic}-${partition} does not exist`,
  });
  if (req.op === 'electLeaders') {
    const all = req.partitions === null;
    const asked: TopicPartitions[] = all ? [...image.topics.values()].map((t) => ({ topic: t.name, partitions: t.partitions.map((p) => p.partition) })) : [...req.partitions!];
    for (const { topic, partitions } of asked) {
      for (const partition of new Set(partitions)) {
        const s = image.topics.get(topic)?.partitions[partition];
        if (s === undefined) {
          outcomes.push(unknown(topic, partition));
          continue;
        }
        const o = electLeader(s, live, req.electionType);
        if (o.state !== undefined) changes.push(o.state);
        // Kafka: asked for every partition, the answer names only those an election was tried for.
        if (!all || o.errorCode !== ErrorCode.ELECTION_NOT_NEEDED) outcomes.push({ topic, partition, errorCode: o.errorCode, errorMessage: o.errorMessage });
      }
    }
    return { changes, outcomes, why: req.electionType === 1 ? 'unclean leader election (ElectLeaders)' : 'preferred leader election (ElectLeaders)' };
  }
  const registered = image.brokers.size === 0 ? live : new Set(image.brokers.keys());
  for (const t of req.partitions) {
    const s = image.topics.get(t.topic)?.partitions[t.partition];
    if (s === undefined) {
      outcomes.push(unknown(t.topic, t.partition));
      continue;
    }
    const o = reassignPartition(s, t.replicas, registered, live);
    if (o.state !== undefined) changes.push(o.state);
    outcomes.push({ topic: t.topic, partition: t.partition, errorCode: o.errorCode, errorMessage: o.errorMessage });
  }
  return { changes, outcomes, why: 'partition reassignment (AlterPartitionReassignments)' };
}

/** The requests waiting in the image for the controller, oldest key first. */
export function pendingRequests(image: MetadataImage): { key: string; request: ControllerRequest | undefined }[] {
  return [...entriesOf(image, CONTROLLER_REQUESTS)].map(([key, value]) => {
    try {
      return { key, request: JSON.parse(value) as ControllerRequest };
    } catch {
      return { key, request: undefined };
    }
  });
}
