// `pnpm --filter @mq/bench bench:reopen`: fills one partition with BENCH_REOPEN_GB (default 10) GB of
// 1 KiB records through kcat, then measures how long the broker takes to reopen that log — after a
// graceful stop and after SIGKILL — to the first accepted connection and to the first fetched record.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaClient } from './kafkajs-load';
import { kcatProduce } from './kcat-load';
import { machineLine, writeSection } from './markdown-section';
import { ensureBrokerBuilt, REPO_ROOT, startMqBroker } from './mq-broker';
import { writeRecordFile } from './payloads';
import type { ServerProcess } from './server-process';

const GB = Number(process.env.BENCH_REOPEN_GB ?? 10);
const SIZE = 1024;
const PER_FILE = 1_000_000; // ~1 GB of records per kcat run

function du(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('du', ['-sb', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', reject);
    child.once('close', () => resolve(Number(out.split('\t')[0])));
  });
}

/** ms until `kcat -C -o -1 -c 1` returns the last record (the log is open and readable to the end). */
function firstFetchMs(bootstrap: string, t0: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-C', '-b', bootstrap, '-t', 'big', '-p', '0', '-o', '-1', '-c', '1', '-e', '-q', '-f', '%o\n'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 && out.trim() !== '' ? resolve(performance.now() - t0) : reject(new Error(`kcat fetch failed (${code})`))));
  });
}

async function reopen(dataDir: string, configFile: string): Promise<{ startupMs: number; fetchMs: number; server: ServerProcess }> {
  const t0 = performance.now();
  const server = await startMqBroker(dataDir, configFile);
  const fetchMs = await firstFetchMs(`127.0.0.1:${server.spec.port}`, t0);
  return { startupMs: server.startupMs, fetchMs, server };
}

async function main(): Promise<void> {
  ensureBrokerBuilt();
  const work = await mkdtemp(join(process.env.BENCH_DATA_DIR ?? tmpdir(), 'mq-reopen-'));
  const dataDir = join(work, 'data');
  const configFile = join(work, 'broker.json');
  // Filling 10 GB with fsync per ack would measure the disk, not the reopen: flush once a second.
  await writeFile(configFile, JSON.stringify({ 'log.flush.interval.messages': '9223372036854775807', 'log.flush.interval.ms': 1000 }));
  const input = join(work, 'records.txt');
  await writeRecordFile(input, PER_FILE, SIZE);
  let server = await startMqBroker(dataDir, configFile);
  try {
    const bootstrap = `127.0.0.1:${server.spec.port}`;
    const admin = kafkaClient(bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'big', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const tFill = performance.now();
    const runs = Math.ceil((GB * 1e9) / (PER_FILE * (SIZE + 70)));
    for (let i = 0; i < runs; i++) {
      await kcatProduce(bootstrap, 'big', input, PER_FILE);
      process.stderr.write(`bench:reopen: filled ${i + 1}/${runs}\n`);
    }
    const fillS = (performance.now() - tFill) / 1000;
    // A graceful stop fsyncs what the page cache still holds (GBs after a fast fill): give it time,
    // or the "graceful" reopen below would really be a crash recovery.
    const stopped = await server.stop(300_000);
    if (stopped.killed) throw new Error('broker ignored SIGTERM for 300 s');
    const cleanMarker = existsSync(join(dataDir, 'big-0', '.clean-shutdown'));
    process.stderr.write(`bench:reopen: stopped in ${stopped.ms.toFixed(0)} ms, exit ${server.child.exitCode}, clean-shutdown marker: ${cleanMarker}\n${server.log.slice(-3000)}\n`);
    const bytes = await du(dataDir);

    const graceful = await reopen(dataDir, configFile);
    server = graceful.server;
    // Crash it: the next open cannot trust a clean-shutdown marker and must recover.
    process.kill(server.pid, 'SIGKILL');
    await new Promise<void>((resolve) => (server.child.exitCode !== null || server.child.signalCode !== null ? resolve() : server.child.once('exit', () => resolve())));
    const crashed = await reopen(dataDir, configFile);
    server = crashed.server;
    const rss = server.sample().rssBytes;

    const body = [
      '## Reopening a large log: `pnpm --filter @mq/bench bench:reopen`',
      '',
      `Measured ${machineLine()}. One partition holding ${(bytes / 1e9).toFixed(2)} GB (${runs * PER_FILE} records of ${SIZE} B, filled by kcat in ${fillS.toFixed(0)} s at fsync/1s).`,
      '',
      '| reopen after | start-up to first accepted connection | to the last record fetched (kcat -o -1) | RSS after reopen |',
      '|---|---:|---:|---:|',
      `| graceful stop (SIGTERM; the stop took ${(stopped.ms / 1000).toFixed(1)} s; clean-shutdown marker ${cleanMarker ? 'written' : 'MISSING'}) | ${graceful.startupMs.toFixed(0)} ms | ${graceful.fetchMs.toFixed(0)} ms | |`,
      `| crash (SIGKILL) | ${crashed.startupMs.toFixed(0)} ms | ${crashed.fetchMs.toFixed(0)} ms | ${(rss / 1e6).toFixed(1)} MB |`,
    ].join('\n');
    process.stdout.write(`\n${body}\n`);
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'reopen', body);
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:reopen failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
