// Share groups (KIP-932) on a real broker process (apps/broker/dist/main.js), @mq/client's
// ShareConsumer in this process: (1) throughput with 1, 3 and 10 consumers on one partition
// accepting every record, against one classic consumer on the same data; (2) priority lanes —
// 100k records spread evenly over lanes 0…4 (header mq-priority), handed out by Deficit Round
// Robin: the lanes' shares of what was delivered while every lane still had records, against the
// weights 50/25/15/7/3. `pnpm --filter @mq/bench bench:share-lanes` (BENCH_SHARE_MESSAGES, BENCH_SIZE,
// BENCH_SHARE_CONSUMERS=1,3,10). bench:share (share-bench.ts) has the WebSocket and round-trip figures.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MqClient } from '@mq/client';
import { ensureBrokerBuilt, startMqBroker } from './mq-broker';
import { MQ_PRODUCER, mqClient, mqClientConsume, mqClientProduce } from './mq-client-load';
import { fmtRate } from './stats';

const count = Number(process.env.BENCH_SHARE_MESSAGES ?? 100_000);
const size = Number(process.env.BENCH_SIZE ?? 100);
const WEIGHTS = [50, 25, 15, 7, 3];
const CONSUMERS = (process.env.BENCH_SHARE_CONSUMERS ?? '1,3,10').split(',').map(Number).filter((n) => n > 0);
/** mq.priority.window.records of the lanes topic: how far past the start offset a fetch looks for other lanes. */
const WINDOW = Number(process.env.BENCH_PRIORITY_WINDOW ?? 2000);

/** Accepts every record with `consumers` share consumers of one group; ms until `expected` were accepted. */
async function shareConsume(bootstrap: string, topic: string, group: string, consumers: number, expected: number): Promise<number> {
  const clients: MqClient[] = Array.from({ length: consumers }, () => mqClient(bootstrap));
  const members = clients.map((c) => c.shareConsumer({ groupId: group, maxRecords: 500, maxWaitMs: 100 }));
  for (const m of members) m.subscribe([topic]);
  let accepted = 0;
  const started = performance.now();
  let done = false;
  await Promise.all(
    members.map(async (m) => {
      while (!done) {
        const records = await m.poll();
        for (const r of records) r.accept();
        accepted += records.length;
        if (accepted >= expected) done = true;
      }
      await m.commit();
    }),
  );
  const ms = performance.now() - started;
  for (const m of members) await m.close();
  for (const c of clients) await c.close();
  return ms;
}

/** Produces `n` records round-robin over lanes 0…4, then reads them with one share consumer in fetches of `fetch`. */
async function laneShares(client: MqClient, bootstrap: string, n: number, fetch: number): Promise<{ shares: number[]; counted: number; ms: number }> {
  const topic = 'share-bench-lanes';
  await client.admin().createTopics([{ name: topic, numPartitions: 1, configs: { 'mq.priority.window.records': String(WINDOW) } }]);
  const producer = client.producer(MQ_PRODUCER);
  const value = Buffer.alloc(size, 0x61);
  for (let i = 0; i < n; i += 1000) {
    await producer.send({ topic, messages: Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ value, headers: [{ key: 'mq-priority', value: Buffer.from(String((i + j) % 5)) }] })) });
  }
  await producer.close();
  const reader = mqClient(bootstrap);
  const consumer = reader.shareConsumer({ groupId: 'share-bench-lanes', maxRecords: fetch, maxWaitMs: 100 });
  consumer.subscribe([topic]);
  const perLane = n / 5;
  const delivered = [0, 0, 0, 0, 0];
  let counted: number[] | undefined;
  let total = 0;
  const started = performance.now();
  while (total < n) {
    const records = await consumer.poll();
    for (const r of records) {
      const lane = Number(r.headers.find((h) => h.key === 'mq-priority')?.value?.toString());
      delivered[lane]!++;
      r.accept();
      total++;
      // Shares count while every lane is backlogged: up to the first lane running dry.
      if (counted === undefined && delivered.some((d) => d >= perLane)) counted = [...delivered];
    }
  }
  const ms = performance.now() - started;
  await consumer.close();
  await reader.close();
  const c = counted ?? delivered;
  const sum = c.reduce((a, b) => a + b, 0);
  return { shares: c.map((d) => d / sum), counted: sum, ms };
}

async function main(): Promise<void> {
  ensureBrokerBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'share-lanes-bench-'));
  const configFile = join(dir, 'broker.json');
  await writeFile(configFile, JSON.stringify({ 'share.auto.offset.reset': 'earliest' }));
  const broker = await startMqBroker(join(dir, 'data'), configFile);
  const bootstrap = `127.0.0.1:${broker.spec.port}`;
  const client = mqClient(bootstrap);
  try {
    const topic = 'share-bench';
    await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const p = await mqClientProduce(client, topic, count, size, MQ_PRODUCER);
    process.stdout.write(`produce ${size} B × ${count} (1 partition): ${fmtRate((p.messages * 1000) / p.ms)} msg/s\n`);
    const classic = await mqClientConsume(client, topic, 1, count + 1);
    process.stdout.write(`| classic consumer (1, Fetch) | ${fmtRate((classic.messages * 1000) / classic.ms)} msg/s | ${classic.ms.toFixed(0)} ms |\n`);
    for (const consumers of CONSUMERS) {
      const ms = await shareConsume(bootstrap, topic, `share-bench-${consumers}`, consumers, count);
      process.stdout.write(`| share group, ${consumers} consumer(s), accept each | ${fmtRate((count * 1000) / ms)} msg/s | ${ms.toFixed(0)} ms |\n`);
    }
    const lanes = await laneShares(client, bootstrap, count, 100);
    const sumW = WEIGHTS.reduce((a, b) => a + b, 0);
    const worst = Math.max(...lanes.shares.map((s, i) => Math.abs(s - WEIGHTS[i]! / sumW) / (WEIGHTS[i]! / sumW)));
    process.stdout.write(
      `DRR over ${count} records (${lanes.counted} delivered while every lane had records, fetches of 100, mq.priority.window.records=${WINDOW}): shares ${lanes.shares.map((s) => `${(s * 100).toFixed(2)} %`).join(' / ')} ` +
        `vs ${WEIGHTS.map((w) => `${((w / sumW) * 100).toFixed(0)} %`).join(' / ')}; worst relative deviation ${(worst * 100).toFixed(2)} %; ${fmtRate((count * 1000) / lanes.ms)} msg/s\n`,
    );
  } finally {
    await client.close();
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:share-lanes failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
