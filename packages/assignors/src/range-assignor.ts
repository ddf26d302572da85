// RangeAssignor: per topic, members subscribed to it (in stable order) get consecutive ranges; the
// first (partitions % members) members get one extra. Balanced within one per topic.
import { type Assignor, type AssignorMember, type GroupAssignment, type PartitionCounts, emptyAssignment, sortMembers } from './assignor';

export function rangeAssign(members: readonly AssignorMember[], partitionCounts: PartitionCounts): GroupAssignment {
  const out = emptyAssignment(members);
  const sorted = sortMembers(members);
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const count = partitionCounts.get(topic);
    if (count === undefined || count <= 0) continue;
    const subscribers = sorted.filter((m) => m.topics.includes(topic));
    const per = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    let next = 0;
    subscribers.forEach((m, i) => {
      const n = per + (i < extra ? 1 : 0);
      const list = out.get(m.memberId)!;
      for (let k = 0; k < n; k++) list.push({ topic, partition: next++ });
    });
  }
  return out;
}

export const rangeAssignor: Assignor = { name: 'range', assign: rangeAssign };
