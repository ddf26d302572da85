// Acceptance (issue 9 item 9): Fetch honours the response-level max_bytes exactly (KIP-74). Three
// partitions hold ~920 KB batches; with fetch.max.bytes 1,000,000 a response carries the first
// batch and nothing after it. librdkafka (kcat) reads everything without a dropped connection, and a
// hand-built Fetch v4 shows the response size on the wire.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/child-process';
import { API_KEYS, requestFrame } from '../src/kafka-frames';
import { KCAT, kcat } from '../src/kcat';
import { RawConnection } from '../src/raw-connection';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { int32, int64, str } from '../src/wire-bytes';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const VALUE_BYTES = 920_000;
const PER_PARTITION = 2;
const LIMIT = 1_000_000;

/** Fetch v4: replica -1, max_wait 0, min_bytes 1, max_bytes, read_uncommitted, one topic, partitions 0..n-1 from offset 0. */
function fetchV4(topic: string, maxBytes: number, partitions: number, partitionMaxBytes: number): Buffer {
  const parts = Array.from({ length: partitions }, (_, p) => Buffer.concat([int32(p), int64(0n), int32(partitionMaxBytes)]));
  return Buffer.concat([int32(-1), int32(0), int32(1), int32(maxBytes), Buffer.from([0]), int32(1), str(topic), int32(partitions), ...parts]);
}

/** Per partition of a Fetch v4 response frame (one topic): error code and the records' byte length. */
function parseFetchV4(frame: Buffer): { partition: number; errorCode: number; recordBytes: number }[] {
  let at = 4 + 4; // correlation id, throttle_time_ms
  const topics = frame.readInt32BE(at);
  at += 4;
  expect(topics).toBe(1);
  at += 2 + frame.readInt16BE(at);
  const n = frame.readInt32BE(at);
  at += 4;
  const out: { partition: number; errorCode: number; recordBytes: number }[] = [];
  for (let i = 0; i < n; i++) {
    const partition = frame.readInt32BE(at);
    const errorCode = frame.readInt16BE(at + 4);
    at += 4 + 2 + 8 + 8; // partition, error, high watermark, last stable offset
    const aborted = frame.readInt32BE(at);
    at += 4 + Math.max(0, aborted) * 16;
    const recordBytes = frame.readInt32BE(at);
    at += 4 + Math.max(0, recordBytes);
    out.push({ partition, errorCode, recordBytes: Math.max(0, recordBytes) });
  }
  expect(at).toBe(frame.length);
  return out;
}

describe('Fetch max_bytes with ~920 KB batches in three partitions (KIP-74)', () => {
  let broker: Broker;
  let dataDir: string;
  let workDir: string;
  let bootstrap: string;

  beforeAll(async () => {
    dataDir = await makeTempDir('fetch-max-data');
    workDir = await makeTempDir('fetch-max-work');
    broker = await startBroker({ dataDir, config: { fetchMaxBytes: LIMIT, numPartitions: 3 } });
    bootstrap = `${broker.host}:${broker.port}`;
    // One message per batch: librdkafka's message.max.bytes (1,000,000) cannot hold two of them.
    for (let p = 0; p < 3; p++) {
      const file = join(workDir, `p${p}.txt`);
      const lines = Array.from({ length: PER_PARTITION }, (_, i) => `${p}-${i}-${randomBytes(VALUE_BYTES / 2).toString('hex')}`.slice(0, VALUE_BYTES));
      await writeFile(file, `${lines.join('\n')}\n`);
      await kcat(['-P', '-b', bootstrap, '-t', 'wide', '-p', String(p), '-z', 'none', '-l', file], 120_000);
    }
  }, 180_000);

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
    await removeDir(workDir);
  });

  it('kcat with fetch.max.bytes=1000000 (and the smallest receive.message.max.bytes it allows) reads all six, no disconnect', async () => {
    const res = await run(
      KCAT,
      [
        '-C', '-b', bootstrap, '-t', 'wide', '-o', 'beginning', '-e', '-q',
        '-X', `fetch.max.bytes=${LIMIT}`,
        '-X', `receive.message.max.bytes=${LIMIT + 512}`,
        '-X', 'debug=broker,protocol',
        '-f', '%p %o %S\\n',
      ],
      { timeoutMs: 120_000 },
    );
    expect(res.timedOut).toBe(false);
    expect(res.code).toBe(0);
    const got = res.stdout
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .map(([p, o, size]) => `${p}/${o}/${size}`)
      .sort();
    const want = [0, 1, 2].flatMap((p) => Array.from({ length: PER_PARTITION }, (_, o) => `${p}/${o}/${VALUE_BYTES}`)).sort();
    expect(got).toEqual(want);
    const log = res.stderr;
    // librdkafka logs a response larger than receive.message.max.bytes, and the disconnect it causes.
    expect(log).not.toMatch(/exceeds receive\.message\.max\.bytes|Receive failed|Disconnected/i);
  });

  it('a raw Fetch v4 with max_bytes 1,000,000 gets the first batch only: the response is at most 1 MB plus that batch', async () => {
    const conn = await RawConnection.open(broker.host, broker.port);
    try {
      await conn.write(requestFrame(API_KEYS.Fetch, 4, 7, fetchV4('wide', LIMIT, 3, 1 << 20)));
      const out = await conn.outcome(30_000, 1);
      expect(out.closedByBroker).toBe(false);
      expect(out.frames).toHaveLength(1);
      const frame = out.frames[0]!;
      const parts = parseFetchV4(frame);
      expect(parts.map((p) => p.errorCode)).toEqual([0, 0, 0]);
      const withData = parts.filter((p) => p.recordBytes > 0);
      expect(withData).toHaveLength(1);
      const first = withData[0]!.recordBytes;
      expect(first).toBeGreaterThan(VALUE_BYTES);
      expect(first).toBeLessThan(LIMIT);
      expect(frame.length).toBeLessThan(first + 1_000);
    } finally {
      conn.destroy();
    }
  });

  it('the broker caps a raw Fetch asking for 2^31-1 at fetch.max.bytes', async () => {
    const conn = await RawConnection.open(broker.host, broker.port);
    try {
      await conn.write(requestFrame(API_KEYS.Fetch, 4, 8, fetchV4('wide', 0x7fffffff, 3, 0x7fffffff)));
      const out = await conn.outcome(30_000, 1);
      expect(out.frames).toHaveLength(1);
      const total = parseFetchV4(out.frames[0]!).reduce((s, p) => s + p.recordBytes, 0);
      expect(total).toBeLessThan(LIMIT);
      expect(total).toBeGreaterThan(VALUE_BYTES);
    } finally {
      conn.destroy();
    }
  });
});
