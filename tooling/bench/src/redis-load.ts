// Redis Streams (Debian redis-server 7.0, AOF appendfsync everysec) driven by ioredis: pipelined XADD,
// redis-benchmark's XADD, a consumer group (XREADGROUP COUNT 1000 + one XACK per batch), and paced
// end-to-end latency with a blocking XREADGROUP.
import { spawn } from 'node:child_process';
import Redis from 'ioredis';
import type { TimedRun } from './kcat-load';
import type { LatencyRun } from './kafkajs-load';
import { latencyOf, latencyPayload, paced, recordBuffers, recordText } from './payloads';

export function redisClient(port: number): Redis {
  return new Redis({ host: '127.0.0.1', port, lazyConnect: false, maxRetriesPerRequest: 3, enableAutoPipelining: false });
}

/** Pipelines of `batchSize` XADD, up to `window` pipelines in flight on one connection. */
export async function redisProduce(redis: Redis, stream: string, count: number, size: number, batchSize = 1000, window = 4): Promise<TimedRun> {
  const values = recordBuffers(count, size);
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + batchSize);
      const p = redis.pipeline();
      for (let i = from; i < next; i++) p.xadd(stream, '*', 'v', values[i]!);
      const res = await p.exec();
      const failed = res?.find(([err]) => err !== null);
      if (failed) throw failed[0];
    }
  };
  await Promise.all(Array.from({ length: window }, worker));
  return { messages: count, ms: performance.now() - t0 };
}

/** redis-benchmark -c 1 -P 100 running XADD with a `size`-byte field value: the native load tool. */
export function redisBenchmarkXadd(port: number, stream: string, count: number, size: number): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const args = ['-h', '127.0.0.1', '-p', String(port), '-c', '1', '-P', '100', '-n', String(count), '--csv', 'XADD', stream, '*', 'v', recordText(0, size)];
    const child = spawn('redis-benchmark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    const timer = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 300_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lines = out.trim().split('\n').filter((l) => l.startsWith('"XADD'));
      const rps = Number(lines.at(-1)?.split('","')[1]);
      if (code !== 0 || !Number.isFinite(rps) || rps <= 0) reject(new Error(`redis-benchmark failed (${code}): ${out.slice(-2000)}`));
      else resolve({ messages: count, ms: (count / rps) * 1000 });
    });
  });
}

type StreamReply = [string, [string, string[]][]][] | null;

/** XREADGROUP COUNT 1000 from the start of the stream, XACK each batch (sent without waiting), timed from the first reply. */
export async function redisConsume(redis: Redis, stream: string, group: string, expected: number): Promise<TimedRun> {
  await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM');
  let got = 0;
  let t0 = 0;
  const deadline = performance.now() + 180_000;
  while (got < expected && performance.now() < deadline) {
    const reply = (await redis.xreadgroup('GROUP', group, 'c1', 'COUNT', 1000, 'STREAMS', stream, '>')) as StreamReply;
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length === 0) break;
    if (got === 0) t0 = performance.now();
    got += entries.length;
    void redis.xack(stream, group, ...entries.map((e) => e[0]));
  }
  const ms = performance.now() - t0;
  await redis.ping(); // the last XACK has been applied
  if (got < expected) throw new Error(`redis consumer read ${got} of ${expected}`);
  return { messages: got, ms };
}

export async function redisLatency(port: number, stream: string, size: number, rate: number, durationMs: number): Promise<LatencyRun> {
  const producer = redisClient(port);
  const reader = redisClient(port);
  await reader.xgroup('CREATE', stream, 'lat', '$', 'MKSTREAM');
  const e2e: number[] = [];
  let stop = false;
  const reading = (async () => {
    while (!stop) {
      const reply = (await reader.xreadgroup('GROUP', 'lat', 'c1', 'COUNT', 1000, 'BLOCK', 200, 'STREAMS', stream, '>')) as StreamReply;
      const entries = reply?.[0]?.[1] ?? [];
      for (const [, fields] of entries) e2e.push(latencyOf(fields[1] ?? ''));
      if (entries.length > 0) void reader.xack(stream, 'lat', ...entries.map((e) => e[0]));
    }
  })();
  await new Promise((r) => setTimeout(r, 500));
  const send: number[] = [];
  const pending = new Set<Promise<void>>();
  const sent = await paced(rate, durationMs, (n) => {
    const p = producer.pipeline();
    for (let i = 0; i < n; i++) p.xadd(stream, '*', 'v', latencyPayload(size));
    const s = performance.now();
    const done = p.exec().then(
      () => void send.push(performance.now() - s),
      () => undefined,
    );
    pending.add(done);
    void done.finally(() => pending.delete(done));
  });
  await Promise.all(pending);
  const deadline = performance.now() + 10_000;
  while (e2e.length < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  stop = true;
  await reading.catch(() => undefined);
  producer.disconnect();
  reader.disconnect();
  return { e2e, send, sent };
}
