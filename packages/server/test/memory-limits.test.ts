// queued.max.request.bytes, max.connections, listener.name.<listener>.max.connections and
// max.connections.per.ip over real sockets: the
// broker stops reading a socket while the budget is spent and resumes when responses are flushed;
// every byte is given back; connections past a limit are closed as they arrive and counted.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { ApiKey } from '@mq/protocol';
import type { BrokerConfig } from '../src/index';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker | undefined;
const clients: RawClient[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of sockets.splice(0)) s.destroy();
  await broker?.stop();
  broker = undefined;
});

async function start(config: Partial<BrokerConfig>): Promise<TestBroker> {
  broker = await startTestBroker({ fetchMaxWaitMsCap: 120_000, ...config });
  return broker;
}

async function client(port: number): Promise<RawClient> {
  const c = await RawClient.connect(port);
  clients.push(c);
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function produceBody(topic: string, records: Buffer) {
  return { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] };
}

function parkedFetchBody(topic: string, maxWaitMs: number) {
  return {
    replicaId: -1,
    maxWaitMs,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, currentLeaderEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
    forgottenTopicsData: [],
    rackId: '',
  };
}

/** Opens a raw socket (optionally from another loopback address); resolves with it and whether the broker closed it at once. */
function openSocket(port: number, localAddress?: string): Promise<{ socket: Socket; closedSoon: Promise<boolean> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...(localAddress !== undefined ? { localAddress } : {}) }, () => {
      const closedSoon = new Promise<boolean>((done) => {
        const t = setTimeout(() => done(false), 500);
        socket.once('close', () => {
          clearTimeout(t);
          done(true);
        });
      });
      resolve({ socket, closedSoon });
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
    sockets.push(socket);
  });
}

