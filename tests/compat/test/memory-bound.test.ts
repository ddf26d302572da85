// Acceptance (issue 9 item 7): a handful of connections cannot exhaust the broker's memory. A real
// broker child process takes the floods — 8 connections × 128 pipelined 1 MB produces, one
// Fetch with max_bytes 2^31-1 over 8 partitions of 128 MB, then three such fetches pipelined — and
// its peak RSS (/proc/<pid>/status VmHWM) must stay under a bound derived from its configured
// budgets. A resource bound, not a timing.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRecordBatch } from '@mq/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { FloodClient, fetchV4Frame, produceV3Frame } from '../src/flood-client';
import { kcat } from '../src/kcat';
import { makeTempDir, removeDir } from '../src/temp-dir';

const MIB = 1 << 20;
const CONNECTIONS = 8;
const IN_FLIGHT = 128;
const QUEUED_MAX_REQUEST_BYTES = 32 * MIB;
const FETCH_MAX_BYTES = 16 * MIB;
const SOCKET_REQUEST_MAX_BYTES = 2 * MIB;

/** Peak resident set size of `pid` so far, in bytes. */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error('no VmHWM in /proc status');
  return Number(m[1]) * 1024;
}

const mb = (n: number): string => `${(n / MIB).toFixed(0)} MiB`;

describe.skipIf(process.platform !== 'linux')('memory stays bounded under floods (real broker process)', () => {
  let broker: BrokerProcess;
  let dataDir: string;
  let workDir: string;
  let baseline = 0;
  /**
   * What the budgets allow on top of the idle broker: the request/fetch budget, plus each
   * connection's one frame still arriving when it ran out, plus one max.message.bytes first batch
   * per fetch — three times that, because what was freed stays garbage until V8 collects it (socket
   * chunks joined into frames, reads replaced by the next ones) — and 64 MiB for the allocator and
   * V8's young generation. Before the limits, the same floods took it up by 0.45-3.3 GB.
   */
  const allowance = 3 * (QUEUED_MAX_REQUEST_BYTES + CONNECTIONS * SOCKET_REQUEST_MAX_BYTES + 3 * MIB) + 64 * MIB;
  const peaks: Record<string, number> = {};

  beforeAll(async () => {
    dataDir = await makeTempDir('memory-data');
    workDir = await makeTempDir('memory-work');
    const configFile = join(workDir, 'broker.json');
    await writeFile(
      configFile,
      JSON.stringify({
        'num.partitions': CONNECTIONS,
        'socket.request.max.bytes': SOCKET_REQUEST_MAX_BYTES,
        'queued.max.request.bytes': QUEUED_MAX_REQUEST_BYTES,
        'fetch.max.bytes': FETCH_MAX_BYTES,
        // Default durability (fsync before ack): produces wait for the disk, so they pile up in flight.
      }),
    );
    broker = await BrokerProcess.start({ dataDir, configFile });
    // librdkafka's Metadata auto-creates the topic with its 8 partitions.
    await kcat(['-P', '-b', broker.bootstrap, '-t', 'flood', '-p', '0'], 60_000, 'first\n');
    baseline = peakRss(broker.pid);
  }, 120_000);

  afterAll(async () => {
    // Figures for the README / issue: printed, never asserted on time.
    process.stdout.write(`memory-bound: baseline VmHWM ${mb(baseline)}, allowance ${mb(allowance)}, peaks ${JSON.stringify(Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, mb(v)])))}\n`);
    if (broker !== undefined) expect(await broker.stop()).toBe(0);
    await removeDir(dataDir);
    await removeDir(workDir);
  }, 120_000);

  it(`${CONNECTIONS} connections × ${IN_FLIGHT} pipelined 1 MB produces`, async () => {
    const batch = await buildRecordBatch({ records: [{ key: null, value: randomBytes(1_000_000) }] });
    const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => FloodClient.open(broker.host, broker.port)));
    try {
      clients.forEach((c, p) => c.send(Array.from({ length: IN_FLIGHT }, (_, i) => produceV3Frame(i + 1, 'flood', p, batch))));
      await Promise.all(clients.map((c) => c.waitFor(IN_FLIGHT, 300_000)));
    } finally {
      for (const c of clients) c.destroy();
    }
    peaks.produce = peakRss(broker.pid);
    // Every produce was stored: the last offset of each partition (partition 0 also holds "first").
    for (const p of [0, CONNECTIONS - 1]) {
      const last = await kcat(['-C', '-b', broker.bootstrap, '-t', 'flood', '-p', String(p), '-o', '-1', '-c', '1', '-e', '-f', '%o\n'], 60_000);
      expect(Number(last.stdout.toString('utf8').trim())).toBe(p === 0 ? IN_FLIGHT : IN_FLIGHT - 1);
    }
    expect(broker.isAlive()).toBe(true);
    expect(peaks.produce - baseline).toBeLessThan(allowance);
  }, 400_000);

  it('one Fetch with max_bytes 2^31-1 over the 8 partitions (~128 MB each)', async () => {
    const c = await FloodClient.open(broker.host, broker.port);
    try {
      c.send([fetchV4Frame(1, 'flood', CONNECTIONS, 0x7fffffff, 0x7fffffff)]);
      await c.waitFor(1, 120_000);
      peaks.oneFetch = peakRss(broker.pid);
      // fetch.max.bytes caps the response (plus its first batch).
      expect(c.received.bytes).toBeLessThan(FETCH_MAX_BYTES + 2 * MIB);
      expect(c.received.bytes).toBeGreaterThan(FETCH_MAX_BYTES / 2);
    } finally {
      c.destroy();
    }
    expect(peaks.oneFetch - baseline).toBeLessThan(allowance);
  }, 200_000);

  it('three such fetches pipelined on one connection', async () => {
    const c = await FloodClient.open(broker.host, broker.port);
    try {
      c.send([1, 2, 3].map((id) => fetchV4Frame(id, 'flood', CONNECTIONS, 0x7fffffff, 0x7fffffff)));
      await c.waitFor(3, 120_000);
    } finally {
      c.destroy();
    }
    peaks.threeFetches = peakRss(broker.pid);
    expect(broker.isAlive()).toBe(true);
    expect(peaks.threeFetches - baseline).toBeLessThan(allowance);
  }, 200_000);
});
