// python3-confluent-kafka (Debian's, librdkafka 2.0.2) transactions on a real 3-broker cluster
// (etcd, brokers as processes): a transactional producer (src/confluent-cluster-transactions.py)
// commits transactions of records spread over three partitions while the broker coordinating its
// transactional id (the leader of its __transaction_state partition) is SIGKILLed a third of the
// way in and restarted once another replica leads that partition. A producer that hits a fatal
// error exits and a new one (same transactional.id: it fences the old) goes on with the next
// transaction; the transaction whose outcome it could not learn is not guessed.
// Checked with a read_committed python consumer: the history checker (every record of a committed
// transaction read once, at the offset its delivery report gave), nothing of an aborted attempt,
// and every transaction all or none.
import { type RunningCluster, startCluster } from '@mq/broker';
import { partitionFor as txnPartitionFor } from '@mq/groups';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { killQuietly, run, waitForExit } from '../src/child-process';
import { leaderMovedFrom, leaderOf, liveKafka } from '../src/cluster-failover';
import { type Acked, checkHistory } from '../src/history-checker';

const PYTHON = process.env.MQ_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, '..', 'src', 'confluent-cluster-transactions.py');
const TOPIC = 'py-txn-cluster';
const TXN_ID = 'py-txn-cluster-1';
const TXN_PARTITIONS = 5;
const PARTITIONS = 3;
const PER_TXN = 10;
// The long run (pnpm chaos): many more transactions through the same fault.
const TRANSACTIONS = process.env.MQ_CHAOS === '1' ? 10_000 : 300;
/** A producer process gets this long before it is SIGKILLed (by PID) as hung. */
const PRODUCER_DEADLINE_MS = process.env.MQ_CHAOS === '1' ? 3_600_000 : 240_000;
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: { 'offsets.topic.num.partitions': '3', 'transaction.state.log.num.partitions': String(TXN_PARTITIONS), 'replica.lag.time.max.ms': '3000' },
  });
  const admin = liveKafka(cluster).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }], waitForLeaders: true });
  await admin.disconnect();
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

type Outcome =
  | { committed: number; acked: { partition: number; offset: number; value: string }[] }
  | { aborted: number; attempt: number; error: string }
  | { unknown: number; error: string };

const committed = new Map<number, Acked[]>();
const unknown = new Set<number>();
const abortedAttempts = new Set<string>();
const errors: string[] = [];
let nextTxn = 0;

const live = () => cluster.brokers.filter((b) => b.running).map((b) => `${b.host}:${b.port}`).join(',');

/** One producer process from transaction `nextTxn` on: resolves once it exited. */
async function runProducer(): Promise<void> {
  const child = spawn(PYTHON, [SCRIPT, 'produce', live(), TOPIC, TXN_ID, String(nextTxn), String(TRANSACTIONS), String(PER_TXN), String(PARTITIONS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2_000)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const o = JSON.parse(line) as Outcome;
    if ('committed' in o) {
      committed.set(o.committed, o.acked.map((a) => ({ partition: a.partition, offset: BigInt(a.offset), value: a.value })));
      nextTxn = o.committed + 1;
    } else if ('aborted' in o) {
      abortedAttempts.add(`t${o.aborted}-a${o.attempt}`);
      errors.push(`transaction ${o.aborted} attempt ${o.attempt} aborted: ${o.error}`);
    } else {
      unknown.add(o.unknown);
      nextTxn = o.unknown + 1;
      errors.push(`transaction ${o.unknown} unknown: ${o.error}`);
    }
  });
  const deadline = setTimeout(() => killQuietly(child, 'SIGKILL'), PRODUCER_DEADLINE_MS);
  await waitForExit(child, PRODUCER_DEADLINE_MS + 10_000);
  clearTimeout(deadline);
  if (child.exitCode !== 0 && child.exitCode !== 3) errors.push(`producer exited ${child.exitCode ?? child.signalCode}: ${stderr}`);
}

describe('python3-confluent-kafka transactions while the coordinator is SIGKILLed', () => {
  it('read_committed sees every committed transaction once and whole, nothing aborted', async () => {
    onTestFailed(() => {
      console.log(errors.slice(0, 10).join('\n'));
      for (const b of cluster.brokers) console.log(`broker ${b.nodeId} (running: ${b.running}):\n${b.logs().filter((l) => /"level":[56]0/.test(l)).slice(-15).join('\n')}`);
    });
    const txnPartition = txnPartitionFor(TXN_ID, TXN_PARTITIONS);
    const faults = (async () => {
      await expect.poll(() => committed.size, { timeout: 180_000, interval: 100 }).toBeGreaterThanOrEqual(TRANSACTIONS / 3);
      const coordinator = await leaderOf(cluster, '__transaction_state', txnPartition);
      await cluster.broker(coordinator).kill('SIGKILL');
      const killedAt = committed.size;
      const movedTo = await leaderMovedFrom(cluster, '__transaction_state', txnPartition, coordinator);
      await cluster.broker(coordinator).restart();
      return { coordinator, killedAt, movedTo };
    })();
    for (let runs = 0; nextTxn < TRANSACTIONS; runs++) {
      if (runs > 10) throw new Error(`the producer does not get through: ${errors.slice(-5).join(' | ')}`);
      await runProducer();
    }
    const killed = await faults;

    const expected = committed.size * PER_TXN;
    const res = await run(PYTHON, [SCRIPT, 'consume', live(), TOPIC, String(PARTITIONS), String(expected)], { timeoutMs: 240_000 });
    expect(res.code, res.stderr).toBe(0);
    const consumed = (JSON.parse(res.stdout.toString().trim().split('\n').pop()!) as { consumed: [number, number, string][] }).consumed.map(([partition, offset, value]) => ({
      partition,
      offset: BigInt(offset),
      value,
    }));

    expect(checkHistory([...committed.values()].flat(), consumed).slice(0, 10)).toEqual([]);
    // Records per transaction attempt as read: a committed attempt whole, an unknown one whole or
    // absent, an aborted one never.
    const perAttempt = new Map<string, number>();
    for (const c of consumed) {
      const attempt = /^(t\d+-a\d+)-\d+$/.exec(c.value)![1]!;
      perAttempt.set(attempt, (perAttempt.get(attempt) ?? 0) + 1);
    }
    expect([...perAttempt.keys()].filter((a) => abortedAttempts.has(a))).toEqual([]);
    expect([...perAttempt].filter(([, n]) => n !== PER_TXN)).toEqual([]);
    const readTxns = new Set([...perAttempt.keys()].map((a) => Number(/^t(\d+)/.exec(a)![1])));
    expect([...readTxns].filter((t) => !committed.has(t) && !unknown.has(t))).toEqual([]);
    expect([...committed.keys()].filter((t) => !readTxns.has(t))).toEqual([]);
    expect(committed.size + unknown.size).toBe(TRANSACTIONS);
    // The kill landed mid-run and the coordinator moved to another replica.
    expect(killed.killedAt).toBeLessThan(TRANSACTIONS);
    expect(killed.movedTo).not.toBe(killed.coordinator);
    console.log(
      `python transactions failover: killed coordinator broker ${killed.coordinator} after ${killed.killedAt} commits (moved to ${killed.movedTo}); ` +
        `${committed.size} committed, ${unknown.size} unknown, ${abortedAttempts.size} attempts aborted; ${consumed.length} records read back`,
    );
  }, process.env.MQ_CHAOS === '1' ? 7_200_000 : 400_000);
});
