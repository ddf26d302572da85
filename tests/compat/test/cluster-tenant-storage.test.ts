// A tenant's storage limit is the cluster's, not each broker's: 3 brokers + etcd, tenant acme
// (mq.tenants.file) with a 60 kB limit, its topic's 3 partitions (rf 1) led by brokers 1, 2 and 3,
// raw Produce v9 frames to each leader. Checked: writes spread over the three leaders stop at the
// limit (plus at most a batch per broker in flight), not at 3× it, each refusal POLICY_VIOLATION with
// a message naming the cluster-wide figure; DeleteRecords frees the space and every leader takes
// writes again. Injected: SIGKILL of the broker holding the tenant's data — once its lease (1 s)
// expires its figures are gone and the others take writes again. Conditions are read from
// /metrics (mq_tenant_cluster_storage_bytes), never slept for. Last, a tenant stored through broker
// 1's HTTP API (PUT /v1/tenants, etcd) is applied by broker 2, whose leader then enforces its limit.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RunningCluster, startCluster } from '@mq/broker';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { buildRecordBatch } from '@mq/records';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../src/cluster-probe';
import { metricValue, parsePrometheus } from '../src/prometheus-text';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { WireClient } from './groups-wire-client';

const LIMIT = 60_000;
const BATCH = 5_000;
const TOPIC = 'acme.events';

let cluster: RunningCluster;
let dir: string;
const wires = new Map<number, WireClient>();

