// Rebalance benchmark: a group of 10 in-process members over 100 partitions on a real
// GroupCoordinator (records on the internal topic __consumer_offsets in a temp dir). Measures, for a member joining
// and a member leaving, the time until every member holds its final assignment, the number of
// JoinGroup/SyncGroup rounds, and how many partitions stopped being consumed meanwhile:
// eager (range; everything revoked) vs cooperative-sticky (KIP-429; only moved partitions).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type AssignorMember,
  type TopicPartition,
  cooperativeStickyAssignWithRevocations,
  fromTopicPartitions,
  rangeAssign,
  toTopicPartitions,
} from '@mq/assignors';
import { ErrorCode as E, decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '@mq/protocol';
import { TopicManager } from '@mq/partition';
import { GroupCoordinator } from '../src/index';

const MEMBERS = 10;
const PARTITIONS = 100;
const ITERATIONS = Number(process.env.ITERATIONS ?? 30);
const TOPIC = 't';
const PARTITION_COUNTS = new Map([[TOPIC, PARTITIONS]]);
type Mode = 'eager' | 'cooperative';

interface RoundResult {
  ok: boolean;
  revoked: number;
}

/** The client side of the classic protocol, reduced to what a rebalance needs. */
class SimMember {
  memberId = '';
  generationId = -1;
  owned: TopicPartition[] = [];
  isLeader = false;
  private lastMetadata: Buffer | null = null;

  constructor(
    private readonly c: GroupCoordinator,
    readonly mode: Mode,
    readonly name: string,
  ) {}

  private protocol(): { name: string; metadata: Buffer } {
    const metadata = encodeSubscription({
      topics: [TOPIC],
      ownedPartitions: this.mode === 'cooperative' ? toTopicPartitions(this.owned) : [],
      generationId: this.generationId,
    });
    return { name: this.mode === 'eager' ? 'range' : 'cooperative-sticky', metadata };
  }

  /** A join with a changed subscription (or the leader's) starts a rebalance; others just follow it. */
  get triggersRebalance(): boolean {
    return this.isLeader || this.lastMetadata === null || !this.protocol().metadata.equals(this.lastMetadata);
  }

  /** KIP-394 first step: get a member id (the member is pending until it joins with it). */
  async prepare(): Promise<void> {
    if (this.memberId !== '') return;
    const res = await this.c.joinGroup(this.joinRequest(), this.meta());
    if (res.errorCode !== E.MEMBER_ID_REQUIRED) throw new Error(`expected MEMBER_ID_REQUIRED, got ${res.errorCode}`);
    this.memberId = res.memberId;
  }

  private meta() {
    return { apiVersion: 5, clientId: this.name, clientHost: '/127.0.0.1' };
  }

  private joinRequest() {
    const protocol = this.protocol();
    this.lastMetadata = protocol.metadata;
    return {
      groupId: 'bench', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId: this.memberId,
      groupInstanceId: null, protocolType: 'consumer', protocols: [protocol],
    };
  }

  /** One JoinGroup + SyncGroup. Eager members revoke everything first; cooperative ones only what they lose. */
  async round(): Promise<RoundResult> {
    let revoked = 0;
    if (this.mode === 'eager') {
      revoked = this.owned.length;
      this.owned = [];
    }
    const res = await this.c.joinGroup(this.joinRequest(), this.meta());
    if (res.errorCode !== E.NONE) return { ok: false, revoked };
    this.generationId = res.generationId;
    this.isLeader = res.leader === this.memberId;
    let assignments: { memberId: string; assignment: Buffer }[] = [];
    if (res.leader === this.memberId) {
      const members: AssignorMember[] = res.members.map((m) => {
        const s = decodeSubscription(m.metadata);
        return { memberId: m.memberId, topics: s.topics, ownedPartitions: s.ownedPartitions, generationId: s.generationId };
      });
      const assignment = this.mode === 'eager' ? rangeAssign(members, PARTITION_COUNTS) : cooperativeStickyAssignWithRevocations(members, PARTITION_COUNTS).assignment;
      assignments = [...assignment].map(([memberId, list]) => ({ memberId, assignment: encodeAssignment({ assignedPartitions: toTopicPartitions(list) }) }));
    }
    const sync = await this.c.syncGroup({
      groupId: 'bench', generationId: this.generationId, memberId: this.memberId, groupInstanceId: null,
      protocolType: 'consumer', protocolName: res.protocolName, assignments,
    });
    if (sync.errorCode !== E.NONE) return { ok: false, revoked };
    const next = fromTopicPartitions(decodeAssignment(sync.assignment).assignedPartitions);
    const keep = new Set(next.map((tp) => tp.partition));
    if (this.mode === 'cooperative') revoked = this.owned.filter((tp) => !keep.has(tp.partition)).length;
    this.owned = next;
    return { ok: true, revoked };
  }

  async leave(): Promise<void> {
    await this.c.leaveGroup({ groupId: 'bench', members: [{ memberId: this.memberId, groupInstanceId: null }] });
  }
}

/**
 * Runs rounds until one completes with every member synced and nothing revoked (KIP-429: a member
 * that revoked partitions rejoins, which makes everyone rejoin once more).
 */
async function settle(members: SimMember[]): Promise<{ rounds: number; revoked: number }> {
  for (const m of members) await m.prepare();
  const guard = setTimeout(() => {
    throw new Error('group did not settle within 10 s');
  }, 10_000);
  let rounds = 0;
  let revoked = 0;
  try {
    for (;;) {
      rounds++;
      // Real members learn of a rebalance from their heartbeat; here the members that start one
      // join first (synchronously), so the group is rebalancing before the others join.
      const order = [...members].sort((a, b) => Number(b.triggersRebalance) - Number(a.triggersRebalance));
      const results = await Promise.all(order.map((m) => m.round()));
      let again = false;
      for (const r of results) {
        revoked += r.revoked;
        // KIP-429: a cooperative member that gave partitions up rejoins at once.
        if (!r.ok || (r.revoked > 0 && members[0]!.mode === 'cooperative')) again = true;
      }
      const assigned = members.reduce((n, m) => n + m.owned.length, 0);
      if (!again && assigned === PARTITIONS) return { rounds, revoked };
      if (rounds > 20) throw new Error('group did not settle in 20 rounds');
    }
  } finally {
    clearTimeout(guard);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function scenario(mode: Mode, event: 'join' | 'leave'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mq-rebalance-bench-'));
  const topics = await TopicManager.open({ dataDir: dir });
  const c = await GroupCoordinator.open({ topicManager: topics, topicExists: () => true, config: { initialRebalanceDelayMs: 0 } });
  try {
    let members = Array.from({ length: MEMBERS }, (_, i) => new SimMember(c, mode, `m${i}`));
    await settle(members);
    const times: number[] = [];
    let rounds = 0;
    let revoked = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const t0 = performance.now();
      let r: { rounds: number; revoked: number };
      if (event === 'join') {
        members = [...members, new SimMember(c, mode, `new${i}`)];
        r = await settle(members);
      } else {
        const leaving = members[i % members.length]!;
        await leaving.leave();
        members = members.filter((m) => m !== leaving);
        r = await settle(members);
      }
      times.push(performance.now() - t0);
      rounds += r.rounds;
      revoked += r.revoked;
      // Back to 10 members for the next iteration (not measured).
      if (event === 'join') {
        const extra = members.pop()!;
        await extra.leave();
      } else {
        members = [...members, new SimMember(c, mode, `back${i}`)];
      }
      await settle(members);
    }
    times.sort((a, b) => a - b);
    return (
      `${mode.padEnd(11)} ${event.padEnd(5)}  p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms  ` +
      `rounds ${(rounds / ITERATIONS).toFixed(1)}  partitions revoked ${(revoked / ITERATIONS).toFixed(1)} of ${PARTITIONS}`
    );
  } finally {
    await c.close();
    await topics.close();
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(`rebalance: ${MEMBERS} members × ${PARTITIONS} partitions, ${ITERATIONS} iterations, node ${process.version}`);
for (const mode of ['eager', 'cooperative'] as const) {
  for (const event of ['join', 'leave'] as const) console.log(await scenario(mode, event));
}
