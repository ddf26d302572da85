// The replication data plane through real brokers on 127.0.0.1: three BrokerServers, each with its
// ReplicaManager, partition states applied directly (test/replicated-brokers.ts stands in for the
// etcd control plane). Followers fetch over TCP with the Fetch API, the ISR moves with
// replica.lag.time.max.ms, acks=all waits for the ISR, a returning replica truncates its divergent
// tail through OffsetForLeaderEpoch, and kcat produces acks=all to a leader with two followers.
import { spawn } from 'node:child_process';
import { tracingChannel } from 'node:diagnostics_channel';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { Compression, buildRecordBatch, decodeRecordBatch, iterateBatches } from '@mq/records';
import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_CHANNEL, type RequestTrace } from '../src/index';
import { RawClient } from './raw-client';
import { ReplicatedCluster } from './replicated-brokers';
import { startTestBroker } from './test-broker';

let cluster: ReplicatedCluster | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await cluster?.stop();
  cluster = undefined;
});

async function client(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

interface BatchOpts {
  compression?: number;
  producerId?: bigint;
  baseSequence?: number;
}

function batch(values: string[], opts: BatchOpts = {}): Promise<Buffer> {
  return buildRecordBatch({
    records: values.map((v) => ({ key: null, value: Buffer.from(v) })),
    ...(opts.compression !== undefined ? { compression: opts.compression } : {}),
    ...(opts.producerId !== undefined ? { producerId: opts.producerId, producerEpoch: 0, baseSequence: opts.baseSequence ?? 0 } : {}),
  });
}

type Body = Record<string, unknown>;

function produceBody(topic: string, partition: number, records: Buffer, acks: number, timeoutMs = 30_000): object {
  return { transactionalId: null, acks, timeoutMs, topicData: [{ name: topic, partitionData: [{ index: partition, records }] }] };
}

function partitionOf(res: Body): Body {
  return ((res.responses as Body[])[0]!.partitionResponses as Body[])[0]!;
}

async function produce(c: RawClient, topic: string, partition: number, records: Buffer, acks = -1, version = 9): Promise<Body> {
  return partitionOf(await c.send(ApiKey.Produce, version, produceBody(topic, partition, records, acks)));
}

/** Every broker holds the leader's log end and high watermark for these partitions. */
async function caughtUp(c: ReplicatedCluster, topic: string, partitions: number, leader: number): Promise<void> {
  await expect
    .poll(
      () => {
        const out: string[] = [];
        for (let i = 0; i < partitions; i++) {
          const l = c.broker(leader).topics.partition(topic, i);
          for (const b of c.brokers.values()) {
            if (!b.running) continue;
            const p = b.topics.partition(topic, i);
            if (p.logEndOffset !== l.logEndOffset || p.highWatermark !== l.logEndOffset) out.push(`${b.nodeId}/${i}: ${p.logEndOffset}/${p.highWatermark} vs ${l.logEndOffset}`);
          }
        }
        return out;
      },
      { timeout: 30_000, interval: 50 },
    )
    .toEqual([]);
}

async function valuesOf(bytes: Buffer): Promise<string[]> {
  const out: string[] = [];
  for (const { batch: b } of iterateBatches(bytes)) {
    for (const r of (await decodeRecordBatch(b)).records) out.push(r.value?.toString() ?? '');
  }
  return out;
}

describe('replication between brokers', () => {
  it('leaves replicas byte-identical below the HW after a mixed load; non-leaders refuse with KIP-951 hints', { timeout: 120_000 }, async () => {
    cluster = await ReplicatedCluster.start({ brokers: 3 });
    await cluster.createTopic('mixed', 2, 1);
    const c = await client(cluster.broker(1).port);
    for (let round = 0; round < 4; round++) {
      for (let p = 0; p < 2; p++) {
        // Pipelined: plain, gzip, lz4 and idempotent batches with acks 1 and all, not awaited one by one.
        const sent = [
          produce(c, 'mixed', p, await batch([`r${round}-plain-a`, `r${round}-plain-b`]), 1),
          produce(c, 'mixed', p, await batch([`r${round}-gzip`], { compression: Compression.gzip }), -1),
          produce(c, 'mixed', p, await batch([`r${round}-lz4-a`, `r${round}-lz4-b`, `r${round}-lz4-c`], { compression: Compression.lz4 }), 1),
          produce(c, 'mixed', p, await batch([`r${round}-idem`], { producerId: 4242n, baseSequence: round }), -1),
        ];
        const answers = await Promise.all(sent);
        for (const r of answers) expect(r.errorCode).toBe(ErrorCode.NONE);
        // Pipelined produces keep request order whatever each one awaits (acks=all or not).
        const offsets = answers.map((r) => r.baseOffset as bigint);
        expect(offsets).toEqual([...offsets].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
      }
    }
    await caughtUp(cluster, 'mixed', 2, 1);
    for (let p = 0; p < 2; p++) {
      const leaderBytes = await cluster.segmentBytes(1, 'mixed', p);
      expect(leaderBytes.length).toBeGreaterThan(0);
      expect((await cluster.segmentBytes(2, 'mixed', p)).equals(leaderBytes)).toBe(true);
      expect((await cluster.segmentBytes(3, 'mixed', p)).equals(leaderBytes)).toBe(true);
      expect(cluster.broker(2).topics.partition('mixed', p).leaderEpochs).toEqual([{ epoch: 1, startOffset: 0n }]);
    }
    // ListOffsets latest is the high watermark; OffsetForLeaderEpoch answers from the checkpoint.
    const hw = cluster.broker(1).topics.partition('mixed', 0).highWatermark;
    const lo = await c.send(ApiKey.ListOffsets, 7, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'mixed', partitions: [{ partitionIndex: 0, currentLeaderEpoch: 1, timestamp: -1n }] }] });
    expect(((lo.topics as Body[])[0]!.partitions as Body[])[0]).toMatchObject({ errorCode: ErrorCode.NONE, offset: hw, leaderEpoch: 1 });
    const ofle = await c.send(ApiKey.OffsetForLeaderEpoch, 4, { replicaId: -1, topics: [{ topic: 'mixed', partitions: [{ partition: 0, currentLeaderEpoch: 1, leaderEpoch: 1 }] }] });
    expect(((ofle.topics as Body[])[0]!.partitions as Body[])[0]).toMatchObject({ errorCode: ErrorCode.NONE, leaderEpoch: 1, endOffset: hw });

    // A follower refuses clients, naming the leader and where it listens.
    const f = await client(cluster.broker(2).port);
    const refused = await f.send(ApiKey.Produce, 10, produceBody('mixed', 0, await batch(['to-follower']), -1));
    expect(partitionOf(refused)).toMatchObject({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, currentLeader: { leaderId: 1, leaderEpoch: 1 } });
    expect(refused.nodeEndpoints).toEqual([{ nodeId: 1, host: '127.0.0.1', port: cluster.broker(1).port, rack: null }]);
    const fetch = await f.send(ApiKey.Fetch, 16, {
      maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topicId: cluster.broker(2).topics.get('mixed')!.topicId, partitions: [{ partition: 0, currentLeaderEpoch: 1, fetchOffset: 0n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [], rackId: '',
    });
    expect(((fetch.responses as Body[])[0]!.partitions as Body[])[0]).toMatchObject({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, currentLeader: { leaderId: 1, leaderEpoch: 1 } });
    expect(fetch.nodeEndpoints).toEqual([{ nodeId: 1, host: '127.0.0.1', port: cluster.broker(1).port, rack: null }]);
    // A stale epoch is fenced, a newer one unknown, on the leader itself.
    const stale = await c.send(ApiKey.ListOffsets, 7, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'mixed', partitions: [{ partitionIndex: 0, currentLeaderEpoch: 0, timestamp: -1n }, { partitionIndex: 1, currentLeaderEpoch: 2, timestamp: -1n }] }] });
    expect(((stale.topics as Body[])[0]!.partitions as Body[]).map((p) => p.errorCode)).toEqual([ErrorCode.FENCED_LEADER_EPOCH, ErrorCode.UNKNOWN_LEADER_EPOCH]);
  });

  it('shrinks the ISR when a follower stops fetching and expands it when the follower returns', { timeout: 120_000 }, async () => {
    cluster = await ReplicatedCluster.start({ brokers: 3, replication: { replicaLagTimeMaxMs: 1_500 } });
    await cluster.createTopic('isr', 1, 1, { 'min.insync.replicas': '2' });
    const c = await client(cluster.broker(1).port);
    expect((await produce(c, 'isr', 0, await batch(['a', 'b']))).errorCode).toBe(ErrorCode.NONE);
    await cluster.stopBroker(3);
    await expect.poll(() => cluster!.state('isr', 0).isr, { timeout: 30_000 }).toEqual([1, 2]);
    // Two in the ISR meet min.insync.replicas=2: acks=all goes on.
    expect((await produce(c, 'isr', 0, await batch(['c']))).errorCode).toBe(ErrorCode.NONE);
    await cluster.startBroker(3);
    await expect.poll(() => [...cluster!.state('isr', 0).isr].sort(), { timeout: 30_000 }).toEqual([1, 2, 3]);
    await caughtUp(cluster, 'isr', 1, 1);
    expect(await valuesOf(await cluster.broker(3).topics.partition('isr', 0).read(0n, 1 << 20))).toEqual(['a', 'b', 'c']);
  });

  it('followers fetch with v15 replica_state: a restarted follower joins the ISR only under its new registration, never its old one; a fetch under the old epoch is refused (KIP-903)', { timeout: 120_000 }, async () => {
    cluster = await ReplicatedCluster.start({ brokers: 3, replication: { replicaLagTimeMaxMs: 1_500 } });
    await cluster.createTopic('epochs', 1, 1, { 'min.insync.replicas': '2' });
    const c = await client(cluster.broker(1).port);
    expect((await produce(c, 'epochs', 0, await batch(['a', 'b']))).errorCode).toBe(ErrorCode.NONE);
    const oldEpoch = cluster.brokerEpochs.get(3)!;
    await cluster.stopBroker(3);
    await expect.poll(() => cluster!.state('epochs', 0).isr, { timeout: 30_000 }).toEqual([1, 2]);
    expect((await produce(c, 'epochs', 0, await batch(['c']))).errorCode).toBe(ErrorCode.NONE);
    const end = cluster.broker(1).topics.partition('epochs', 0).logEndOffset;

    // Broker 3 restarts before its old registration's lease expired: the leader still sees epoch
    // `oldEpoch` for it, the new process has not registered and fetches with replica_epoch -1.
    const seen: { version: number; replicaEpoch: bigint | undefined; fetchOffset: bigint }[] = [];
    const onDispatched = (t: RequestTrace) => {
      const req = t.request as { replicaState?: { replicaId: number; replicaEpoch: bigint }; topics?: { partitions: { fetchOffset: bigint }[] }[] };
      if (t.apiKey !== ApiKey.Fetch || req.replicaState?.replicaId !== 3) return;
      seen.push({ version: t.apiVersion, replicaEpoch: req.replicaState.replicaEpoch, fetchOffset: req.topics?.[0]?.partitions[0]?.fetchOffset ?? -1n });
    };
    const requests = tracingChannel<unknown, RequestTrace>(REQUEST_CHANNEL);
    requests.end.subscribe(onDispatched as (m: unknown) => void);
    try {
      cluster.brokerEpochs.set(3, oldEpoch);
      const sinceRestart = cluster.proposals.length;
      await cluster.startBroker(3, { register: false });
      expect(cluster.brokerEpochs.get(3)).toBe(oldEpoch);
      // Caught up, and the leader has handled several fetches at its log end: none proposed it.
      await expect.poll(() => seen.filter((f) => f.fetchOffset === end).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
      expect(seen.every((f) => f.version === 15 && f.replicaEpoch === -1n)).toBe(true);
      expect(cluster.proposals.slice(sinceRestart).filter((q) => q.isr.includes(3))).toEqual([]);
      expect(cluster.state('epochs', 0).isr).toEqual([1, 2]);

      // It registers: its next fetch names the new epoch and the leader proposes it under that one.
      cluster.register(3);
      const registered = cluster.brokerEpochs.get(3)!;
      expect(registered).toBeGreaterThan(oldEpoch);
      await expect.poll(() => [...cluster!.state('epochs', 0).isr].sort(), { timeout: 30_000 }).toEqual([1, 2, 3]);
      const named = cluster.proposals.slice(sinceRestart).filter((q) => q.isr.includes(3));
      expect(named.length).toBeGreaterThan(0);
      for (const q of named) expect(q.isrWithEpochs?.find((m) => m.brokerId === 3)).toEqual({ brokerId: 3, brokerEpoch: registered });
      expect(seen.at(-1)).toMatchObject({ version: 15, replicaEpoch: BigInt(registered) });
      await caughtUp(cluster, 'epochs', 1, 1);

      const replicaFetch = (version: number, head: Body) =>
        c.send(ApiKey.Fetch, version, {
          ...head,
          maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
          topics: [{ ...(version >= 13 ? { topicId: cluster!.broker(1).topics.get('epochs')!.topicId } : { topic: 'epochs' }), partitions: [{ partition: 0, currentLeaderEpoch: 1, fetchOffset: end, lastFetchedEpoch: 1, logStartOffset: 0n, partitionMaxBytes: 1 << 20 }] }],
          forgottenTopicsData: [], rackId: '',
        }).then((r) => ((r.responses as Body[])[0]!.partitions as Body[])[0]!);
      // A gone incarnation's fetch (its old broker epoch) is refused; the current one's is served.
      expect(await replicaFetch(15, { replicaState: { replicaId: 3, replicaEpoch: BigInt(oldEpoch) } })).toMatchObject({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
      expect(await replicaFetch(15, { replicaState: { replicaId: 3, replicaEpoch: BigInt(registered) } })).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: end });
      // Before v15 there is no epoch to check: served as before.
      expect(await replicaFetch(12, { replicaId: 3 })).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: end });
    } finally {
      requests.end.unsubscribe(onDispatched as (m: unknown) => void);
    }
  });

  it('acks=all with min.insync.replicas=2 and both followers down acknowledges nothing', { timeout: 120_000 }, async () => {
    cluster = await ReplicatedCluster.start({ brokers: 3, replication: { replicaLagTimeMaxMs: 1_000 } });
    await cluster.createTopic('min-isr', 1, 1, { 'min.insync.replicas': '2' });
    const c = await client(cluster.broker(1).port);
    expect((await produce(c, 'min-isr', 0, await batch(['acked']))).errorCode).toBe(ErrorCode.NONE);
    await cluster.stopBroker(2);
    await cluster.stopBroker(3);
    // In flight while the ISR still names the followers: appended, then never acknowledged.
    const inFlight = await produce(c, 'min-isr', 0, await batch(['never-acked']));
    expect(inFlight.errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
    expect(cluster.state('min-isr', 0).isr).toEqual([1]);
    // Now refused before the append: the log does not grow.
    const leo = cluster.broker(1).topics.partition('min-isr', 0).logEndOffset;
    expect((await produce(c, 'min-isr', 0, await batch(['refused']))).errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
    expect(cluster.broker(1).topics.partition('min-isr', 0).logEndOffset).toBe(leo);
    // acks=1 does not need the ISR.
    expect((await produce(c, 'min-isr', 0, await batch(['acks-1']), 1)).errorCode).toBe(ErrorCode.NONE);
  });

  it('a returning leader truncates its divergent tail via OffsetForLeaderEpoch; idempotent state survives the failover', { timeout: 120_000 }, async () => {
    cluster = await ReplicatedCluster.start({ brokers: 3, replication: { replicaLagTimeMaxMs: 60_000 } });
    await cluster.createTopic('div', 1, 1);
    const c1 = await client(cluster.broker(1).port);
    for (let seq = 0; seq < 3; seq++) expect((await produce(c1, 'div', 0, await batch([`committed-${seq}`], { producerId: 77n, baseSequence: seq }))).errorCode).toBe(ErrorCode.NONE);
    await caughtUp(cluster, 'div', 1, 1);
    // The followers go down; the leader takes two more acks=1 writes nobody else has, then dies.
    await cluster.stopBroker(2);
    await cluster.stopBroker(3);
    expect((await produce(c1, 'div', 0, await batch(['divergent-1', 'divergent-2']), 1)).errorCode).toBe(ErrorCode.NONE);
    expect(cluster.broker(1).topics.partition('div', 0).logEndOffset).toBe(5n);
    c1.close();
    await cluster.stopBroker(1);
    // Broker 2 is elected in epoch 2 and takes new writes; the idempotent producer's retry of its
    // last batch is recognised there (state rebuilt from replicated batches), its next one follows.
    await cluster.startBroker(2);
    await cluster.startBroker(3);
    await cluster.elect('div', 0, 2, [2, 3]);
    const c2 = await client(cluster.broker(2).port);
    const retry = await produce(c2, 'div', 0, await batch(['committed-2'], { producerId: 77n, baseSequence: 2 }));
    expect(retry).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 2n });
    expect((await produce(c2, 'div', 0, await batch(['epoch2-a'], { producerId: 77n, baseSequence: 3 }))).errorCode).toBe(ErrorCode.NONE);
    expect((await produce(c2, 'div', 0, await batch(['epoch2-b', 'epoch2-c']))).errorCode).toBe(ErrorCode.NONE);
    // The old leader returns as a follower: cut at offset 3 (where epoch 1 ends on the leader), then fetch.
    await cluster.startBroker(1);
    await caughtUp(cluster, 'div', 1, 2);
    const expected = ['committed-0', 'committed-1', 'committed-2', 'epoch2-a', 'epoch2-b', 'epoch2-c'];
    for (const id of [1, 2, 3]) expect(await valuesOf(await cluster.broker(id).topics.partition('div', 0).read(0n, 1 << 20))).toEqual(expected);
    const leaderBytes = await cluster.segmentBytes(2, 'div', 0);
    expect((await cluster.segmentBytes(1, 'div', 0)).equals(leaderBytes)).toBe(true);
    expect((await cluster.segmentBytes(3, 'div', 0)).equals(leaderBytes)).toBe(true);
    expect(cluster.broker(1).topics.partition('div', 0).leaderEpochs).toEqual([
      { epoch: 1, startOffset: 0n },
      { epoch: 2, startOffset: 3n },
    ]);
  });

  it('kcat produces acks=all to a leader with two followers; every message is on every replica', { timeout: 120_000 }, async () => {
    cluster = await ReplicatedCluster.start({ brokers: 3 });
    await cluster.createTopic('kc', 1, 1);
    const lines = Array.from({ length: 500 }, (_, i) => `kcat-${i}`);
    await new Promise<void>((resolve, reject) => {
      const p = spawn('kcat', ['-P', '-b', `127.0.0.1:${cluster!.broker(1).port}`, '-t', 'kc', '-p', '0', '-X', 'acks=all', '-X', 'linger.ms=5'], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${stderr}`))));
      p.stdin.end(`${lines.join('\n')}\n`);
    });
    await caughtUp(cluster, 'kc', 1, 1);
    const leaderBytes = await cluster.segmentBytes(1, 'kc', 0);
    for (const id of [2, 3]) {
      expect((await cluster.segmentBytes(id, 'kc', 0)).equals(leaderBytes)).toBe(true);
      expect(await valuesOf(await cluster.broker(id).topics.partition('kc', 0).read(0n, 1 << 24))).toEqual(lines);
    }
  });
});

describe('log start between replicas', () => {
  it('DeleteRecords runs on the leader only and the followers follow its log start', { timeout: 120_000 }, async () => {
    cluster = await ReplicatedCluster.start({ brokers: 2 });
    await cluster.createTopic('trim', 1, 1);
    const c = await client(cluster.broker(1).port);
    for (let i = 0; i < 3; i++) expect((await produce(c, 'trim', 0, await batch([`t${i}`]))).errorCode).toBe(ErrorCode.NONE);
    await caughtUp(cluster, 'trim', 1, 1);
    const body = { topics: [{ name: 'trim', partitions: [{ partitionIndex: 0, offset: 2n }] }], timeoutMs: 1_000 };
    const f = await client(cluster.broker(2).port);
    const refused = await f.send(ApiKey.DeleteRecords, 2, body);
    expect(((refused.topics as Body[])[0]!.partitions as Body[])[0]).toMatchObject({ errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
    expect(cluster.broker(2).topics.partition('trim', 0).logStartOffset).toBe(0n);
    const done = await c.send(ApiKey.DeleteRecords, 2, body);
    expect(((done.topics as Body[])[0]!.partitions as Body[])[0]).toMatchObject({ errorCode: ErrorCode.NONE, lowWatermark: 2n });
    // The next fetch answers carry the leader's log start (a produce wakes the parked fetch).
    expect((await produce(c, 'trim', 0, await batch(['t3']))).errorCode).toBe(ErrorCode.NONE);
    await expect.poll(() => cluster!.broker(2).topics.partition('trim', 0).logStartOffset, { timeout: 30_000 }).toBe(2n);
  });
});

describe('OffsetForLeaderEpoch on a single node', () => {
  it('answers epoch 0 up to the log end, fences other epochs, names unknown partitions', async () => {
    const b = await startTestBroker();
    try {
      await b.topics.createTopic('solo', 1);
      const c = await client(b.port);
      expect((await produce(c, 'solo', 0, await batch(['x', 'y', 'z']))).errorCode).toBe(ErrorCode.NONE);
      const res = await c.send(ApiKey.OffsetForLeaderEpoch, 3, {
        replicaId: -1,
        topics: [
          { topic: 'solo', partitions: [{ partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0 }, { partition: 0, currentLeaderEpoch: 1, leaderEpoch: 0 }] },
          { topic: 'nope', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] },
        ],
      });
      const [solo, nope] = res.topics as Body[];
      expect(solo!.partitions).toEqual([
        { errorCode: ErrorCode.NONE, partition: 0, leaderEpoch: 0, endOffset: 3n },
        { errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH, partition: 0, leaderEpoch: -1, endOffset: -1n },
      ]);
      expect((nope!.partitions as Body[])[0]).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
    } finally {
      for (const c of clients.splice(0)) c.close();
      await b.stop();
    }
  });
});
