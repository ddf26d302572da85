// `pnpm --filter @mq/bench bench:share`: share groups (KIP-932 queues) on one broker process (run
// from source with tsx, so no build is needed): throughput with every record acknowledged by 1, 3 and 10
// consumers over the Kafka protocol (@mq/client ShareConsumer) and over the WebSocket subscription
// (credit window, ack frames), a classic consumer group on the same data for reference, and the
// acknowledgement round trip (HTTP POST …/ack, a WebSocket ack frame, ShareAcknowledge) p50/p99.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { MqClient } from '@mq/client';
import { REPO_ROOT } from './mq-broker';
import { freePort, ServerProcess } from './server-process';
import { fmtMs, fmtRate, summarize } from './stats';

const N = Number(process.env.BENCH_SHARE_MESSAGES ?? 50_000);
const SIZE = Number(process.env.BENCH_SIZE ?? 100);
const ROUND_TRIPS = Number(process.env.BENCH_ACK_ROUND_TRIPS ?? 1000);
const CREDIT = 500;

interface Row {
  what: string;
  consumers: number;
  msgPerSec: number;
}

async function startBroker(dir: string): Promise<{ proc: ServerProcess; port: number; httpPort: number }> {
  const port = await freePort();
  const httpPort = await freePort();
  const tsx = join(REPO_ROOT, 'tooling/bench/node_modules/.bin/tsx');
  const main = join(REPO_ROOT, 'apps/broker/src/main.ts');
  const args = ['--conditions=@mq/source', main, '--host', '127.0.0.1', '--port', String(port), '--http-port', String(httpPort), '--data-dir', dir, '--log-level', 'warn'];
  const proc = await ServerProcess.start({ name: 'mq', cmd: tsx, args, port }, 120_000);
  return { proc, port, httpPort };
}

async function produce(client: MqClient, topic: string): Promise<void> {
  const producer = client.producer({ acks: -1, lingerMs: 5, batchBytes: 1 << 20 });
  const value = Buffer.alloc(SIZE, 120);
  for (let i = 0; i < N; i += 1000) await producer.send({ topic, messages: Array.from({ length: Math.min(1000, N - i) }, () => ({ value })) });
  await producer.close();
}

/** share.auto.offset.reset is latest: each group touches the partition first so it starts at 0. */
async function touchKafka(client: MqClient, group: string, topic: string): Promise<void> {
  const c = client.shareConsumer({ groupId: group, maxWaitMs: 50 });
  c.subscribe([topic]);
  await c.poll();
  await c.poll();
  await c.close();
}

async function touchHttp(httpPort: number, group: string, topic: string): Promise<void> {
  await fetch(`http://127.0.0.1:${httpPort}/v1/queues/${group}/topics/${topic}/receive`, { method: 'POST', body: '{"max_messages":1}' });
}

/** Gives up when nothing arrived for this long: a lost record must fail the run, not hang it. */
const IDLE_LIMIT_MS = 20_000;

async function kafkaShare(client: MqClient, group: string, topic: string, consumers: number): Promise<number> {
  const seen = new Set<bigint>();
  let lastAt = performance.now();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: consumers }, async () => {
      const c = client.shareConsumer({ groupId: group, maxWaitMs: 100, maxRecords: 500 });
      c.subscribe([topic]);
      // Implicit mode: what a poll returned is accepted by the next poll (or the commit below).
      while (seen.size < N) {
        const records = await c.poll();
        if (records.length > 0) lastAt = performance.now();
        for (const r of records) seen.add(r.offset);
        if (performance.now() - lastAt > IDLE_LIMIT_MS) throw new Error(`${group}: ${seen.size} of ${N} records after ${IDLE_LIMIT_MS} ms idle`);
      }
      await c.commit();
      await c.close();
    }),
  );
  return (N * 1000) / (performance.now() - t0);
}

