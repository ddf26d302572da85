// kafka-reassign-partitions' --throttle and --verify: before a move, the partitions' current replicas
// are named in leader.replication.throttled.replicas and the replicas being added in
// follower.replication.throttled.replicas (merged with what the topic has), and every broker taking
// part gets leader/follower.replication.throttled.rate; once every move completed, the topics'
// throttled-replica configs and every broker's rates are removed.
import type { Admin, ReassignmentTarget } from '@mq/client';

export const LEADER_REPLICAS = 'leader.replication.throttled.replicas';
export const FOLLOWER_REPLICAS = 'follower.replication.throttled.replicas';
export const LEADER_RATE = 'leader.replication.throttled.rate';
export const FOLLOWER_RATE = 'follower.replication.throttled.rate';

/** `current` (partition key → replicas before the move): what the throttle names per topic, and the brokers involved. */
export function throttlePlan(
  targets: readonly ReassignmentTarget[],
  current: ReadonlyMap<string, readonly number[] | null>,
): { topics: Map<string, { leader: string[]; follower: string[] }>; brokers: Set<number> } {
  const topics = new Map<string, { leader: string[]; follower: string[] }>();
  const brokers = new Set<number>();
  for (const t of targets) {
    if (t.replicas === null) continue;
    const from = current.get(`${t.topic}-${t.partition}`) ?? [];
    let entry = topics.get(t.topic);
    if (entry === undefined) topics.set(t.topic, (entry = { leader: [], follower: [] }));
    // Any current replica may lead while the move runs; only the added ones fetch from scratch.
    for (const b of from) entry.leader.push(`${t.partition}:${b}`);
    for (const b of t.replicas) if (!from.includes(b)) entry.follower.push(`${t.partition}:${b}`);
    for (const b of [...from, ...t.replicas]) brokers.add(b);
  }
  return { topics, brokers };
}

/** `existing` with `items` added (a list that is `*` already names everything). */
function merged(existing: string | null | undefined, items: readonly string[]): string {
  const base = (existing ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (base.includes('*')) return '*';
  for (const i of items) if (!base.includes(i)) base.push(i);
  return base.join(',');
}

/** Sets the throttle for the moves: topic throttled replicas (merged), then each involved broker's rates. */
export async function applyThrottle(admin: Admin, plan: ReturnType<typeof throttlePlan>, bytesPerSecond: number): Promise<void> {
  for (const [topic, { leader, follower }] of plan.topics) {
    const configs = new Map((await admin.describeConfigs('topic', topic, [LEADER_REPLICAS, FOLLOWER_REPLICAS])).map((e) => [e.name, e.value]));
    const set: Record<string, string> = {};
    if (leader.length > 0) set[LEADER_REPLICAS] = merged(configs.get(LEADER_REPLICAS), leader);
    if (follower.length > 0) set[FOLLOWER_REPLICAS] = merged(configs.get(FOLLOWER_REPLICAS), follower);
    if (Object.keys(set).length > 0) await admin.alterConfigs('topic', topic, { set });
  }
  const rate = String(bytesPerSecond);
  for (const b of [...plan.brokers].sort((x, y) => x - y)) await admin.alterConfigs('broker', String(b), { set: { [LEADER_RATE]: rate, [FOLLOWER_RATE]: rate } });
}

/** As kafka-reassign-partitions --verify once all moves completed: the topics' throttled replicas and every broker's rates go. */
export async function clearThrottle(admin: Admin, topics: Iterable<string>): Promise<void> {
  for (const topic of new Set(topics)) await admin.alterConfigs('topic', topic, { delete: [LEADER_REPLICAS, FOLLOWER_REPLICAS] });
  const { brokers } = await admin.describeCluster();
  for (const b of brokers) await admin.alterConfigs('broker', String(b.nodeId), { delete: [LEADER_RATE, FOLLOWER_RATE] });
}
