// The share groups' "simple" assignor (KIP-932): partitions of each topic are spread over the
// members subscribed to it; with more members than partitions, partitions are shared (a share
// group lets many members consume one partition), so every subscribed member gets work.

export interface AssignorTopic {
  readonly topicId: string;
  readonly partitionCount: number;
}

/** memberId → topicId → partitions. Deterministic for the same members and topics (sorted by id). */
export function assignShares(subscriptions: ReadonlyMap<string, readonly AssignorTopic[]>): Map<string, Map<string, number[]>> {
  const out = new Map<string, Map<string, number[]>>();
  const byTopic = new Map<string, { partitionCount: number; members: string[] }>();
  for (const memberId of [...subscriptions.keys()].sort()) {
    out.set(memberId, new Map());
    for (const t of subscriptions.get(memberId)!) {
      const entry = byTopic.get(t.topicId) ?? { partitionCount: t.partitionCount, members: [] };
      entry.members.push(memberId);
      byTopic.set(t.topicId, entry);
    }
  }
  for (const [topicId, { partitionCount, members }] of byTopic) {
    if (partitionCount <= 0) continue;
    const give = (memberId: string, p: number) => {
      const m = out.get(memberId)!;
      const list = m.get(topicId) ?? [];
      if (!list.includes(p)) list.push(p);
      m.set(topicId, list);
    };
    // Every partition to one member round-robin, then members still without one share partitions.
    for (let p = 0; p < partitionCount; p++) give(members[p % members.length]!, p);
    for (let i = partitionCount; i < members.length; i++) give(members[i]!, i % partitionCount);
    for (const m of members) out.get(m)!.get(topicId)?.sort((a, b) => a - b);
  }
  return out;
}