describe('queued.max.request.bytes', () => {
  it('stops reading a connection while its unanswered requests hold the budget, resumes when they are answered', async () => {
    const capacity = 4 << 20;
    const maxRequest = 1 << 20;
    const b = await start({ queuedMaxRequestBytes: capacity, socketRequestMaxBytes: maxRequest });
    await b.topics.createTopic('idle', 1);
    await b.topics.createTopic('bulk', 1);
    const c = await client(b.port);
    // A parked long poll first: the produces behind it are appended but cannot be answered (responses
    // go out in order), so their frames stay in flight — the "128 in-flight 1 MB produces" flood.
    const parked = c.prepare(ApiKey.Fetch, 11, parkedFetchBody('idle', 60_000));
    const batch = await buildRecordBatch({ records: [{ key: null, value: randomBytes(900_000) }] });
    const produces = Array.from({ length: 12 }, () => c.prepare(ApiKey.Produce, 7, produceBody('bulk', batch)));
    c.writeRaw(Buffer.concat([parked.bytes, ...produces.map((p) => p.bytes)]));
    const bulk = b.topics.partition('bulk', 0);
    await until('the budget to be spent', () => b.server.queuedRequestBytes >= capacity);
    await sleep(300);
    // Reading stopped: not every produce was even read, and what is held stays within the budget
    // plus the one frame that was arriving when it ran out (and one socket chunk).
    const appendedWhilePaused = bulk.highWatermark;
    expect(appendedWhilePaused).toBeLessThan(12n);
    expect(b.server.queuedRequestBytes).toBeLessThanOrEqual(capacity + maxRequest + 65_536);
    // Wake the long poll: responses flush, memory comes back, the connection reads the rest.
    await b.topics.partition('idle', 0).append(await buildRecordBatch({ records: [{ key: null, value: Buffer.from('wake') }] }));
    await parked.response;
    const answers = (await Promise.all(produces.map((p) => p.response))) as { responses: { partitionResponses: { errorCode: number }[] }[] }[];
    expect(answers.map((a) => a.responses[0]!.partitionResponses[0]!.errorCode)).toEqual(new Array(12).fill(0));
    expect(bulk.highWatermark).toBe(12n);
    await until('every byte to be given back', () => b.server.queuedRequestBytes === 0);
  }, 30_000);

  it('gives back the bytes of a connection that closes with requests in flight and half a frame', async () => {
    const b = await start({ queuedMaxRequestBytes: 8 << 20 });
    await b.topics.createTopic('idle', 1);
    const c = await client(b.port);
    const parked = c.prepare(ApiKey.Fetch, 11, parkedFetchBody('idle', 60_000));
    const unanswered = parked.response.catch(() => 'closed');
    const half = Buffer.alloc(10_000);
    half.writeInt32BE(50_000, 0);
    c.writeRaw(Buffer.concat([parked.bytes, half]));
    await until('the bytes to be charged', () => b.server.queuedRequestBytes >= parked.bytes.length + half.length);
    c.close();
    expect(await unanswered).toBe('closed');
    await until('every byte to be given back', () => b.server.queuedRequestBytes === 0);
  });

  it('a Fetch reads less when the budget is short, and nothing past it', async () => {
    // 2 MiB budget; a parked long poll + 1 MB-ish produces behind it hold most of it.
    const b = await start({ queuedMaxRequestBytes: 2 << 20, socketRequestMaxBytes: 1 << 20 });
    await b.topics.createTopic('idle', 1);
    await b.topics.createTopic('data', 1);
    const writer = await client(b.port);
    const batch = await buildRecordBatch({ records: [{ key: null, value: randomBytes(600_000) }] });
    for (let i = 0; i < 3; i++) await writer.send(ApiKey.Produce, 7, produceBody('data', batch));
    const holder = await client(b.port);
    const parked = holder.prepare(ApiKey.Fetch, 11, parkedFetchBody('idle', 60_000));
    const held = holder.prepare(ApiKey.Produce, 7, produceBody('data', batch));
    holder.writeRaw(Buffer.concat([parked.bytes, held.bytes]));
    await until('the produce to be held', () => b.topics.partition('data', 0).highWatermark === 4n);
    const free = (2 << 20) - b.server.queuedRequestBytes;
    const reader = await client(b.port);
    const body = { ...parkedFetchBody('data', 0), maxBytes: 0x7fffffff };
    body.topics[0]!.partitions[0]!.partitionMaxBytes = 0x7fffffff;
    const res = (await reader.send(ApiKey.Fetch, 11, body)) as { responses: { partitions: { records: Buffer }[] }[] };
    const got = res.responses[0]!.partitions[0]!.records.length;
    // Four batches are stored and asked for; only those that fit in what was free are read.
    expect(got).toBeLessThanOrEqual(free);
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(4 * batch.length);
    await b.topics.partition('idle', 0).append(await buildRecordBatch({ records: [{ key: null, value: Buffer.from('wake') }] }));
    await Promise.all([parked.response, held.response]);
    await until('every byte to be given back', () => b.server.queuedRequestBytes === 0);
  });

  it('a first batch larger than partition_max_bytes still goes out when max.message.bytes exceeds the whole budget', async () => {
    const b = await start({ queuedMaxRequestBytes: 1 << 20, socketRequestMaxBytes: 1 << 20 });
    await b.topics.createTopic('huge', 1, { 'max.message.bytes': '5000000' });
    const c = await client(b.port);
    const batch = await buildRecordBatch({ records: [{ key: null, value: randomBytes(900_000) }] });
    await c.send(ApiKey.Produce, 7, produceBody('huge', batch));
    const body = parkedFetchBody('huge', 0);
    body.topics[0]!.partitions[0]!.partitionMaxBytes = 1_000;
    const res = (await c.send(ApiKey.Fetch, 11, body)) as { responses: { partitions: { records: Buffer }[] }[] };
    expect(res.responses[0]!.partitions[0]!.records.length).toBe(batch.length);
    await until('every byte to be given back', () => b.server.queuedRequestBytes === 0);
  });
});

