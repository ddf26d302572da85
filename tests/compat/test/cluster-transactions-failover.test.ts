// Exactly-once consume-transform-produce on a real 3-broker cluster (etcd, brokers as child
// processes): a kafkajs group consumer reads `txn-cluster-in`, a kafkajs transactional producer
// writes one output per input to `txn-cluster-out` and commits the input offsets with sendOffsets,
// one transaction per chunk. Injected: SIGKILL of the transaction coordinator's broker (the leader
// of the transactional id's __transaction_state partition) a quarter of the way in, restarted once
// another replica leads it; then SIGKILL of the leader of an output partition half way in, likewise. A
// pipeline instance (a process: src/txn-pipeline-instance.ts) that sees any error is torn down and
// a fresh one (same transactional.id: it fences the old one, whose open transaction is aborted)
// resumes from the committed offsets.
// Checked with a read_committed kafkajs consumer: every output exactly once, nothing else (an
// aborted record would show as a duplicate), every transaction's records all or none, and the
// history checker: each record of a committed transaction is read back at the offset its produce
// was acknowledged with.
// Each transaction sends one output partition at a time, with explicit partitions: kafkajs 2.2.4
// retries a send that spans several leaders by keeping the answers per Broker object across the
// retry and re-partitioning keyless messages round-robin on each attempt, so a leader moving in the
// middle of such a send makes it silently drop one partition's messages (the new leader already
// answered) or send them twice (its Broker object was replaced) — in the same committed
// transaction (kafkajs issue #1303). The brokers' logs showed it: per-partition producer sequences
// contiguous and replicas identical, the dropped batch's sequence reused by the next transaction.
// Then librdkafka (kcat, transactional produce) against the same cluster, read back read_committed.
import { type RunningCluster, startCluster } from '@mq/broker';
// The transaction coordinator's partition uses the group coordinator's hash (abs(hashCode(id)) % partitions).
import { partitionFor as txnPartitionFor } from '@mq/groups';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kafka } from 'kafkajs';
import { killQuietly } from '../src/child-process';
import { leaderMovedFrom, leaderOf, liveKafka } from '../src/cluster-failover';
import { type Acked, type Consumed, checkHistory } from '../src/history-checker';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { kcat, kcatConsumeAll } from '../src/kcat';
import type { PipelineConfig, PipelineEvent } from '../src/txn-pipeline-instance';

const IN = 'txn-cluster-in';
const OUT = 'txn-cluster-out';
const GROUP = 'txn-cluster-pipeline';
const TXN_ID = 'txn-cluster-pipeline-1';
const TXN_PARTITIONS = 5;
const OUT_PARTITIONS = 3;
const TRANSACTION_STATE_TOPIC = '__transaction_state';
// 100k inputs (1 000 transactions) in the long run (pnpm chaos, MQ_CHAOS=1); 10k (100) in the suite,
// still two failovers with transactions in flight on either side of each.
const CHAOS = process.env.MQ_CHAOS === '1';
const INPUTS = CHAOS ? 100_000 : 10_000;
const CHUNK = 100;
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: { 'offsets.topic.num.partitions': '5', 'transaction.state.log.num.partitions': String(TXN_PARTITIONS), 'replica.lag.time.max.ms': '3000' },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

const liveClient = (): Kafka => liveKafka(cluster);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Progress shared by the pipeline instances: the committed input offsets (next to read) per partition. */
const committed = new Map<number, number>();
const ends = new Map<number, number>();
let transactions = 0;
let instances = 0;
const errors: string[] = [];
/** Every output of a committed transaction, where its produce was acknowledged. */
const acked: Acked[] = [];

function committedInputs(): number {
  return [...committed.values()].reduce((a, b) => a + b, 0);
}

