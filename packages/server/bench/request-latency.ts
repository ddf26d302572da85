// Request-latency bench: spawns the built broker (apps/broker/dist/main.js) on port 0 with a temp
// data dir, produces single 100-byte records, one Produce (acks=-1) per record, at a fixed rate and
// long-polls them back with Fetch on a second connection. Prints e2e and ack p50/p99/p99.9 and
// broker CPU per message (from /proc/<pid>/stat). Env: RATE (msg/s, 10000), SECONDS (10),
// WARMUP_SECONDS (2), BROKER_ARGS (extra broker flags), CPU_PROF_DIR (run the broker with --cpu-prof),
// BROKER_MAIN (another broker build), TOPIC_CONFIGS (topic configs for the bench topic).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { RECORD_BATCH_OVERHEAD, buildRecordBatch, decodeRecords, iterateBatches, readBatchHeader } from '@mq/records';
import {
  ApiKey,
  FrameDecoder,
  decodeResponse,
  encodeRequest,
} from '@mq/protocol';

const RATE = Number(process.env.RATE ?? 10_000);
const SECONDS = Number(process.env.SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 2);
const VALUE_BYTES = 100;
/** e.g. TOPIC_CONFIGS="flush.messages=9223372036854775807" to measure without fsync before ack. */
const TOPIC_CONFIGS = (process.env.TOPIC_CONFIGS ?? '')
  .split(',')
  .filter((kv) => kv.includes('='))
  .map((kv) => ({ name: kv.slice(0, kv.indexOf('=')), value: kv.slice(kv.indexOf('=') + 1) }));
const TOPIC = 'latency';
const PRODUCE_VERSION = 9;
const FETCH_VERSION = 11;
const CREATE_TOPICS_VERSION = 5;
/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s ticks. */
const CLOCK_TICKS = 100;

let brokerChild: ChildProcess | undefined;
const here = dirname(fileURLToPath(import.meta.url));
/** BROKER_MAIN runs another build (e.g. a worktree of an older commit) for A/B figures. */
const brokerMain = process.env.BROKER_MAIN ?? resolve(here, '../../../apps/broker/dist/main.js');