async function wsShare(httpPort: number, group: string, topic: string, consumers: number): Promise<number> {
  let accepted = 0;
  const t0 = performance.now();
  const sockets: WebSocket[] = [];
  await new Promise<void>((resolve, reject) => {
    for (let i = 0; i < consumers; i++) {
      const ws = new WebSocket(`ws://127.0.0.1:${httpPort}/v1/queues/${group}/topics/${topic}/subscribe`);
      sockets.push(ws);
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ credit: CREDIT })));
      ws.on('message', (data) => {
        const f = JSON.parse(data.toString()) as { type: string; messages?: { receipt: string }[]; results?: { error_code: number }[] };
        if (f.type === 'messages') ws.send(JSON.stringify({ ack: f.messages!.map((m) => m.receipt) }));
        else if (f.type === 'settled') {
          const ok = f.results!.filter((r) => r.error_code === 0).length;
          accepted += ok;
          ws.send(JSON.stringify({ credit: f.results!.length }));
          if (accepted >= N) resolve();
        }
      });
    }
  });
  const rate = (N * 1000) / (performance.now() - t0);
  for (const ws of sockets) ws.close();
  return rate;
}

async function classic(client: MqClient, topic: string): Promise<number> {
  const c = client.consumer({ groupId: `classic-${topic}`, autoOffsetReset: 'earliest', maxWaitMs: 100 });
  c.subscribe([topic]);
  const t0 = performance.now();
  let got = 0;
  while (got < N) got += (await c.poll()).length;
  await c.commit();
  const rate = (N * 1000) / (performance.now() - t0);
  await c.close();
  return rate;
}