describe('max.connections and max.connections.per.ip', () => {
  it('closes connections past max.connections at once, counts them, and accepts again when one closes', async () => {
    const b = await start({ maxConnections: 2 });
    const first = await openSocket(b.port);
    const second = await openSocket(b.port);
    const third = await openSocket(b.port);
    expect(await third.closedSoon).toBe(true);
    expect(b.server.rejectedConnections).toBe(1);
    expect(b.server.connectionCount).toBe(2);
    first.socket.destroy();
    await until('the closed connection to be released', () => b.server.connectionCount === 1);
    const fourth = await openSocket(b.port);
    expect(await fourth.closedSoon).toBe(false);
    expect(await second.closedSoon).toBe(false);
    const c = await client(b.port).catch(() => undefined);
    if (c !== undefined) await c.closed;
    expect(b.server.rejectedConnections).toBe(2);
  });

  it('counts max.connections.per.ip per remote address', async () => {
    const b = await start({ maxConnectionsPerIp: 1 });
    const a1 = await openSocket(b.port, '127.0.0.1');
    const a2 = await openSocket(b.port, '127.0.0.1');
    const other = await openSocket(b.port, '127.0.0.2');
    expect(await a2.closedSoon).toBe(true);
    expect(await other.closedSoon).toBe(false);
    expect(await a1.closedSoon).toBe(false);
    expect(b.server.rejectedConnections).toBe(1);
    const served = await client(b.port).catch(() => undefined);
    if (served !== undefined) await served.closed;
    a1.socket.destroy();
    await until('the address to be released', () => b.server.connectionCount === 1);
    const c = await client(b.port);
    expect(((await c.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
  });

  it('listener.name.<listener>.max.connections closes the listener’s connections past it and counts them per listener', async () => {
    const b = await start({ listenerMaxConnections: { plaintext: 1 } });
    const first = await openSocket(b.port);
    const second = await openSocket(b.port);
    expect(await second.closedSoon).toBe(true);
    expect(await first.closedSoon).toBe(false);
    expect(b.server.rejectedConnections).toBe(1);
    expect(b.server.listenerConnections()).toEqual([{ listener: 'PLAINTEXT', open: 1, rejected: 1, limit: 1 }]);
    first.socket.destroy();
    await until('the listener slot to be released', () => b.server.listenerConnections()[0]!.open === 0);
    const c = await client(b.port);
    expect(((await c.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
  });

  it('max.connections.per.ip.overrides gives one address its own limit', async () => {
    const b = await start({ maxConnectionsPerIp: 1, maxConnectionsPerIpOverrides: '127.0.0.3:2' });
    const o1 = await openSocket(b.port, '127.0.0.3');
    const o2 = await openSocket(b.port, '127.0.0.3');
    const o3 = await openSocket(b.port, '127.0.0.3');
    expect(await o1.closedSoon).toBe(false);
    expect(await o2.closedSoon).toBe(false);
    expect(await o3.closedSoon).toBe(true);
    const a1 = await openSocket(b.port, '127.0.0.1');
    const a2 = await openSocket(b.port, '127.0.0.1');
    expect(await a1.closedSoon).toBe(false);
    expect(await a2.closedSoon).toBe(true);
    expect(b.server.rejectedConnections).toBe(2);
  });

  it('max.connection.creation.rate serves the connection past it later, not never', async () => {
    // 1 per second over the padded 10 s window: the 11th connection at once is 10 % over → ~1 s wait.
    const b = await start({ maxConnectionCreationRate: 1 });
    const opened: Socket[] = [];
    for (let i = 0; i < 10; i++) opened.push((await openSocket(b.port, '127.0.0.1')).socket);
    const c = await client(b.port);
    expect(((await c.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
    expect(b.server.rejectedConnections).toBe(0);
    for (const s of opened) s.destroy();
  });
});

describe('connection_creation_rate (ip entities)', () => {
  it('closes a connection from an address over its quota after the throttle time; other addresses are served', async () => {
    const b = await start({});
    const admin = await client(b.port);
    const res = (await admin.send(ApiKey.AlterClientQuotas, 1, {
      entries: [{ entity: [{ entityType: 'ip', entityName: '127.0.0.4' }], ops: [{ key: 'connection_creation_rate', value: 1, remove: false }] }],
      validateOnly: false,
    })) as { entries: { errorCode: number }[] };
    expect(res.entries[0]!.errorCode).toBe(0);
    // 1 per second over the padded 10 s window: ten at once are within it, the eleventh is not.
    const within: Socket[] = [];
    for (let i = 0; i < 10; i++) within.push((await openSocket(b.port, '127.0.0.4')).socket);
    const over = await openSocket(b.port, '127.0.0.4');
    const closed = await new Promise<boolean>((done) => {
      const t = setTimeout(() => done(false), 5_000);
      over.socket.once('close', () => {
        clearTimeout(t);
        done(true);
      });
    });
    expect(closed).toBe(true);
    const other = await openSocket(b.port, '127.0.0.5');
    expect(await other.closedSoon).toBe(false);
    for (const s of within) s.destroy();
  });
});

describe('DescribeConfigs', () => {
  it('lists fetch.max.bytes, queued.max.request.bytes, max.connections and max.connections.per.ip with their values', async () => {
    const b = await start({ fetchMaxBytes: 1_000_000, queuedMaxRequestBytes: 200 << 20, maxConnections: 50, maxConnectionsPerIp: 5 });
    const c = await client(b.port);
    const d = (await c.send(ApiKey.DescribeConfigs, 4, {
      resources: [{ resourceType: 4, resourceName: '0', configurationKeys: null }],
      includeSynonyms: false,
      includeDocumentation: false,
    })) as { results: { errorCode: number; configs: { name: string; value: string }[] }[] };
    const got = new Map(d.results[0]!.configs.map((e) => [e.name, e.value]));
    expect(got.get('fetch.max.bytes')).toBe('1000000');
    expect(got.get('queued.max.request.bytes')).toBe(String(200 << 20));
    expect(got.get('max.connections')).toBe('50');
    expect(got.get('max.connections.per.ip')).toBe('5');
  });
});