/** A minimal pipelined client: one request in, its response frame out, matched by correlation id. */
class RawConnection {
  private readonly decoder = new FrameDecoder();
  private readonly waiting = new Map<number, (frame: Buffer) => void>();
  private nextId = 1;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        const id = frame.readInt32BE(0);
        const done = this.waiting.get(id);
        this.waiting.delete(id);
        done?.(frame);
      }
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((res, rej) => {
      const s = connect({ host: '127.0.0.1', port }, () => res(new RawConnection(s)));
      s.once('error', rej);
    });
  }

  send<K extends number>(apiKey: K, version: number, body: Parameters<typeof encodeRequest<K>>[3]): Promise<Buffer> {
    const correlationId = this.nextId++;
    const frame = encodeRequest(apiKey, version, { correlationId, clientId: 'bench' }, body);
    return new Promise((res) => {
      this.waiting.set(correlationId, res);
      this.socket.write(frame);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

function startBroker(): Promise<{ child: ChildProcess; port: number; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mq-latency-'));
  const nodeArgs = process.env.CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROF_DIR}`] : [];
  const extra = (process.env.BROKER_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, brokerMain, '--port', '0', '--data-dir', dataDir, ...extra], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((res, rej) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.includes('"broker listening"'));
      if (line !== undefined) res({ child, port: (JSON.parse(line) as { port: number }).port, dataDir });
    });
    child.once('exit', (code) => rej(new Error(`broker exited early with ${code}`)));
  });
}

/** User and system CPU time of a process (all its threads) in ms. */
function cpuMs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); the slice above starts at field 3.
  return { user: (Number(fields[11]) * 1000) / CLOCK_TICKS, system: (Number(fields[12]) * 1000) / CLOCK_TICKS };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(name: string, values: number[]): string {
  const s = Float64Array.from(values).sort();
  const f = (v: number): string => v.toFixed(2).padStart(7);
  return `${name.padEnd(14)} n=${String(s.length).padStart(6)}  p50 ${f(percentile(s, 50))} ms  p99 ${f(percentile(s, 99))} ms  p99.9 ${f(percentile(s, 99.9))} ms  max ${f(s[s.length - 1] ?? NaN)} ms`;
}

async function main(): Promise<void> {
  const { child, port, dataDir } = await startBroker();
  brokerChild = child;
  const admin = await RawConnection.open(port);
  await admin.send(ApiKey.CreateTopics, CREATE_TOPICS_VERSION, {
    topics: [{ name: TOPIC, numPartitions: 1, replicationFactor: 1, assignments: [], configs: TOPIC_CONFIGS }],
    timeoutMs: 10_000,
    validateOnly: false,
  });
  const producer = await RawConnection.open(port);
  const consumer = await RawConnection.open(port);

  const totalMs = (WARMUP_SECONDS + SECONDS) * 1000;
  const warmupEnd = WARMUP_SECONDS * 1000;
  const e2e: number[] = [];
  const acks: number[] = [];
  let received = 0;
  let measuredReceived = 0;
  let running = true;
  const t0 = performance.now();

  // Consumer: long polls from offset 0; latency = now − send time written in the first 8 value bytes.
  const consume = (async () => {
    let offset = 0n;
    while (running) {
      const frame = await consumer.send(ApiKey.Fetch, FETCH_VERSION, {
        replicaId: -1,
        maxWaitMs: 500,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{ topic: TOPIC, partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: offset, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
        forgottenTopicsData: [],
        rackId: '',
      });
      const now = performance.now();
      const records = decodeResponse(ApiKey.Fetch, FETCH_VERSION, frame).body.responses[0]?.partitions[0]?.records;
      if (!records) continue;
      for (const { batch } of iterateBatches(records, false)) {
        const h = readBatchHeader(batch, 0);
        for (const r of decodeRecords(h, batch.subarray(RECORD_BATCH_OVERHEAD))) {
          const sentAt = r.value!.readDoubleLE(0);
          received++;
          if (sentAt - t0 >= warmupEnd) {
            e2e.push(now - sentAt);
            measuredReceived++;
          }
        }
        offset = h.baseOffset + BigInt(h.lastOffsetDelta) + 1n;
      }
    }
  })();

  // Producer: a 1 ms tick sends every message that is due, each as its own Produce request.
  let sent = 0;
  let cpuStart: { user: number; system: number } | undefined;
  let cpuEnd = { user: 0, system: 0 };
  let measuredSent = 0;
  const value = Buffer.alloc(VALUE_BYTES, 0x61);
  await new Promise<void>((done) => {
    const tick = async (): Promise<void> => {
      const elapsed = performance.now() - t0;
      if (elapsed >= totalMs) {
        cpuEnd = cpuMs(child.pid!);
        done();
        return;
      }
      if (cpuStart === undefined && elapsed >= warmupEnd) cpuStart = cpuMs(child.pid!);
      const due = Math.floor((elapsed / 1000) * RATE);
      while (sent < due) {
        const sentAt = performance.now();
        value.writeDoubleLE(sentAt, 0);
        const batch = await buildRecordBatch({ records: [{ key: null, value }] });
        const measured = sentAt - t0 >= warmupEnd;
        if (measured) measuredSent++;
        void producer
          .send(ApiKey.Produce, PRODUCE_VERSION, {
            transactionalId: null,
            acks: -1,
            timeoutMs: 30_000,
            topicData: [{ name: TOPIC, partitionData: [{ index: 0, records: batch }] }],
          })
          .then(() => {
            if (measured) acks.push(performance.now() - sentAt);
          });
        sent++;
      }
      setTimeout(() => void tick(), 1);
    };
    void tick();
  });
  // Let the last messages arrive, then stop.
  const drainUntil = performance.now() + 2000;
  while (received < sent && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
  running = false;
  const user = cpuEnd.user - (cpuStart?.user ?? 0);
  const system = cpuEnd.system - (cpuStart?.system ?? 0);
  const cpu = user + system;
  console.log(`mq request-latency bench: ${RATE} msg/s × ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up), ${VALUE_BYTES}-byte values, one record per Produce (acks=-1), Fetch long poll`);
  console.log(`broker flags: ${process.env.BROKER_ARGS ?? '(defaults)'}; topic configs: ${process.env.TOPIC_CONFIGS ?? '(defaults: flush.messages=1, fsync before ack)'}`);
  console.log(summary('end-to-end', e2e));
  console.log(summary('produce ack', acks));
  console.log(`received ${received}/${sent} messages; measured window sent ${measuredSent}, received ${measuredReceived}`);
  console.log(`broker CPU ${cpu.toFixed(0)} ms (user ${user.toFixed(0)}, system ${system.toFixed(0)}) over the window = ${((cpu * 1000) / Math.max(1, measuredSent)).toFixed(1)} µs/message`);
  admin.close();
  producer.close();
  consumer.close();
  await Promise.race([consume.catch(() => undefined), new Promise((r) => setTimeout(r, 600))]);
  await new Promise<void>((res) => {
    child.once('exit', () => res());
    child.kill('SIGTERM');
  });
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  if (brokerChild !== undefined) brokerChild.kill('SIGKILL');
  console.error(err);
  process.exit(1);
});