async function ackRoundTrips(client: MqClient, httpPort: number, topic: string): Promise<{ http: number[]; ws: number[]; kafka: number[] }> {
  const base = `http://127.0.0.1:${httpPort}/v1/queues/rt-http/topics/${topic}`;
  const http: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const r = (await (await fetch(`${base}/receive`, { method: 'POST', body: '{"max_messages":1,"wait_ms":1000}' })).json()) as { messages: { receipt: string }[] };
    const t0 = performance.now();
    await (await fetch(`${base}/ack`, { method: 'POST', body: JSON.stringify({ receipts: [r.messages[0]!.receipt] }) })).text();
    http.push(performance.now() - t0);
  }
  const ws = await new Promise<number[]>((resolve, reject) => {
    const out: number[] = [];
    const sock = new WebSocket(`ws://127.0.0.1:${httpPort}/v1/queues/rt-ws/topics/${topic}/subscribe`);
    let sentAt = 0;
    sock.on('error', reject);
    sock.on('open', () => sock.send(JSON.stringify({ credit: 1 })));
    sock.on('message', (data) => {
      const f = JSON.parse(data.toString()) as { type: string; messages?: { receipt: string }[] };
      if (f.type === 'messages') {
        sentAt = performance.now();
        sock.send(JSON.stringify({ ack: [f.messages![0]!.receipt] }));
      } else if (f.type === 'settled') {
        out.push(performance.now() - sentAt);
        if (out.length >= ROUND_TRIPS) {
          sock.close();
          resolve(out);
        } else sock.send(JSON.stringify({ credit: 1 }));
      }
    });
  });
  const kafka: number[] = [];
  const c = client.shareConsumer({ groupId: 'rt-kafka', acknowledgementMode: 'explicit', maxRecords: 1, maxWaitMs: 100 });
  c.subscribe([topic]);
  while (kafka.length < ROUND_TRIPS) {
    const records = await c.poll();
    for (const r of records) r.accept();
    if (records.length === 0) continue;
    const t0 = performance.now();
    await c.commit();
    kafka.push(performance.now() - t0);
  }
  await c.close();
  return { http, ws, kafka };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mq-share-bench-'));
  const { proc, port, httpPort } = await startBroker(dir);
  const client = new MqClient({ bootstrapServers: `127.0.0.1:${port}`, clientId: 'share-bench' });
  const rows: Row[] = [];
  try {
    const runs: { what: string; consumers: number; group: string; run: (topic: string, group: string) => Promise<number>; touch: (topic: string, group: string) => Promise<void> }[] = [
      { what: 'Kafka protocol (ShareFetch, implicit accept)', consumers: 1, group: 'k1', run: (t, g) => kafkaShare(client, g, t, 1), touch: (t, g) => touchKafka(client, g, t) },
      { what: 'Kafka protocol (ShareFetch, implicit accept)', consumers: 3, group: 'k3', run: (t, g) => kafkaShare(client, g, t, 3), touch: (t, g) => touchKafka(client, g, t) },
      { what: 'Kafka protocol (ShareFetch, implicit accept)', consumers: 10, group: 'k10', run: (t, g) => kafkaShare(client, g, t, 10), touch: (t, g) => touchKafka(client, g, t) },
      { what: `WebSocket (credit ${CREDIT}, ack frames)`, consumers: 1, group: 'w1', run: (t, g) => wsShare(httpPort, g, t, 1), touch: (t, g) => touchHttp(httpPort, g, t) },
      { what: `WebSocket (credit ${CREDIT}, ack frames)`, consumers: 3, group: 'w3', run: (t, g) => wsShare(httpPort, g, t, 3), touch: (t, g) => touchHttp(httpPort, g, t) },
      { what: `WebSocket (credit ${CREDIT}, ack frames)`, consumers: 10, group: 'w10', run: (t, g) => wsShare(httpPort, g, t, 10), touch: (t, g) => touchHttp(httpPort, g, t) },
    ];
    for (const r of runs) {
      // A topic per run: each group's share-partition starts empty at offset 0.
      const topic = `share-bench-${r.group}`;
      await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
      await r.touch(topic, r.group);
      await produce(client, topic);
      rows.push({ what: r.what, consumers: r.consumers, msgPerSec: await r.run(topic, r.group) });
      process.stderr.write(`${r.what} × ${r.consumers}: ${fmtRate(rows[rows.length - 1]!.msgPerSec)} msg/s\n`);
    }
    rows.push({ what: 'classic consumer group (Fetch + OffsetCommit), reference', consumers: 1, msgPerSec: await classic(client, 'share-bench-k1') });
    const rtTopic = 'share-bench-rt';
    await client.admin().createTopics([{ name: rtTopic, numPartitions: 1 }]);
    await touchHttp(httpPort, 'rt-http', rtTopic);
    await touchHttp(httpPort, 'rt-ws', rtTopic);
    await touchKafka(client, 'rt-kafka', rtTopic);
    const producer = client.producer({ acks: -1 });
    for (let i = 0; i < ROUND_TRIPS + 10; i += 100) await producer.send({ topic: rtTopic, messages: Array.from({ length: 100 }, () => ({ value: Buffer.alloc(SIZE, 120) })) });
    await producer.close();
    const rt = await ackRoundTrips(client, httpPort, rtTopic);
    const out = [
      `share groups, 1 partition, ${N} × ${SIZE} B, every record acknowledged (${new Date().toISOString().slice(0, 10)})`,
      '',
      '| path | consumers | msg/s |',
      '|---|---|---|',
      ...rows.map((r) => `| ${r.what} | ${r.consumers} | ${fmtRate(r.msgPerSec)} |`),
      '',
      `acknowledgement round trip, ${ROUND_TRIPS} single-record acks (ms):`,
      '',
      '| path | p50 | p99 | max |',
      '|---|---|---|---|',
      ...(
        [
          ['HTTP POST …/ack', rt.http],
          ['WebSocket ack frame → settled', rt.ws],
          ['ShareAcknowledge (ShareConsumer.commit)', rt.kafka],
        ] as const
      ).map(([name, samples]) => {
        const s = summarize([...samples]);
        return `| ${name} | ${fmtMs(s.p50)} | ${fmtMs(s.p99)} | ${fmtMs(s.max)} |`;
      }),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await client.close();
    await proc.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:share failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
