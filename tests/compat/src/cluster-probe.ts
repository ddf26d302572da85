// What the fault tests read of a cluster, through real clients: partition leaders, replicas and ISR
// and the controller as Metadata returns them (kcat -L -J), the whole topic read back with kcat for
// the history checker, and a polling wait that names what it waited for when it gives up.
import type { RunningCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { type Consumed, parseHistory } from './history-checker';
import { kcat } from './kcat';

export interface PartitionMetadata {
  readonly partition: number;
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

interface KcatJson {
  controllerid?: number;
  brokers: { id: number; name: string }[];
  topics: { topic: string; err?: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
}

/** Metadata for `topic`, asked of `bootstrap` (name only brokers that answer: a paused one never does; `extra`: kcat's -X security options). */
export async function topicMetadata(bootstrap: string, topic: string, extra: readonly string[] = []): Promise<{ controller: number; brokers: number[]; partitions: PartitionMetadata[] }> {
  const res = await kcat(['-L', '-J', '-b', bootstrap, '-t', topic, '-m', '10', ...extra], 60_000);
  const json = JSON.parse(res.stdout.toString('utf8')) as KcatJson;
  const partitions = (json.topics[0]?.partitions ?? []).map((p) => ({
    partition: p.partition,
    leader: p.leader,
    replicas: p.replicas.map((r) => r.id),
    isr: p.isrs.map((r) => r.id),
  }));
  return { controller: json.controllerid ?? -1, brokers: json.brokers.map((b) => b.id).sort(), partitions: partitions.sort((a, b) => a.partition - b.partition) };
}

/** host:port of the running brokers of `cluster`, leaving out `except` (paused or cut off ones). */
export function bootstrapOf(cluster: RunningCluster, except: readonly number[] = []): string {
  return cluster.brokers
    .filter((b) => b.running && !except.includes(b.nodeId))
    .map((b) => `${b.host}:${b.port}`)
    .join(',');
}

/** Polls `fn` every 100 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, timeoutMs: number, fn: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await Promise.resolve()
      .then(fn)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `fn` every 100 ms until it gives a value (not undefined; a throw counts as none) and returns it (generous default: a loaded 2-core machine). */
export async function untilValue<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every record of `topic` from the beginning up to each partition's high watermark, as kcat reads it (`extra`: e.g. its -X security options). */
export async function readBack(bootstrap: string, topic: string, extra: readonly string[] = []): Promise<Consumed[]> {
  const res = await kcat(['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %o %s\n', ...extra], 180_000);
  return parseHistory(res.stdout.toString('utf8'));
}

/** One "became leader" line of a broker's log. */
export interface LeaderClaim {
  readonly nodeId: number;
  readonly topic: string;
  readonly partition: number;
  readonly leaderEpoch: number;
}

/** Every "became leader" each broker logged (kept across its restarts). */
export function leaderClaims(cluster: RunningCluster): LeaderClaim[] {
  const out: LeaderClaim[] = [];
  for (const b of cluster.brokers) {
    for (const line of b.logs()) {
      if (!line.includes('"msg":"became leader"')) continue;
      const j = JSON.parse(line) as { topic: string; partition: number; leaderEpoch: number };
      out.push({ nodeId: b.nodeId, topic: j.topic, partition: j.partition, leaderEpoch: j.leaderEpoch });
    }
  }
  return out;
}

/** Split brain, one line each: two brokers that both became leader of one partition in one leader epoch. */
export function splitBrains(claims: readonly LeaderClaim[]): string[] {
  const by = new Map<string, Set<number>>();
  for (const c of claims) {
    const k = `${c.topic}-${c.partition} epoch ${c.leaderEpoch}`;
    const s = by.get(k) ?? new Set<number>();
    s.add(c.nodeId);
    by.set(k, s);
  }
  return [...by].filter(([, s]) => s.size > 1).map(([k, s]) => `${k}: leaders ${[...s].join(', ')}`);
}

/** How many "truncating divergent log tail" lines a broker logged (for `topic`), with their ranges. */
export function truncations(logs: readonly string[], topic: string): { partition: number; from: bigint; to: bigint }[] {
  const out: { partition: number; from: bigint; to: bigint }[] = [];
  for (const line of logs) {
    if (!line.includes('"msg":"truncating divergent log tail"')) continue;
    const j = JSON.parse(line) as { topic: string; partition: number; from: string; to: string };
    if (j.topic === topic) out.push({ partition: j.partition, from: BigInt(j.from), to: BigInt(j.to) });
  }
  return out;
}

/** Creates `topic` (replication factor 3) through kafkajs and waits until Metadata shows all three replicas of every partition in sync. */
export async function createSyncedTopic(cluster: RunningCluster, topic: string, partitions: number): Promise<PartitionMetadata[]> {
  const admin = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 3 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  await until(`${topic}: all replicas in sync`, 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.every((p) => p.isr.length === 3));
  return (await topicMetadata(cluster.bootstrap, topic)).partitions;
}