beforeAll(async () => {
  dir = await makeTempDir('cluster-tenants');
  const file = join(dir, 'tenants.json');
  await writeFile(file, JSON.stringify({ tenants: [{ name: 'acme', principalPrefix: 'User:acme-', resourcePrefix: 'acme.', storageLimitBytes: LIMIT }] }));
  cluster = await startCluster({ brokers: 3, config: { 'mq.tenants.file': file, 'mq.tenants.usage.publish.interval.ms': '100', 'http.port': '0' } });
  const admin = kafka().admin();
  await admin.connect();
  // One partition per broker; segments of one batch each, so DeleteRecords frees nearly all of it.
  await admin.createTopics({
    topics: [{ topic: TOPIC, replicaAssignment: [1, 2, 3].map((id, partition) => ({ partition, replicas: [id] })), configEntries: [{ name: 'segment.bytes', value: String(BATCH + 200) }] }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  for (const b of cluster.brokers) wires.set(b.nodeId, await WireClient.open(b.port));
}, 120_000);

afterAll(async () => {
  for (const w of wires.values()) w.close();
  await cluster?.stop();
  if (dir !== undefined) await removeDir(dir);
});

function kafka(): Kafka {
  return new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
}

/** One BATCH-byte record to the partition broker `nodeId` leads (partition nodeId - 1), on that broker. */
async function produce(nodeId: number, topic = TOPIC, partition = nodeId - 1): Promise<{ errorCode: number; errorMessage: string | null }> {
  const records = await buildRecordBatch({ records: [{ key: null, value: randomBytes(BATCH) }] });
  const res = await wires.get(nodeId)!.call(ApiKey.Produce, 9, { transactionalId: null, acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }] });
  return res.responses[0].partitionResponses[0] as { errorCode: number; errorMessage: string | null };
}

/** Produces to `nodeId`'s partition until refused; returns the batches taken and the refusal. */
async function fill(nodeId: number, max: number): Promise<{ taken: number; refusal: { errorCode: number; errorMessage: string | null } | undefined }> {
  for (let taken = 0; taken < max; taken++) {
    const r = await produce(nodeId);
    if (r.errorCode !== ErrorCode.NONE) return { taken, refusal: r };
  }
  return { taken: max, refusal: undefined };
}

/** What broker `nodeId` counts for acme cluster-wide (mq_tenant_cluster_storage_bytes). */
async function clusterBytes(nodeId: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${cluster.broker(nodeId).httpPort}/metrics`)).text();
  return metricValue(parsePrometheus(text), 'mq_tenant_cluster_storage_bytes', { tenant: 'acme' });
}

describe('cluster-wide tenant storage limit', () => {
  it('writes spread over three leaders stop at the cluster-wide limit, not 3× it', async () => {
    // Broker 1 takes half the limit; broker 2 learns it from broker 1's report.
    for (let i = 0; i < 6; i++) expect((await produce(1)).errorCode).toBe(ErrorCode.NONE);
    await until('broker 2 counts broker 1’s bytes', 20_000, async () => (await clusterBytes(2)) >= 6 * BATCH);
    const second = await fill(2, 20);
    expect(second.refusal?.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    expect(second.refusal?.errorMessage).toMatch(/^tenant acme is at its storage limit: its topics hold \d+ of 60000 bytes in the cluster \(\d+ of them on other brokers' leaders\)$/);
    // Broker 2 took about what was left (the batch that crossed the limit included), no more.
    expect(second.taken).toBeLessThanOrEqual(7);
    await until('broker 3 counts brokers 1 and 2', 20_000, async () => (await clusterBytes(3)) >= LIMIT);
    const third = await fill(3, 20);
    expect(third.taken).toBe(0);
    expect(third.refusal?.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    expect((await produce(1)).errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    // Per-broker limits would have taken 3 × 60 kB; the cluster took one limit and a batch.
    expect((6 + second.taken + third.taken) * BATCH).toBeLessThanOrEqual(LIMIT + 2 * BATCH);
  });

  it('after DeleteRecords every leader takes writes again', async () => {
    const admin = kafka().admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(TOPIC);
    await admin.deleteTopicRecords({ topic: TOPIC, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })) });
    await admin.disconnect();
    for (const id of [1, 2, 3]) await until(`broker ${id} counts the freed space`, 20_000, async () => (await clusterBytes(id)) < LIMIT / 2);
    for (const id of [1, 2, 3]) expect((await produce(id)).errorCode).toBe(ErrorCode.NONE);
  });

  it('a SIGKILLed broker’s bytes stop counting once its lease expires', async () => {
    // Broker 3 holds (nearly) all of the limit: brokers 1 and 2 refuse.
    const filled = await fill(3, 20);
    expect(filled.refusal?.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    await until('broker 1 counts broker 3’s bytes', 20_000, async () => (await clusterBytes(1)) >= LIMIT);
    expect((await produce(1)).errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    wires.get(3)!.close();
    wires.delete(3);
    await cluster.broker(3).kill('SIGKILL');
    await until('broker 1 no longer counts the dead broker', 20_000, async () => (await clusterBytes(1)) < LIMIT / 2);
    expect((await produce(1)).errorCode).toBe(ErrorCode.NONE);
    expect((await produce(2)).errorCode).toBe(ErrorCode.NONE);
  });

  it('a tenant stored through one broker (etcd) is applied by another, whose leader enforces its limit', async () => {
    // Raw CreateTopics: kafkajs's admin refreshes all metadata first, and acme.events-2 has no leader now.
    const created = await wires.get(1)!.call(ApiKey.CreateTopics, 5, { topics: [{ name: 'globex.events', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [2] }], configs: [] }], timeoutMs: 10_000, validateOnly: false });
    expect(created.topics[0].errorCode).toBe(ErrorCode.NONE);
    await until('broker 2 leads globex.events-0', 20_000, async () => (await produce(2, 'globex.events', 0)).errorCode === ErrorCode.NONE);
    const put = await fetch(`http://127.0.0.1:${cluster.broker(1).httpPort}/v1/tenants/globex`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ principalPrefix: 'User:globex-', resourcePrefix: 'globex.', storageLimitBytes: 4 * BATCH }),
    });
    expect(put.status).toBe(200);
    await until('broker 2 applies the stored tenant', 20_000, async () => {
      const res = await fetch(`http://127.0.0.1:${cluster.broker(2).httpPort}/v1/tenants/globex`);
      return res.status === 200 && ((await res.json()) as { source: string }).source === 'metadata';
    });
    let taken = 1;
    let refusal: { errorCode: number; errorMessage: string | null } | undefined;
    for (; taken < 20 && refusal === undefined; taken++) {
      const r = await produce(2, 'globex.events', 0);
      if (r.errorCode !== ErrorCode.NONE) refusal = r;
    }
    expect(refusal?.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    expect(refusal?.errorMessage).toMatch(/^tenant globex is at its storage limit: .* of 20000 bytes in the cluster/);
    expect(taken).toBeLessThanOrEqual(6);
  });
});
