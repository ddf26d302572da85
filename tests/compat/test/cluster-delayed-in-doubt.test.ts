// A delayed-message chunk in doubt in a real 3-broker cluster (etcd, brokers as child processes),
// made with signals rather than timing: D leads __mq_delayed-0, T leads the target partition, E is
// the third broker (and T is never the controller, so ISR changes go on while T is paused).
// Injected: T is SIGSTOPped before the chunk is due, so D's round commits its marker (once T has
// left __mq_delayed's ISR) and then D's append to T hangs; D is SIGKILLed right after the marker
// is committed and T is SIGCONTed. D's append may or may not land when T resumes. E takes over
// __mq_delayed-0, finds the marker without tombstones and sends the same batch again (same producer
// epoch and sequences): the target keeps it once either way. History check: every acknowledged
// delayed message is in the target exactly once, in offset order, none early.
import { type RunningCluster, startCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { untilValue } from '../src/cluster-probe';
import { kcatConsumeAll } from '../src/kcat';

const TOPIC = 'delayed-in-doubt';
const DELAYED_TOPIC = '__mq_delayed';
const MESSAGES = 40;
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: {
      'mq.delayed.topic.num.partitions': '1',
      'offsets.topic.num.partitions': '3',
      'replica.lag.time.max.ms': '3000',
      // T is paused ~4 s (the chunk's delay): its lease must outlive the pause, so it stays the target's leader.
      'broker.session.timeout.ms': '10000',
      'http.port': '0',
    },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

/** A client of the given brokers only (a paused broker would stall kafkajs' metadata requests). */
function kafkaOf(nodeIds: readonly number[]): Kafka {
  const brokers = nodeIds.map((id) => cluster.broker(id)).map((b) => `${b.host}:${b.port}`);
  return new Kafka({ brokers, logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 1_000 } });
}

async function withAdmin<T>(nodeIds: readonly number[], f: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafkaOf(nodeIds).admin();
  await admin.connect();
  try {
    return await f(admin);
  } finally {
    await admin.disconnect();
  }
}

async function leaderOf(nodeIds: readonly number[], topic: string): Promise<number | undefined> {
  const md = await withAdmin(nodeIds, (a) => a.fetchTopicMetadata({ topics: [topic] }));
  const l = md.topics[0]?.partitions.find((p) => p.partitionId === 0)?.leader;
  return l !== undefined && l >= 0 ? l : undefined;
}

async function highWatermark(nodeIds: readonly number[], topic: string): Promise<bigint> {
  const offsets = await withAdmin(nodeIds, (a) => a.fetchTopicOffsets(topic));
  return BigInt(offsets.find((o) => o.partition === 0)!.high);
}

/** Delivery markers committed on __mq_delayed-0 for the target (their keys carry its topic name), read from `nodeId`. */
async function markersAt(nodeId: number): Promise<number> {
  const b = cluster.broker(nodeId);
  const keys = (await kcatConsumeAll(`${b.host}:${b.port}`, DELAYED_TOPIC, '%k\n', 30_000)).toString('latin1');
  return keys.split(TOPIC).length - 1;
}

async function pendingAt(nodeId: number): Promise<number> {
  const b = cluster.broker(nodeId);
  const res = await fetch(`http://${b.host}:${b.httpPort}/v1/delayed?local=1`);
  return ((await res.json()) as { pending: number }).pending;
}

