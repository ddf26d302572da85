// The replication throttle (KIP-73) of a partition reassignment on a real 3-broker cluster (etcd +
// broker processes). Injected: (a) a 20 MiB partition on broker 1 moved to [1,2] by
// `mq cluster reassign --throttle 2 MiB/s --wait` while a kafkajs producer (acks=all) and consumer
// use another topic replicated on all three; (b) an 8 MiB partition moved to [1,3] at 64 KiB/s, then
// its rate raised mid-move by `mq cluster reassign --additional --throttle`; (c) bad values.
// Checked: the copy's bytes over time (sampled from the new replica's segment files) — the move
// takes at least size/rate/2 and completes; DescribeConfigs on the BROKER resource shows the rates
// while set (DYNAMIC_BROKER_CONFIG) and the default after; the other topic's traffic keeps flowing;
// during the slow move /metrics shows the replication traffic, the throttles (bytes, held time, rate,
// limit), the new follower's lag and the under-replicated partition on the brokers involved; the
// raised rate applies live, the move finishes (an ISR expansion counted) and `--verify` clears the topic configs;
// negative / malformed rates and malformed replica lists get INVALID_CONFIG.
import { randomBytes } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningCluster, startCluster } from '@mq/broker';
import { KafkaError, MqClient } from '@mq/client';
import { ErrorCode } from '@mq/protocol';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicMetadata, until } from '../src/cluster-probe';
import { mq } from '../src/mq-cli';
import { metricValue, parsePrometheus, type Sample } from '../src/prometheus-text';

const MiB = 1_048_576;
const LEADER_RATE = 'leader.replication.throttled.rate';
const FOLLOWER_RATE = 'follower.replication.throttled.rate';
const LEADER_REPLICAS = 'leader.replication.throttled.replicas';
const FOLLOWER_REPLICAS = 'follower.replication.throttled.replicas';
const LONG_MAX = '9223372036854775807';

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ brokers: 3, config: { 'http.port': '0' } });
  // Every broker registered is not yet a controller elected: kafkajs' admin asks the controller (-1 would fail the first CreateTopics).
  await until('a controller elected', 60_000, async () => (await withMqAdmin((a) => a.describeCluster())).controllerId >= 0);
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

function kafka(): Kafka {
  return new Kafka({ brokers: cluster.bootstrap.split(','), clientId: 'throttle-test', logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 } });
}

async function withMqAdmin<T>(fn: (admin: ReturnType<MqClient['admin']>) => Promise<T>): Promise<T> {
  const client = new MqClient({ bootstrapServers: cluster.bootstrap, clientId: 'throttle-test-admin' });
  try {
    return await fn(client.admin());
  } finally {
    await client.close();
  }
}

/** Bytes of segment files the broker holds for the partition (0 before its directory exists). */
async function replicaBytes(nodeId: number, topic: string, partition: number): Promise<number> {
  const dir = join(cluster.broker(nodeId).dataDir, `${topic}-${partition}`);
  const names = await readdir(dir).catch(() => [] as string[]);
  let total = 0;
  for (const n of names) if (n.endsWith('.log')) total += (await stat(join(dir, n)).catch(() => ({ size: 0 }))).size;
  return total;
}

/** Fills partition 0 of a new single-replica topic on broker 1 with about `bytes` of incompressible values. */
async function fill(topic: string, bytes: number): Promise<number> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [1] }] }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka().producer();
  await producer.connect();
  try {
    const value = 100 * 1024;
    // Eight values a send: one batch under max.message.bytes.
    for (let sent = 0; sent < bytes; sent += 8 * value) {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 8 }, () => ({ value: randomBytes(value) })) });
    }
  } finally {
    await producer.disconnect();
  }
  return replicaBytes(1, topic, 0);
}

/** The named configs of a BROKER resource as @mq/client describes them (asked of that broker). */
async function brokerRates(nodeId: number): Promise<Map<string, { value: string | null; source: string }>> {
  return withMqAdmin(async (a) => new Map((await a.describeConfigs('broker', String(nodeId), [LEADER_RATE, FOLLOWER_RATE])).map((e) => [e.name, { value: e.value, source: e.source }])));
}

