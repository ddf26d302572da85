// kcat (librdkafka) as the load generator for our broker: produce a pre-generated file, consume to the
// end (assign mode or a consumer group), and an end-to-end latency probe fed at a fixed rate.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { latencyOf, latencyPayload, paced } from './payloads';

export interface TimedRun {
  readonly messages: number;
  readonly ms: number;
}

interface KcatRun {
  readonly code: number | null;
  readonly stderr: string;
  /** Spawn to exit. */
  readonly ms: number;
  /** From the first stderr line matching `startPattern` (or spawn) to exit. */
  readonly streamMs: number;
}

/**
 * Runs kcat with stdout going straight to /dev/null: piping a consumer's output through this process
 * would make the pipe, not the broker, the bottleneck (measured: 340k vs 610k msg/s for kcat -C).
 */
function runKcat(args: string[], timeoutMs: number, startPattern?: RegExp): Promise<KcatRun> {
  return new Promise((resolve, reject) => {
    const devnull = openSync('/dev/null', 'w');
    const t0 = performance.now();
    let start: number | undefined;
    const child = spawn('kcat', args, { stdio: ['ignore', devnull, 'pipe'] });
    closeSync(devnull);
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => {
      stderr += b.toString('utf8');
      if (start === undefined && startPattern?.test(stderr)) start = performance.now();
      if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
    });
    const timer = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const end = performance.now();
      resolve({ code, stderr, ms: end - t0, streamMs: end - (start ?? t0) });
    });
  });
}

/** kcat -P of a file of lines (one message each, no key), librdkafka batching as the brief asks. */
export async function kcatProduce(bootstrap: string, topic: string, file: string, messages: number, extra: string[] = []): Promise<TimedRun> {
  const res = await runKcat(
    ['-P', '-b', bootstrap, '-t', topic, '-l', '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-X', 'queue.buffering.max.messages=1000000', ...extra, file],
    300_000,
  );
  if (res.code !== 0 || /failed/i.test(res.stderr)) throw new Error(`kcat -P failed (${res.code}): ${res.stderr.slice(-2000)}`);
  return { messages, ms: res.ms };
}

/** Sum of "Reached end of topic T [p] at offset N" lines: how many messages kcat read. */
function reachedTotal(stderr: string): number {
  let total = 0;
  for (const m of stderr.matchAll(/Reached end of topic \S+ \[\d+\] at offset (\d+)/g)) total += Number(m[1]);
  return total;
}

/**
 * Consumers end with -e, which needs one fetch that finds nothing new: fetch.wait.max.ms=10 keeps that
 * final long poll from adding up to 500 ms to a run (it changes nothing while data is flowing).
 */
const CONSUME_TUNING = ['-X', 'fetch.wait.max.ms=10'];

/** kcat -C -e from the beginning of every partition (no group); timed from spawn to exit. */
export async function kcatConsume(bootstrap: string, topic: string, expected: number, extra: string[] = []): Promise<TimedRun> {
  const res = await runKcat(['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-e', '-f', '%s\n', ...CONSUME_TUNING, ...extra], 300_000);
  if (res.code !== 0) throw new Error(`kcat -C failed (${res.code}): ${res.stderr.slice(-2000)}`);
  const got = reachedTotal(res.stderr);
  if (got < expected) throw new Error(`kcat -C read ${got} of ${expected} messages`);
  return { messages: got, ms: res.streamMs };
}

/**
 * kcat -G (librdkafka's balanced consumer: FindCoordinator/JoinGroup/SyncGroup/OffsetCommit); timed
 * from the "assigned" rebalance line to exit, so the group join is not counted as reading time.
 */
export async function kcatConsumeGroup(bootstrap: string, topic: string, group: string, expected: number): Promise<TimedRun> {
  const res = await runKcat(['-b', bootstrap, '-G', group, '-X', 'auto.offset.reset=earliest', '-e', '-f', '%s\n', ...CONSUME_TUNING, topic], 300_000, /rebalanced.*assigned/);
  if (res.code !== 0) throw new Error(`kcat -G failed (${res.code}): ${res.stderr.slice(-2000)}`);
  const got = reachedTotal(res.stderr);
  if (got < expected) throw new Error(`kcat -G read ${got} of ${expected} messages:\n${res.stderr.slice(-2000)}`);
  return { messages: got, ms: res.streamMs };
}

/**
 * End-to-end latency through the broker with kcat on both ends: a kcat -P fed timestamped lines at
 * `rate`/s (linger.ms=0) and a kcat -C -u (unbuffered) tail; latency = arrival in this process - send time.
 */
export async function kcatLatency(bootstrap: string, topic: string, size: number, rate: number, durationMs: number): Promise<number[]> {
  const consumer = spawn('kcat', ['-C', '-b', bootstrap, '-t', topic, '-o', 'end', '-u', '-q', '-f', '%s\n'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const samples: number[] = [];
  let consumerErr = '';
  consumer.stderr!.on('data', (b: Buffer) => (consumerErr += b.toString('utf8')));
  let partial = '';
  consumer.stdout!.on('data', (b: Buffer) => {
    const text = partial + b.toString('latin1');
    const lines = text.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.length > 0) samples.push(latencyOf(line));
  });
  // Let the consumer reach the end of the topic before anything is sent (the topic must exist).
  await new Promise((r) => setTimeout(r, 1_500));
  if (consumer.exitCode !== null) throw new Error(`kcat -C exited (${consumer.exitCode}): ${consumerErr.slice(-2000)}`);
  const producer = spawn('kcat', ['-P', '-b', bootstrap, '-t', topic, '-X', 'linger.ms=0', '-X', 'request.required.acks=-1'], { stdio: ['pipe', 'ignore', 'pipe'] });
  producer.stdin!.on('error', () => undefined);
  const sent = await paced(rate, durationMs, (n) => {
    let chunk = '';
    for (let i = 0; i < n; i++) chunk += `${latencyPayload(size)}\n`;
    producer.stdin!.write(chunk);
  });
  producer.stdin!.end();
  await new Promise<void>((resolve) => producer.once('exit', () => resolve()));
  const deadline = performance.now() + 10_000;
  while (samples.length < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (consumer.exitCode === null) {
    const gone = new Promise<void>((resolve) => consumer.once('exit', () => resolve()));
    process.kill(consumer.pid!, 'SIGTERM');
    await gone;
  }
  return samples;
}