describe('a delayed chunk in doubt: its target paused, the delay leader SIGKILLed between marker and append', () => {
  it('the next delay leader sends it again and the target holds every acknowledged message exactly once', async () => {
    const all = cluster.brokers.map((b) => b.nodeId);
    onTestFailed(() => {
      for (const b of cluster.brokers) console.log(`broker ${b.nodeId} (running: ${b.running}):\n${b.logs().filter((l) => /"level":[56]0|"component":"delay"|__mq_delayed","partition":0/.test(l)).slice(-25).join('\n')}`);
    });
    const d = await untilValue('a leader of __mq_delayed-0', () => leaderOf(all, DELAYED_TOPIC));
    const controller = await withAdmin(all, async (a) => (await a.describeCluster()).controller);
    // T must not be the controller: ISR changes (T leaving __mq_delayed's ISR) go on while T is paused.
    const t = all.find((id) => id !== d && id !== controller)!;
    const e = all.find((id) => id !== d && id !== t)!;
    await withAdmin(all, (a) => a.createTopics({ topics: [{ topic: TOPIC, replicaAssignment: [{ partition: 0, replicas: [t, e, d] }] }], waitForLeaders: true }));
    expect(await untilValue('the target led by T', async () => ((await leaderOf(all, TOPIC)) === t ? t : undefined))).toBe(t);

    const producer = kafkaOf(all).producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    const sent: { value: string; notBefore: number }[] = [];
    const send = async (values: readonly string[], delayMs: number) => {
      const notBefore = Date.now() + delayMs;
      await producer.send({ topic: TOPIC, acks: -1, timeout: 10_000, messages: values.map((value) => ({ partition: 0, value, headers: { 'mq-delay-ms': String(delayMs) } })) });
      for (const value of values) sent.push({ value, notBefore });
    };
    // A first delivery, so the delay partition's producer id and first tombstones are written before the fault.
    await send(['warm-up'], 200);
    await untilValue('the warm-up delivered and tombstoned', async () => ((await highWatermark(all, TOPIC)) === 1n && (await pendingAt(d)) === 0 ? true : undefined));
    const values = Array.from({ length: MESSAGES }, (_, i) => `m-${i}`);
    await send(values, 4_000);
    await producer.disconnect();
    expect(await pendingAt(d)).toBe(MESSAGES);
    const markersBefore = await markersAt(d);
    expect(markersBefore).toBeGreaterThan(0);

    await cluster.broker(t).kill('SIGSTOP');
    // The round's marker is committed once T has left __mq_delayed's ISR; D's append to T then hangs.
    await untilValue('the round marker committed on __mq_delayed-0', async () => ((await markersAt(d)) > markersBefore ? true : undefined), 60_000);
    await cluster.broker(d).kill('SIGKILL');
    await cluster.broker(t).kill('SIGCONT');

    const next = await untilValue('a new leader of __mq_delayed-0', async () => {
      const l = await leaderOf([t, e], DELAYED_TOPIC);
      return l !== undefined && l !== d ? l : undefined;
    });
    const loaded = await untilValue('the new leader loaded a chunk in doubt', async () => {
      const line = cluster
        .broker(next)
        .logs()
        .find((l) => l.includes(`loaded ${DELAYED_TOPIC}-0`) && /"inDoubt":[1-9]/.test(l));
      return line;
    });
    await untilValue('no delayed message pending', async () => ((await pendingAt(next)) === 0 ? true : undefined), 90_000);
    await untilValue('the target holds every message', async () => ((await highWatermark([t, e], TOPIC)) >= BigInt(MESSAGES + 1) ? true : undefined), 60_000);
    await cluster.broker(d).restart();

    const bootstrap = [t, e].map((id) => cluster.broker(id)).map((b) => `${b.host}:${b.port}`).join(',');
    const lines = (await kcatConsumeAll(bootstrap, TOPIC, '%o %T %s\n')).toString('utf8').trim().split('\n');
    const read = lines.map((l) => {
      const [offset, ts, value] = l.split(' ');
      return { offset: BigInt(offset!), timestamp: Number(ts), value: value! };
    });
    const problems: string[] = [];
    const count = new Map<string, number>();
    for (let i = 0; i < read.length; i++) {
      const r = read[i]!;
      if (i > 0 && r.offset <= read[i - 1]!.offset) problems.push(`offset ${r.offset} read after ${read[i - 1]!.offset}`);
      count.set(r.value, (count.get(r.value) ?? 0) + 1);
    }
    for (const s of sent) {
      const n = count.get(s.value) ?? 0;
      if (n !== 1) problems.push(`${s.value}: in the target ${n} times`);
      const r = read.find((x) => x.value === s.value);
      if (r !== undefined && r.timestamp < s.notBefore) problems.push(`${s.value}: delivered ${s.notBefore - r.timestamp} ms early`);
    }
    for (const v of count.keys()) if (!sent.some((s) => s.value === v)) problems.push(`${v}: never sent`);
    console.log(`in doubt: D=${d} killed after its marker, T=${t} paused then resumed, E=${e}; broker ${next} took over: ${loaded.slice(0, 300)}; target has ${read.length} records`);
    expect(problems).toEqual([]);
    expect(read.length).toBe(MESSAGES + 1);
  }, 300_000);
});
