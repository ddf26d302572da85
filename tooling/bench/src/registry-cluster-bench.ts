// `pnpm --filter @mq/bench bench:registry-cluster`: the schema registry of a 3-broker cluster over
// real HTTP (startCluster: etcd + 3 mq-broker processes, `_schemas` replicated 3 ways). Registrations
// one at a time and 16 in flight, through the broker leading `_schemas` and through a follower (each
// forwarded to the leader, answered once the follower's own view has it); then GET /schemas/ids/{id}
// through the leader and a follower. Each registration is a new schema under its own subject.
// Writes rates and p50 / p99 latencies into BENCHMARKS.md (section "registry-cluster").
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startCluster, type RunningCluster } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { machineLine, writeSection } from './markdown-section';
import { REPO_ROOT } from './mq-broker';
import { fmtMs, summarize } from './stats';

const REGISTRATIONS = Number(process.env.BENCH_REGISTRY_REGISTRATIONS ?? 200);
const LOOKUPS = Number(process.env.BENCH_REGISTRY_LOOKUPS ?? 2_000);
const IN_FLIGHT = 16;
const CT = 'application/vnd.schemaregistry.v1+json';

let next = 0;
const schema = (n: number) => JSON.stringify({ type: 'record', name: `Bench${n}`, namespace: 'bench', fields: [{ name: 'id', type: 'long' }] });

async function call(port: number, method: string, path: string, body?: unknown): Promise<{ id?: number }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'Content-Type': CT }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const parsed = (await res.json()) as { id?: number };
  if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(parsed)}`);
  return parsed;
}

interface Run {
  readonly what: string;
  readonly n: number;
  readonly ms: number;
  readonly latencies: number[];
}

/** `n` requests, `inFlight` at a time; `one(k)` makes request k. */
async function run(what: string, n: number, inFlight: number, one: (k: number) => Promise<unknown>): Promise<Run> {
  const latencies: number[] = [];
  let k = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (k < n) {
        const mine = k++;
        const t = performance.now();
        await one(mine);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const r = { what, n, ms: performance.now() - started, latencies };
  process.stdout.write(`${what.padEnd(56)} ${((n * 1000) / r.ms).toFixed(0).padStart(7)} /s\n`);
  return r;
}

async function schemasLeader(cluster: RunningCluster): Promise<number> {
  const admin = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicMetadata({ topics: ['_schemas'] })).topics[0]!.partitions[0]!.leader;
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const cluster = await startCluster({ brokers: 3, config: { 'http.port': '0' } });
  try {
    for (const b of cluster.brokers) {
      const deadline = Date.now() + 60_000;
      while (!(await call(b.httpPort!, 'GET', '/subjects').then(() => true, () => false))) {
        if (Date.now() > deadline) throw new Error(`broker ${b.nodeId}'s registry did not answer within 60 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const leaderId = await schemasLeader(cluster);
    const leader = cluster.broker(leaderId).httpPort!;
    const follower = cluster.brokers.find((b) => b.nodeId !== leaderId)!.httpPort!;
    const register = (port: number) => () => {
      const n = next++;
      return call(port, 'POST', `/subjects/bench-${n}-value/versions`, { schema: schema(n) });
    };
    const runs: Run[] = [];
    runs.push(await run('register through the leader, one at a time', REGISTRATIONS, 1, register(leader)));
    runs.push(await run('register through a follower (forwarded), one at a time', REGISTRATIONS, 1, register(follower)));
    runs.push(await run(`register through the leader, ${IN_FLIGHT} in flight`, REGISTRATIONS * 2, IN_FLIGHT, register(leader)));
    runs.push(await run(`register through a follower, ${IN_FLIGHT} in flight`, REGISTRATIONS * 2, IN_FLIGHT, register(follower)));
    const subjects = (await call(leader, 'GET', '/subjects')) as unknown as string[];
    const idOf = async (subject: string) => (await call(follower, 'GET', `/subjects/${subject}/versions/latest`)).id!;
    const known = await Promise.all(subjects.slice(0, 50).map(idOf));
    runs.push(await run(`GET /schemas/ids/{id} through the leader, ${IN_FLIGHT} in flight`, LOOKUPS, IN_FLIGHT, (k) => call(leader, 'GET', `/schemas/ids/${known[k % known.length]}`)));
    runs.push(await run(`GET /schemas/ids/{id} through a follower, ${IN_FLIGHT} in flight`, LOOKUPS, IN_FLIGHT, (k) => call(follower, 'GET', `/schemas/ids/${known[k % known.length]}`)));

    const rows = runs.map((r) => {
      const s = summarize(r.latencies);
      return `| ${r.what} | ${((r.n * 1000) / r.ms).toFixed(0)} /s | ${fmtMs(s.p50)} | ${fmtMs(s.p99)} |`;
    });
    writeSection(
      join(REPO_ROOT, 'BENCHMARKS.md'),
      'registry-cluster',
      `## Schema registry in a cluster: \`pnpm --filter @mq/bench bench:registry-cluster\`

Measured ${machineLine()}, shared with parallel work (1-min load average ${loadavg()[0]!.toFixed(0)} at the end). 3 broker processes on one etcd,
\`_schemas\` replicated 3 ways (every registration waits for the ISR, then for the leader's own
view), over HTTP with fetch(); each registration a new Avro schema under its own subject. A follower
forwards each write to the leader over HTTP and passes its answer back; its own reads go to the
leader until its view has replayed the write. (A first version that made the follower wait for its
view instead ran 4 forwarded registrations/s one at a time: its replica learns the commit only on
its next fetch round.)

| measure | rate | p50 (ms) | p99 (ms) |
|---|---:|---:|---:|
${rows.join('\n')}`,
    );
  } finally {
    await cluster.stop();
  }
}

await main();
