// Shared types of the partition assignors: pure functions from the group's members (subscriptions,
// owned partitions) and the topics' partition counts to a member → partitions assignment.

/**
 * Partitions grouped by topic: what the consumer protocol carries (owned and assigned partitions).
 * Declared here so the assignors need no wire package; @mq/protocol's codec takes the same shape.
 */
export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface AssignorMember {
  memberId: string;
  /** Static members sort by instance id so their assignment survives a restart (new memberId). */
  groupInstanceId?: string | null;
  topics: readonly string[];
  /** Partitions the member owns now (consumer protocol v1+); sticky assignors keep them. */
  ownedPartitions?: readonly TopicPartitions[];
  /** Generation of ownedPartitions; a higher one wins when two members claim a partition. */
  generationId?: number;
}

/** topic → number of partitions. Topics missing here are skipped (they do not exist). */
export type PartitionCounts = ReadonlyMap<string, number>;

/** memberId → assigned partitions; every member of the input has an entry (maybe empty). */
export type GroupAssignment = Map<string, TopicPartition[]>;

export interface Assignor {
  /** The protocol name clients advertise in JoinGroup ("range", "roundrobin", ...). */
  readonly name: string;
  assign(members: readonly AssignorMember[], partitionCounts: PartitionCounts): GroupAssignment;
}

export function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** Members in a stable order: static members by instance id, then dynamic ones by memberId. */
export function sortMembers(members: readonly AssignorMember[]): AssignorMember[] {
  return [...members].sort((a, b) => {
    const ka = a.groupInstanceId ?? `\uffff${a.memberId}`;
    const kb = b.groupInstanceId ?? `\uffff${b.memberId}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

export function emptyAssignment(members: readonly AssignorMember[]): GroupAssignment {
  const out: GroupAssignment = new Map();
  for (const m of members) out.set(m.memberId, []);
  return out;
}

/** Groups a flat list of partitions by topic (sorted), the shape the consumer protocol carries. */
export function toTopicPartitions(list: readonly TopicPartition[]): TopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const tp of list) {
    let ps = byTopic.get(tp.topic);
    if (ps === undefined) byTopic.set(tp.topic, (ps = []));
    ps.push(tp.partition);
  }
  return [...byTopic.keys()].sort().map((topic) => ({ topic, partitions: byTopic.get(topic)!.sort((a, b) => a - b) }));
}

export function fromTopicPartitions(list: readonly TopicPartitions[]): TopicPartition[] {
  const out: TopicPartition[] = [];
  for (const tp of list) for (const p of tp.partitions) out.push({ topic: tp.topic, partition: p });
  return out;
}
