// Acceptance: hostile bytes on raw sockets (garbage, a truncated frame, a 2 GB length prefix, an
// unknown API key, bad versions) get a clean error or a closed connection, while a concurrent kcat
// consumer session keeps receiving messages and the broker process stays up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { API_KEYS, parseApiVersionsV0, requestFrame } from '../src/kafka-frames';
import { kcat, kcatMetadata, KcatTail } from '../src/kcat';
import { RawConnection, type Outcome } from '../src/raw-connection';
import { makeTempDir, removeDir } from '../src/temp-dir';

function seededBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function lengthPrefix(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

/** Clean outcome: the broker closed the connection, or answered the given correlation id. */
function cleanlyRejected(out: Outcome, correlationId?: number): boolean {
  if (out.closedByBroker) return true;
  return correlationId !== undefined && out.frames.some((f) => f.length >= 4 && f.readInt32BE(0) === correlationId);
}

describe('bad input on raw sockets', () => {
  let dataDir: string;
  let broker: BrokerProcess;
  let tail: KcatTail;

  beforeAll(async () => {
    dataDir = await makeTempDir('bad-input');
    broker = await BrokerProcess.start({ dataDir });
    await kcat(['-P', '-b', broker.bootstrap, '-t', 'live'], 60_000, 'before-1\nbefore-2\n');
    tail = KcatTail.start(broker.bootstrap, 'live');
    expect(await tail.waitFor((o) => o.includes('before-2'), 60_000)).toBe(true);
  });

  afterAll(async () => {
    await tail?.stop();
    await broker?.kill();
    await removeDir(dataDir);
  });

  const cases: { name: string; send: (c: RawConnection) => Promise<Outcome> }[] = [
    {
      name: 'pure garbage (random length prefix)',
      send: async (c) => {
        await c.write(Buffer.concat([Buffer.from([0x5a, 0x13, 0xc7, 0x01]), seededBytes(4096, 1)]));
        c.endWrites();
        return c.outcome(15_000);
      },
    },
    {
      name: 'a well-framed request of random bytes',
      send: async (c) => {
        await c.write(Buffer.concat([lengthPrefix(64), seededBytes(64, 2)]));
        return c.outcome(15_000);
      },
    },
    {
      name: 'a Produce v7 header followed by a garbage body',
      send: async (c) => {
        await c.write(requestFrame(API_KEYS.Produce, 7, 501, seededBytes(40, 3)));
        return c.outcome(15_000);
      },
    },
    {
      name: 'a truncated frame, then the client closes',
      send: async (c) => {
        const full = requestFrame(API_KEYS.Metadata, 1, 502, Buffer.alloc(4));
        const lying = Buffer.concat([lengthPrefix(1_000), full.subarray(4)]);
        await c.write(lying);
        c.endWrites();
        return c.outcome(15_000);
      },
    },
    {
      name: 'a 2 GB length prefix',
      send: async (c) => {
        await c.write(Buffer.concat([lengthPrefix(0x7fff_ffff), requestFrame(API_KEYS.Metadata, 1, 503).subarray(4)]));
        return c.outcome(15_000);
      },
    },
    {
      name: 'a negative length prefix',
      send: async (c) => {
        await c.write(Buffer.concat([lengthPrefix(0xffff_fff0), seededBytes(32, 4)]));
        return c.outcome(15_000);
      },
    },
    {
      name: 'an unknown API key',
      send: async (c) => {
        await c.write(requestFrame(31_000, 0, 504));
        return c.outcome(15_000);
      },
    },
    {
      name: 'a known API at an unsupported version',
      send: async (c) => {
        await c.write(requestFrame(API_KEYS.Metadata, 999, 505));
        return c.outcome(15_000);
      },
    },
  ];

  it('rejects every bad input cleanly, all at once, without disturbing a live kcat consumer', async () => {
    const rssBefore = broker.rssBytes();
    const conns = await Promise.all(cases.map(() => RawConnection.open(broker.host, broker.port)));
    const outcomes = await Promise.all(cases.map((c, i) => c.send(conns[i]!)));
    for (const conn of conns) conn.destroy();
    const ids: (number | undefined)[] = [undefined, seededBytes(64, 2).readInt32BE(4), 501, undefined, undefined, undefined, 504, 505];
    const summary = cases.map((c, i) => ({ case: c.name, clean: cleanlyRejected(outcomes[i]!, ids[i]) }));
    expect(summary).toEqual(cases.map((c) => ({ case: c.name, clean: true })));

    // The 2 GB prefix must not have been allocated.
    expect(broker.isAlive()).toBe(true);
    expect(broker.rssBytes() - rssBefore).toBeLessThan(256 * 1024 * 1024);

    // The concurrent kcat session still gets new messages, and fresh sessions work.
    await kcat(['-P', '-b', broker.bootstrap, '-t', 'live'], 60_000, 'after-1\nafter-2\n');
    expect(await tail.waitFor((o) => o.includes('after-2'), 60_000)).toBe(true);
    expect(tail.isRunning()).toBe(true);
    const md = await kcatMetadata(broker.bootstrap);
    expect(md.topics.map((t) => t.topic)).toContain('live');
  });

  it('answers ApiVersions at an unsupported version with UNSUPPORTED_VERSION and its API list (KIP-511)', async () => {
    const conn = await RawConnection.open(broker.host, broker.port);
    try {
      await conn.write(requestFrame(API_KEYS.ApiVersions, 127, 601));
      const out = await conn.outcome(15_000);
      expect(out.frames.length).toBe(1);
      const res = parseApiVersionsV0(out.frames[0]!);
      expect(res.correlationId).toBe(601);
      expect(res.errorCode).toBe(35);
      expect(res.apis.get(API_KEYS.ApiVersions)).toBeDefined();
      // The connection stays usable: a supported request on it is answered.
      await conn.write(requestFrame(API_KEYS.ApiVersions, 0, 602));
      const next = await conn.outcome(15_000, 2);
      expect(next.frames.length).toBe(2);
      expect(parseApiVersionsV0(next.frames[1]!).correlationId).toBe(602);
      expect(parseApiVersionsV0(next.frames[1]!).errorCode).toBe(0);
    } finally {
      conn.destroy();
    }
  });

  it('keeps serving a connection that sent an unknown API key only if it answered it', async () => {
    const conn = await RawConnection.open(broker.host, broker.port);
    try {
      await conn.write(requestFrame(31_000, 0, 701));
      const out = await conn.outcome(15_000);
      if (out.closedByBroker) return; // Kafka's own choice: close the connection.
      expect(out.frames[0]!.readInt32BE(0)).toBe(701);
      await conn.write(requestFrame(API_KEYS.ApiVersions, 0, 702));
      const next = await conn.outcome(15_000, 2);
      expect(next.frames[1]?.readInt32BE(0)).toBe(702);
    } finally {
      conn.destroy();
    }
    expect(broker.isAlive()).toBe(true);
  });
});
