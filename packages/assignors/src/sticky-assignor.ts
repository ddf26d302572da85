// StickyAssignor: keeps every member's still-valid owned partitions, hands out the rest to the
// least-loaded eligible members, then moves partitions from the most to the least loaded member
// until no eligible pair differs by more than one. Only over-quota members lose partitions, and
// they give up newly handed-out ones before ones they owned: minimal movement on join/leave.
import {
  type Assignor,
  type AssignorMember,
  type GroupAssignment,
  type PartitionCounts,
  type TopicPartition,
  sortMembers,
  tpKey,
} from './assignor';

/** Resolves who owns what now: a partition claimed twice goes to the higher generation (then the first claimant). */
export function currentOwners(members: readonly AssignorMember[], partitionCounts: PartitionCounts): Map<string, string> {
  const owner = new Map<string, { memberId: string; generationId: number }>();
  for (const m of sortMembers(members)) {
    const generationId = m.generationId ?? -1;
    for (const tp of m.ownedPartitions ?? []) {
      const count = partitionCounts.get(tp.topic);
      if (count === undefined || !m.topics.includes(tp.topic)) continue;
      for (const p of tp.partitions) {
        if (p < 0 || p >= count) continue;
        const key = tpKey(tp.topic, p);
        const prev = owner.get(key);
        if (prev === undefined || generationId > prev.generationId) owner.set(key, { memberId: m.memberId, generationId });
      }
    }
  }
  const out = new Map<string, string>();
  for (const [key, v] of owner) out.set(key, v.memberId);
  return out;
}

interface Slot {
  member: AssignorMember;
  topics: Set<string>;
  /** Partitions assigned this round; kept ones first, newly handed out ones appended. */
  assigned: TopicPartition[];
  owned: Set<string>;
}

export function stickyAssign(members: readonly AssignorMember[], partitionCounts: PartitionCounts): GroupAssignment {
  const sorted = sortMembers(members);
  const slots = new Map<string, Slot>();
  for (const m of sorted) slots.set(m.memberId, { member: m, topics: new Set(m.topics), assigned: [], owned: new Set() });
  const owners = currentOwners(sorted, partitionCounts);

  // 1. Keep valid owned partitions.
  const topics = [...new Set(sorted.flatMap((m) => m.topics))].filter((t) => partitionCounts.has(t)).sort();
  const unassigned: TopicPartition[] = [];
  for (const topic of topics) {
    const count = partitionCounts.get(topic)!;
    for (let partition = 0; partition < count; partition++) {
      const key = tpKey(topic, partition);
      const ownerId = owners.get(key);
      if (ownerId !== undefined) {
        const slot = slots.get(ownerId)!;
        slot.assigned.push({ topic, partition });
        slot.owned.add(key);
      } else {
        unassigned.push({ topic, partition });
      }
    }
  }

  // 2. Hand out the rest: topics with the fewest eligible members first, each to the least loaded.
  const eligible = new Map<string, Slot[]>();
  for (const topic of topics) eligible.set(topic, [...slots.values()].filter((s) => s.topics.has(topic)));
  unassigned.sort((a, b) => eligible.get(a.topic)!.length - eligible.get(b.topic)!.length || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  for (const tp of unassigned) {
    let best: Slot | undefined;
    for (const s of eligible.get(tp.topic)!) if (best === undefined || s.assigned.length < best.assigned.length) best = s;
    best?.assigned.push(tp);
  }

  // 3. Balance: move from the most to the least loaded eligible member until within one.
  const all = [...slots.values()];
  for (;;) {
    all.sort((a, b) => b.assigned.length - a.assigned.length);
    let moved = false;
    outer: for (let i = 0; i < all.length; i++) {
      const from = all[i]!;
      for (let j = all.length - 1; j > i; j--) {
        const to = all[j]!;
        if (from.assigned.length - to.assigned.length <= 1) break;
        const idx = pickMovable(from, to);
        if (idx < 0) continue;
        to.assigned.push(from.assigned.splice(idx, 1)[0]!);
        moved = true;
        break outer;
      }
    }
    if (!moved) break;
  }

  const out: GroupAssignment = new Map();
  for (const m of members) out.set(m.memberId, slots.get(m.memberId)!.assigned);
  return out;
}

/** Index of a partition `to` may take from `from`: prefer one `from` did not own before this round. */
function pickMovable(from: Slot, to: Slot): number {
  let fallback = -1;
  for (let k = from.assigned.length - 1; k >= 0; k--) {
    const tp = from.assigned[k]!;
    if (!to.topics.has(tp.topic)) continue;
    if (!from.owned.has(tpKey(tp.topic, tp.partition))) return k;
    if (fallback < 0) fallback = k;
  }
  return fallback;
}

export const stickyAssignor: Assignor = { name: 'sticky', assign: stickyAssign };
