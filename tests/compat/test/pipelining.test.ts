// Acceptance: requests pipelined on one connection are answered in request order, even when an
// earlier one is slow (a Fetch long poll) and a later one is instant (ApiVersions, Metadata).
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEYS, requestFrame } from '../src/kafka-frames';
import { kcat } from '../src/kcat';
import { RawConnection } from '../src/raw-connection';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { int32, int64, str } from '../src/wire-bytes';

type Broker = Awaited<ReturnType<typeof startBroker>>;

/** Fetch v4 body: one partition, waiting up to maxWaitMs for data past fetchOffset. */
function fetchV4Body(topic: string, fetchOffset: bigint, maxWaitMs: number): Buffer {
  return Buffer.concat([int32(-1), int32(maxWaitMs), int32(1), int32(1 << 20), Buffer.from([0]), int32(1), str(topic), int32(1), int32(0), int64(fetchOffset), int32(1 << 20)]);
}

/** Metadata v1 body for one topic. */
function metadataV1Body(topic: string): Buffer {
  return Buffer.concat([int32(1), str(topic)]);
}

describe('pipelined requests on one connection', () => {
  let broker: Broker;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await makeTempDir('pipelining');
    broker = await startBroker({ dataDir });
    await kcat(['-P', '-b', `${broker.host}:${broker.port}`, '-t', 'pipe', '-p', '0'], 60_000, 'only\n');
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
  });

  it('answers a slow Fetch before the instant requests written after it', async () => {
    const conn = await RawConnection.open(broker.host, broker.port);
    try {
      // Offset 1 is the log end: the Fetch parks for up to 400 ms; everything after it is instant.
      const frames = [
        requestFrame(API_KEYS.Fetch, 4, 100, fetchV4Body('pipe', 1n, 400)),
        requestFrame(API_KEYS.ApiVersions, 0, 101),
        requestFrame(API_KEYS.Metadata, 1, 102, metadataV1Body('pipe')),
      ];
      for (let i = 0; i < 20; i++) frames.push(requestFrame(API_KEYS.ApiVersions, 0, 103 + i));
      await conn.write(Buffer.concat(frames));
      const out = await conn.outcome(20_000, frames.length);
      expect(out.closedByBroker).toBe(false);
      expect(out.frames.map((f) => f.readInt32BE(0))).toEqual(Array.from({ length: frames.length }, (_, i) => 100 + i));
    } finally {
      conn.destroy();
    }
  });

  it('wakes a parked Fetch on append and still keeps order with requests behind it', async () => {
    const conn = await RawConnection.open(broker.host, broker.port);
    try {
      await conn.write(Buffer.concat([requestFrame(API_KEYS.Fetch, 4, 200, fetchV4Body('pipe', 1n, 20_000)), requestFrame(API_KEYS.ApiVersions, 0, 201)]));
      await new Promise((r) => setTimeout(r, 200));
      expect((await conn.outcome(0)).frames).toHaveLength(0);
      await kcat(['-P', '-b', `${broker.host}:${broker.port}`, '-t', 'pipe', '-p', '0'], 60_000, 'second\n');
      const out = await conn.outcome(15_000, 2);
      expect(out.frames.map((f) => f.readInt32BE(0))).toEqual([200, 201]);
      // The Fetch response carries the appended record's bytes.
      expect(out.frames[0]!.includes(Buffer.from('second'))).toBe(true);
    } finally {
      conn.destroy();
    }
  });
});
