// RoundRobinAssignor: all partitions (by topic, then partition) dealt in turn to members in stable
// order, skipping members not subscribed to the partition's topic. Balanced within one overall
// when every member has the same subscription.
import { type Assignor, type AssignorMember, type GroupAssignment, type PartitionCounts, emptyAssignment, sortMembers } from './assignor';

export function roundRobinAssign(members: readonly AssignorMember[], partitionCounts: PartitionCounts): GroupAssignment {
  const out = emptyAssignment(members);
  const sorted = sortMembers(members);
  if (sorted.length === 0) return out;
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  let cursor = 0;
  for (const topic of topics) {
    const count = partitionCounts.get(topic) ?? 0;
    for (let partition = 0; partition < count; partition++) {
      // Advance to the next subscriber; at least one exists since the topic came from a subscription.
      for (let tries = 0; tries < sorted.length; tries++) {
        const m = sorted[cursor % sorted.length]!;
        cursor++;
        if (m.topics.includes(topic)) {
          out.get(m.memberId)!.push({ topic, partition });
          break;
        }
      }
    }
  }
  return out;
}

export const roundRobinAssignor: Assignor = { name: 'roundrobin', assign: roundRobinAssign };