async function topicThrottles(topic: string): Promise<Map<string, { value: string | null; isDefault: boolean }>> {
  return withMqAdmin(async (a) => new Map((await a.describeConfigs('topic', topic, [LEADER_REPLICAS, FOLLOWER_REPLICAS])).map((e) => [e.name, { value: e.value, isDefault: e.isDefault }])));
}

/** A broker's /metrics. */
async function scrape(nodeId: number): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${cluster.broker(nodeId).httpPort}/metrics`);
  expect(res.status).toBe(200);
  return parsePrometheus(await res.text());
}

async function errorCodeOf(call: Promise<unknown>): Promise<number | undefined> {
  return call.then(
    () => undefined,
    (err: unknown) => (err instanceof KafkaError ? err.errorCode : -1),
  );
}

describe('reassignment with a replication throttle on 3 brokers', () => {
  it('(a) a 2 MiB/s throttle stretches a 20 MiB move; other traffic keeps flowing; --wait removes the throttle', async () => {
    const size = await fill('throttled-big', 20 * MiB);
    expect(size).toBeGreaterThan(19 * MiB);
    const live = 'throttle-live';
    const k = kafka();
    const admin = k.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: live, numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();

    const rate = 2 * MiB;
    const started = Date.now();
    const move = mq(['-b', cluster.bootstrap, 'cluster', 'reassign', '--topic', 'throttled-big', '-p', '0', '--replicas', '1,2', '--throttle', String(rate), '--wait', '--wait-timeout', '240000']);
    // What the new replica holds over time: the copy's progress.
    const samples: { t: number; bytes: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push({ t: Date.now() - started, bytes: await replicaBytes(2, 'throttled-big', 0) });
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    // While it copies: the rates are dynamic broker configs, the replicas named on the topic.
    await until('the copy to broker 2 has begun', 60_000, async () => (await replicaBytes(2, 'throttled-big', 0)) > 0);
    const rates = await brokerRates(1);
    expect(rates.get(LEADER_RATE)).toEqual({ value: String(rate), source: 'DYNAMIC_BROKER_CONFIG' });
    expect(rates.get(FOLLOWER_RATE)).toEqual({ value: String(rate), source: 'DYNAMIC_BROKER_CONFIG' });
    expect((await brokerRates(2)).get(FOLLOWER_RATE)?.value).toBe(String(rate));
    const throttles = await topicThrottles('throttled-big');
    expect(throttles.get(LEADER_REPLICAS)?.value).toBe('0:1');
    expect(throttles.get(FOLLOWER_REPLICAS)?.value).toBe('0:2');

    // Another topic, its ISR in sync on the same brokers: produce (acks=all) and consume go on.
    const producer = k.producer();
    await producer.connect();
    const consumer = k.consumer({ groupId: 'throttle-live-group', maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic: live, fromBeginning: true });
    const seen = new Set<string>();
    await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value!.toString()) });
    const sentWhileMoving: string[] = [];
    for (let i = 0; i < 30; i++) {
      const v = `live-${i}`;
      await producer.send({ topic: live, acks: -1, messages: [{ value: v }] });
      sentWhileMoving.push(v);
    }
    await until('the live topic’s records consumed during the move', 60_000, () => sentWhileMoving.every((v) => seen.has(v)));
    const liveDoneAt = Date.now() - started;
    await consumer.disconnect();
    await producer.disconnect();

    const res = await move;
    sampling = false;
    await sampler;
    const elapsedMs = Date.now() - started;
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('completed');
    expect(res.stderr).toContain('throttle removed');
    const bytesNow = await replicaBytes(2, 'throttled-big', 0);
    const reached = (share: number) => samples.find((s) => s.bytes >= share * size)?.t;
    // Not a timing assertion on speed: the throttle must have stretched the copy to at least half of size/rate.
    console.log(
      `throttled move: ${size} B at ${rate} B/s took ${elapsedMs} ms (25 %: ${reached(0.25)} ms, 50 %: ${reached(0.5)} ms, 75 %: ${reached(0.75)} ms); live topic done at ${liveDoneAt} ms; samples ${samples.length}`,
    );
    expect(elapsedMs).toBeGreaterThanOrEqual((size / rate / 2) * 1000);
    expect(bytesNow).toBe(size);
    // The move happened gradually, not in one burst: a quarter and three quarters were seen apart.
    const q1 = reached(0.25);
    const q3 = reached(0.75);
    expect(q1).toBeDefined();
    if (q3 !== undefined) expect(q3 - q1!).toBeGreaterThanOrEqual(((0.5 * size) / rate / 2) * 1000);

    const [p] = (await topicMetadata(cluster.bootstrap, 'throttled-big')).partitions;
    expect(p!.replicas).toEqual([1, 2]);
    expect([...p!.isr].sort()).toEqual([1, 2]);
    // --wait took the throttle away again: defaults on every broker, nothing named on the topic.
    for (const id of [1, 2, 3]) {
      const after = await brokerRates(id);
      expect(after.get(LEADER_RATE)).toEqual({ value: LONG_MAX, source: 'DEFAULT_CONFIG' });
      expect(after.get(FOLLOWER_RATE)).toEqual({ value: LONG_MAX, source: 'DEFAULT_CONFIG' });
    }
    const cleared = await topicThrottles('throttled-big');
    expect(cleared.get(LEADER_REPLICAS)).toEqual({ value: '', isDefault: true });
    expect(cleared.get(FOLLOWER_REPLICAS)).toEqual({ value: '', isDefault: true });
  }, 300_000);

  it('(b) a slow throttled move shows in /metrics; --additional --throttle raises its rate live and it finishes; --verify then clears the throttle', async () => {
    const size = await fill('throttled-slow', 8 * MiB);
    const rate = 64 * 1024;
    const res = await mq(['-b', cluster.bootstrap, 'cluster', 'reassign', '--topic', 'throttled-slow', '-p', '0', '--replicas', '1,3', '--throttle', String(rate)]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('--verify');
    await until('the copy to broker 3 has begun', 60_000, async () => (await replicaBytes(3, 'throttled-slow', 0)) > 0);
    // At 64 KiB/s the copy needs about two minutes; a couple of seconds later it is far from done.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await replicaBytes(3, 'throttled-slow', 0)).toBeLessThan(size / 2);
    const stillMoving = await mq(['-b', cluster.bootstrap, 'cluster', 'reassign', '--topic', 'throttled-slow', '-p', '0', '--verify']);
    expect(stillMoving.code).toBe(0);
    expect(stillMoving.stdout).toContain('in progress');
    expect(stillMoving.stderr).toContain('throttle kept');
    expect((await brokerRates(3)).get(FOLLOWER_RATE)?.value).toBe(String(rate));

    // The metrics of the move: broker 1 leads and sends, broker 3 fetches; both quotas are at 64 KiB/s.
    const leader = await scrape(1);
    const follower = await scrape(3);
    const slow = { topic: 'throttled-slow', partition: '0', replica: '3' };
    expect(metricValue(leader, 'mq_replica_lag_records', slow)).toBeGreaterThan(0);
    expect(metricValue(leader, 'mq_replica_lag_seconds', slow)).toBeGreaterThan(0);
    expect(metricValue(leader, 'mq_under_replicated_partitions')).toBeGreaterThanOrEqual(1);
    expect(metricValue(leader, 'mq_replication_bytes_out_total')).toBeGreaterThan(0);
    expect(metricValue(follower, 'mq_replication_bytes_in_total')).toBeGreaterThan(0);
    expect(metricValue(leader, 'mq_replication_throttled_bytes_total', { side: 'leader' })).toBeGreaterThan(0);
    expect(metricValue(follower, 'mq_replication_throttled_bytes_total', { side: 'follower' })).toBeGreaterThan(0);
    expect(metricValue(leader, 'mq_replication_throttle_limit_bytes', { side: 'leader' })).toBe(rate);
    expect(metricValue(follower, 'mq_replication_throttle_limit_bytes', { side: 'follower' })).toBe(rate);
    // Whichever quota is exceeded first holds the copy back (the leader's answer or the follower's round).
    const held = metricValue(leader, 'mq_replication_throttle_time_seconds_total', { side: 'leader' }) + metricValue(follower, 'mq_replication_throttle_time_seconds_total', { side: 'follower' });
    expect(held).toBeGreaterThan(0);
    // Broker 2 takes no part: nothing throttled there.
    expect(metricValue(await scrape(2), 'mq_replication_throttle_limit_bytes')).toBe(0);
    const expandsBefore = metricValue(leader, 'mq_isr_expands_total');

    // kafka-reassign-partitions --additional --throttle: the running move gets the new rate, live.
    const fast = 1024 * MiB;
    const retuned = await mq(['-b', cluster.bootstrap, 'cluster', 'reassign', '--topic', 'throttled-slow', '-p', '0', '--additional', '--throttle', String(fast)]);
    expect(retuned.code, retuned.stderr).toBe(0);
    expect(retuned.stdout).toContain('throttled-slow');
    expect(retuned.stderr).toContain(`throttle of ${fast} bytes/s set for 1 running move(s)`);
    for (const id of [1, 3]) expect((await brokerRates(id)).get(LEADER_RATE)).toEqual({ value: String(fast), source: 'DYNAMIC_BROKER_CONFIG' });
    await until('the re-throttled move has completed', 120_000, async () => {
      const [p] = (await topicMetadata(cluster.bootstrap, 'throttled-slow')).partitions;
      return p !== undefined && p.replicas.length === 2 && p.isr.length === 2;
    });
    expect(await replicaBytes(3, 'throttled-slow', 0)).toBe(size);
    // Broker 3 joined the ISR: one expansion more on its leader, and nothing under-replicated left.
    expect(metricValue(await scrape(1), 'mq_isr_expands_total')).toBeGreaterThan(expandsBefore);
    await until('no partition under-replicated on broker 1', 30_000, async () => metricValue(await scrape(1), 'mq_under_replicated_partitions') === 0);
    expect(metricValue(await scrape(1), 'mq_replica_lag_records', slow)).toBe(0);
    const verified = await mq(['-b', cluster.bootstrap, 'cluster', 'reassign', '--topic', 'throttled-slow', '-p', '0', '--verify']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('complete');
    expect(verified.stderr).toContain('throttle removed');
    expect((await topicThrottles('throttled-slow')).get(FOLLOWER_REPLICAS)).toEqual({ value: '', isDefault: true });
    expect(metricValue(await scrape(1), 'mq_replication_throttle_limit_bytes')).toBe(0);
  }, 300_000);

  it('(c) negative or malformed rates and malformed replica lists get INVALID_CONFIG', async () => {
    await withMqAdmin(async (a) => {
      expect(await errorCodeOf(a.alterConfigs('broker', '1', { set: { [LEADER_RATE]: '-1' } }))).toBe(ErrorCode.INVALID_CONFIG);
      expect(await errorCodeOf(a.alterConfigs('broker', '', { set: { [FOLLOWER_RATE]: 'fast' } }))).toBe(ErrorCode.INVALID_CONFIG);
      expect(await errorCodeOf(a.alterConfigs('broker', '2', { set: { 'num.partitions': '4' } }))).toBe(ErrorCode.INVALID_CONFIG);
      expect(await errorCodeOf(a.alterConfigs('broker', 'one', { set: { [LEADER_RATE]: '1' } }))).toBe(ErrorCode.INVALID_REQUEST);
      expect(await errorCodeOf(a.alterConfigs('topic', 'throttled-big', { set: { [LEADER_REPLICAS]: '0:x' } }))).toBe(ErrorCode.INVALID_CONFIG);
      expect(await errorCodeOf(a.alterConfigs('topic', 'throttled-big', { set: { [FOLLOWER_REPLICAS]: '0-2' } }))).toBe(ErrorCode.INVALID_CONFIG);
    });
    // kafkajs' AlterConfigs (the whole-set API) on a BROKER resource: the same refusal.
    const admin = kafka().admin();
    await admin.connect();
    try {
      const err = await admin
        .alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configEntries: [{ name: LEADER_RATE, value: '-5' }] }] })
        .then(
          () => undefined,
          (e: { type?: string }) => e.type,
        );
      expect(err).toBe('INVALID_CONFIG');
    } finally {
      await admin.disconnect();
    }
    // Nothing bad was stored: every broker still at the default.
    for (const id of [1, 2, 3]) expect((await brokerRates(id)).get(LEADER_RATE)?.source).toBe('DEFAULT_CONFIG');
    // The CLI refuses a throttle without a move.
    const refused = await mq(['-b', cluster.bootstrap, 'cluster', 'reassign', '--topic', 'throttled-big', '-p', '0', '--cancel', '--throttle', '100']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--throttle');
  }, 120_000);
});