/** A pipeline instance has this long to exit after its end; then it is SIGKILLed (by PID). */
const INSTANCE_EXIT_GRACE_MS = 15_000;
const PIPELINE_INSTANCE = fileURLToPath(new URL('../src/txn-pipeline-instance.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/** One pipeline instance (a process): runs until it sees an error (then resolves false) or everything is committed (true). */
async function runInstance(): Promise<boolean> {
  const instance = ++instances;
  const config: PipelineConfig = {
    brokers: cluster.brokers.filter((b) => b.running).map((b) => `${b.host}:${b.port}`),
    group: GROUP,
    transactionalId: TXN_ID,
    input: IN,
    output: OUT,
    outputPartitions: OUT_PARTITIONS,
    chunk: CHUNK,
    instance,
    transactionsBefore: transactions,
    committed: Object.fromEntries(committed),
    ends: Object.fromEntries(ends),
  };
  const child = spawn(process.execPath, ['--import', TSX, PIPELINE_INSTANCE, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2_000)));
  let ok: boolean | undefined;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let grace: NodeJS.Timeout | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const e = JSON.parse(line) as PipelineEvent;
    if (e.type === 'committed') {
      committed.set(e.partition, e.next);
      transactions = Math.max(transactions, e.transactions);
      for (const a of e.acked) acked.push({ partition: a.partition, offset: BigInt(a.offset), value: a.value });
    } else if (e.type === 'error') {
      transactions = Math.max(transactions, e.transactions);
      errors.push(`instance ${instance}, ${e.message}`);
    } else {
      ok = e.ok;
      grace = setTimeout(() => killQuietly(child, 'SIGKILL'), INSTANCE_EXIT_GRACE_MS);
    }
  });
  await exited;
  if (grace !== undefined) clearTimeout(grace);
  if (ok === undefined) errors.push(`instance ${instance} exited (${child.exitCode ?? child.signalCode}) before its end: ${stderr}`);
  return ok === true;
}

