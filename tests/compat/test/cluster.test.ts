// Cluster mode end to end: startCluster() (etcd + 3 mq-broker processes with --node-id / --etcd),
// seen through real clients — kcat -L lists the 3 brokers and the controller, kafkajs DescribeCluster
// names it, kafkajs CreateTopics with replication_factor 3 spreads leaders over the brokers, kcat
// produces acks=all and consumes, and a SIGKILLed leader's partitions move to an ISR member.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcat } from '../src/kcat';

interface KcatJson {
  brokers: { id: number; name: string }[];
  controllerid?: number;
  topics: { topic: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
}

async function metadata(bootstrap: string, topic?: string): Promise<KcatJson> {
  const res = await kcat(['-L', '-J', '-b', bootstrap, '-m', '20', ...(topic !== undefined ? ['-t', topic] : [])], 60_000);
  return JSON.parse(res.stdout.toString('utf8')) as KcatJson;
}

let cluster: RunningCluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3 });
  kafka = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 } });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('a 3-broker cluster on etcd', () => {
  it('kcat -L lists every broker; DescribeCluster names the elected controller', async () => {
    const md = await metadata(cluster.bootstrap);
    expect(md.brokers.map((b) => b.id).sort()).toEqual([1, 2, 3]);
    expect(md.brokers.map((b) => b.name).sort()).toEqual(cluster.brokers.map((b) => `${b.host}:${b.port}`).sort());
    const admin = kafka.admin();
    await admin.connect();
    try {
      const described = await admin.describeCluster();
      expect([1, 2, 3]).toContain(described.controller);
      expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect(cluster.broker(described.controller!).logs().some((l) => l.includes('"msg":"became the controller"'))).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });

  it('CreateTopics with replication_factor 3: leaders spread, 3 replicas in sync; a factor above the brokers is refused', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'spread', numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true })).toBe(true);
      const err = await admin.createTopics({ topics: [{ topic: 'too-wide', numPartitions: 1, replicationFactor: 4 }] }).catch((e: unknown) => e);
      expect(JSON.stringify((err as { errors?: unknown }).errors ?? err)).toMatch(/INVALID_REPLICATION_FACTOR|replication factor 4 is larger than the 3 available brokers/);
    } finally {
      await admin.disconnect();
    }
    await expect.poll(async () => (await metadata(cluster.bootstrap, 'spread')).topics[0]!.partitions.every((p) => p.isrs.length === 3), { timeout: 30_000 }).toBe(true);
    const parts = (await metadata(cluster.bootstrap, 'spread')).topics[0]!.partitions;
    expect(new Set(parts.map((p) => p.leader)).size).toBe(3);
    for (const p of parts) expect(p.replicas.map((r) => r.id).sort()).toEqual([1, 2, 3]);
  });

  it('acks=all through kcat, read back; SIGKILL a leader: its partitions move to an ISR member and producing goes on', async () => {
    const input = `${Array.from({ length: 30 }, (_, i) => `before-${i}`).join('\n')}\n`;
    await kcat(['-P', '-b', cluster.bootstrap, '-t', 'spread', '-X', 'acks=all', '-X', 'message.timeout.ms=30000'], 60_000, input);
    const leader0 = (await metadata(cluster.bootstrap, 'spread')).topics[0]!.partitions.find((p) => p.partition === 0)!.leader;
    const victim = cluster.broker(leader0);
    await victim.kill('SIGKILL');
    const others = cluster.brokers.filter((b) => b !== victim).map((b) => `${b.host}:${b.port}`).join(',');
    await expect
      .poll(async () => (await metadata(others, 'spread')).topics[0]!.partitions.find((p) => p.partition === 0)!.leader, { timeout: 30_000, interval: 200 })
      .not.toBe(leader0);
    const after = (await metadata(others, 'spread')).topics[0]!.partitions;
    for (const p of after) {
      expect(p.leader).not.toBe(leader0);
      expect(p.isrs.map((r) => r.id)).not.toContain(leader0);
    }
    const more = `${Array.from({ length: 30 }, (_, i) => `after-${i}`).join('\n')}\n`;
    await kcat(['-P', '-b', others, '-t', 'spread', '-X', 'acks=all', '-X', 'message.timeout.ms=30000'], 60_000, more);
    const read = (await kcat(['-C', '-b', others, '-t', 'spread', '-o', 'beginning', '-e', '-q', '-f', '%s\n'], 60_000)).stdout.toString('utf8').split('\n').filter(Boolean);
    expect(read.sort()).toEqual([...input.split('\n'), ...more.split('\n')].filter(Boolean).sort());
    // It comes back as a follower and rejoins the ISR.
    await victim.restart();
    await expect.poll(async () => (await metadata(cluster.bootstrap, 'spread')).topics[0]!.partitions.every((p) => p.isrs.length === 3), { timeout: 60_000, interval: 500 }).toBe(true);
  });
});
