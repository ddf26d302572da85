// Shared helpers of the KIP-848 tests: a coordinator on a fake clock over a mutable topic registry
// (create, delete, grow topics and tell the coordinator, as the broker's TopicManager listener does),
// heartbeat requests and assignment readers.
import type { ConsumerGroupHeartbeatRequest, TopicResolver } from '../src/consumer-group-protocol';
import type { GroupCoordinator } from '../src/group-coordinator';
import { FakeClock } from './fake-clock';
import { OffsetsStore } from './offsets-store';

export const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

/** A Kafka Uuid text (22 chars base64url) per number, as topic ids are stored in records. */
function uuidOf(n: number): string {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(n, 12);
  return b.toString('base64url');
}

/** Topics by name; ids are fresh per creation, as Kafka's. */
export class TopicRegistry implements TopicResolver {
  private readonly topics = new Map<string, { topicId: string; partitionCount: number }>();
  private nextId = 2;
  coordinator: GroupCoordinator | null = null;

  constructor() {
    this.topics.set('t', { topicId: TOPIC_ID, partitionCount: 6 });
  }

  byName(name: string) {
    return this.topics.get(name);
  }

  nameOf(topicId: string) {
    for (const [name, t] of this.topics) if (t.topicId === topicId) return name;
    return undefined;
  }

  names() {
    return [...this.topics.keys()].filter((n) => !n.startsWith('__'));
  }

  idOf(name: string): string {
    return this.topics.get(name)!.topicId;
  }

  create(name: string, partitionCount: number): string {
    const topicId = uuidOf(this.nextId++);
    this.topics.set(name, { topicId, partitionCount });
    this.coordinator?.topicsChanged();
    return topicId;
  }

  grow(name: string, partitionCount: number): void {
    this.topics.get(name)!.partitionCount = partitionCount;
    this.coordinator?.topicsChanged();
  }

  delete(name: string): void {
    this.topics.delete(name);
    this.coordinator?.topicsChanged();
  }
}

export async function open(store?: OffsetsStore, topics = new TopicRegistry()) {
  const clock = new FakeClock();
  const recordLog = store ?? (await OffsetsStore.create());
  const c = await recordLog.open({
    clock,
    config: { consumerSessionTimeoutMs: 5_000, consumerHeartbeatIntervalMs: 500, initialRebalanceDelayMs: 0 },
    topics,
  });
  topics.coordinator = c;
  // As a broker's first FindCoordinator does: the state-machine tests start with __consumer_offsets loaded.
  await c.prepare();
  clock.settle = () => c.whenIdle();
  return { c, clock, topics };
}

export function hb(over: Partial<ConsumerGroupHeartbeatRequest>): ConsumerGroupHeartbeatRequest {
  return {
    groupId: 'cg', memberId: '', memberEpoch: 0, instanceId: null, rackId: null, rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: null, subscribedTopicRegex: null, serverAssignor: null, topicPartitions: null, ...over,
  };
}

export const owned = (partitions: number[], topicId = TOPIC_ID) => [{ topicId, partitions }];

type WithAssignment = { assignment: { topicPartitions: { topicId: string; partitions: number[] }[] } | null };

/** Partitions of the answer's assignment (all topics), sorted; null when the answer carries none. */
export const parts = (res: WithAssignment) => res.assignment?.topicPartitions.flatMap((t) => t.partitions).sort((a, b) => a - b) ?? null;

/** topicId → sorted partitions of the answer's assignment. */
export const byTopic = (res: WithAssignment) => Object.fromEntries((res.assignment?.topicPartitions ?? []).map((t) => [t.topicId, [...t.partitions].sort((a, b) => a - b)]));