describe('transactions in a cluster while the coordinator and a partition leader are SIGKILLed', () => {
  it('kafkajs consume-transform-produce with sendOffsets: every output exactly once, every transaction all or none', async () => {
    onTestFailed(() => {
      console.log(errors.slice(0, 5).join('\n'));
      for (const b of cluster.brokers) console.log(`broker ${b.nodeId} (running: ${b.running}) warnings and errors:\n${b.logs().filter((l) => /"level":[56]0/.test(l)).slice(-20).join('\n')}`);
    });
    const admin = liveClient().admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: IN, numPartitions: 3, replicationFactor: 3 },
        { topic: OUT, numPartitions: OUT_PARTITIONS, replicationFactor: 3 },
      ],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const seed = liveClient().producer({ idempotent: true });
    await seed.connect();
    for (let i = 0; i < INPUTS; i += 1_000) {
      await seed.send({ topic: IN, acks: -1, messages: Array.from({ length: 1_000 }, (_, j) => ({ partition: (i + j) % 3, value: String(i + j) })) });
    }
    await seed.disconnect();
    for (let p = 0; p < 3; p++) ends.set(p, Math.ceil((INPUTS - p) / 3));

    const started = Date.now();
    const faults = (async () => {
      await expectProgress(INPUTS / 4);
      const coordinator = await leaderOf(cluster, TRANSACTION_STATE_TOPIC, txnPartitionFor(TXN_ID, TXN_PARTITIONS));
      await cluster.broker(coordinator).kill('SIGKILL');
      const killedCoordinatorAt = committedInputs();
      // Restarted only once another replica leads: the coordinator really moved.
      const movedTo = await leaderMovedFrom(cluster, TRANSACTION_STATE_TOPIC, txnPartitionFor(TXN_ID, TXN_PARTITIONS), coordinator);
      await cluster.broker(coordinator).restart();
      await expectProgress(Math.max(INPUTS / 2, killedCoordinatorAt + CHUNK));
      const leader = await leaderOf(cluster, OUT, 0);
      await cluster.broker(leader).kill('SIGKILL');
      const killedLeaderAt = committedInputs();
      await leaderMovedFrom(cluster, OUT, 0, leader);
      await cluster.broker(leader).restart();
      return { coordinator, leader, killedCoordinatorAt, killedLeaderAt, movedTo };
    })();
    let runs = 0;
    while (!(await runInstance())) {
      if (++runs > 40) throw new Error(`the pipeline does not get through: ${errors.slice(-5).join(' | ')}`);
      await sleep(500);
    }
    const killed = await faults;
    const pipelineMs = Date.now() - started;

    // Read back read_committed: each output once, and transactions whole.
    const seen = new Map<string, number>();
    const byTxn = new Map<string, { size: number; got: number }>();
    const reader = liveClient().consumer({ groupId: `${GROUP}-check`, readUncommitted: false });
    await reader.connect();
    await reader.subscribe({ topic: OUT, fromBeginning: true });
    let reads = 0;
    const readsByPartition = new Map<number, number>();
    const consumed: Consumed[] = [];
    await reader.run({
      eachMessage: async ({ partition, message }) => {
        reads++;
        consumed.push({ partition, offset: BigInt(message.offset), value: message.value!.toString() });
        readsByPartition.set(partition, (readsByPartition.get(partition) ?? 0) + 1);
        const v = message.value!.toString();
        seen.set(v, (seen.get(v) ?? 0) + 1);
        const tag = message.headers!.txn!.toString();
        const t = byTxn.get(tag) ?? { size: Number(message.headers!.size!.toString()), got: 0 };
        t.got++;
        byTxn.set(tag, t);
      },
    });
    try {
      await expect.poll(() => reads, { timeout: CHAOS ? 300_000 : 60_000, interval: 200 }).toBeGreaterThanOrEqual(INPUTS);
    } catch (err) {
      const check = liveClient().admin();
      await check.connect();
      const highs = await check.fetchTopicOffsets(OUT);
      await check.disconnect();
      console.log(`read_committed reads per partition ${JSON.stringify([...readsByPartition])}; high watermarks ${JSON.stringify(highs.map((h) => [h.partition, h.high]))}`);
      for (const b of cluster.brokers) console.log(`broker ${b.nodeId}: ${b.logs().filter((l) => l.includes(OUT) || l.includes('__transaction_state')).slice(-12).join('\n')}`);
      throw err;
    }
    await sleep(1_000); // anything beyond INPUTS (a duplicate, an aborted record) would arrive meanwhile
    await reader.disconnect();

    const duplicates = [...seen].filter(([, n]) => n > 1).map(([v]) => v);
    const missing = Array.from({ length: INPUTS }, (_, i) => `out-${i}`).filter((v) => !seen.has(v));
    const partial = [...byTxn].filter(([, t]) => t.got !== t.size).map(([tag, t]) => `${tag}: ${t.got}/${t.size}`);
    expect(duplicates.slice(0, 10)).toEqual([]);
    expect(missing.slice(0, 10)).toEqual([]);
    expect(partial).toEqual([]);
    expect(reads).toBe(INPUTS);
    // Outputs of the transactions whose commit was answered: a failed instance leaves at most one
    // transaction's outcome unknown (its commit's answer lost), and that one is not guessed.
    expect(acked.length).toBeGreaterThanOrEqual(INPUTS - CHUNK * errors.length);
    expect(checkHistory(acked, consumed).slice(0, 10)).toEqual([]);
    // Both kills landed mid-run, and the coordinator moved to another replica.
    expect(killed.killedLeaderAt).toBeLessThan(INPUTS);
    expect(killed.movedTo).not.toBe(killed.coordinator);
    console.log(
      `transactions failover: killed coordinator broker ${killed.coordinator} at ${killed.killedCoordinatorAt} committed inputs (coordinator moved to ${killed.movedTo}), ` +
        `${OUT}-0 leader ${killed.leader} at ${killed.killedLeaderAt}; ${INPUTS} inputs in ${pipelineMs} ms, ` +
        `${transactions} transactions begun (${byTxn.size} committed), ${instances} pipeline instances; errors seen: ${errors.length}`,
    );
  }, CHAOS ? 1_800_000 : 240_000);

  it('librdkafka: kcat produces in a transaction; a read_committed kcat reads it back', async () => {
    const live = cluster.brokers.filter((b) => b.running).map((b) => `${b.host}:${b.port}`).join(',');
    const admin = liveClient().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'txn-cluster-kcat', numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    await kcat(['-P', '-b', live, '-t', 'txn-cluster-kcat', '-p', '0', '-X', 'transactional.id=txn-cluster-kcat'], 120_000, 'k1\nk2\nk3\n');
    await kcat(['-P', '-b', live, '-t', 'txn-cluster-kcat', '-p', '0', '-X', 'transactional.id=txn-cluster-kcat'], 120_000, 'k4\n');
    const committed = await kcatConsumeAll(live, 'txn-cluster-kcat', '%s\\n', 120_000, ['-X', 'isolation.level=read_committed']);
    expect(committed.toString().split('\n').filter(Boolean)).toEqual(['k1', 'k2', 'k3', 'k4']);
  }, 120_000);
});

async function expectProgress(inputs: number): Promise<void> {
  await expect.poll(() => committedInputs(), { timeout: 120_000, interval: 100 }).toBeGreaterThanOrEqual(inputs);
}
