// Acceptance: 20,000 random but well-formed requests — every advertised API key at every advertised
// version, bodies drawn from the schema with hostile values (see src/random-request.ts) — pipelined
// over 8 raw connections to a real broker process. The broker must answer them (or close only the
// offending connection), never log a response it could not encode, and afterwards still serve a
// fresh client and stop cleanly on SIGTERM. Seeded: a failure names the seed that reproduces it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { ApiKey, apiSchema, decodeResponse, encodeRequest } from '@mq/protocol';
import { BrokerProcess } from '../src/broker-process';
import { parseApiVersionsV0, requestFrame } from '../src/kafka-frames';
import { body, Rng, type RequestPools } from '../src/random-request';
import { RawConnection } from '../src/raw-connection';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const SEED = Number(process.env.MQ_FUZZ_SEED ?? 20261201);
const FRAMES = Number(process.env.MQ_FUZZ_FRAMES ?? 20_000);
/** Narrow the run to some API keys (comma-separated) when bisecting a failure. */
const ONLY_APIS = process.env.MQ_FUZZ_APIS?.split(',').map(Number);
const CONNECTIONS = 8;
const BATCH = 50;
/** A batch with no new answer for this long holds a parked request (a fetch long poll, a rebalance): move on. */
const BATCH_DEADLINE_MS = 3_000;
const ZERO_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

interface Frame {
  apiKey: number;
  version: number;
  correlationId: number;
  bytes: Buffer;
  expectsResponse: boolean;
}

interface Tally {
  answered: number;
  /** Connections the broker closed (why is in its log: see closeReasons). */
  closed: number;
  /** Responses whose correlation id was not the next one expected on their connection. */
  outOfOrder: number;
  parkedBatches: number;
  /** API key/version of the first unanswered request of each parked batch. */
  parkedAt: string[];
}

async function request(broker: BrokerProcess, apiKey: number, version: number, payload: object): Promise<Record<string, unknown>> {
  const c = await RawConnection.open(broker.host, broker.port);
  try {
    await c.write(encodeRequest(apiKey, version, { correlationId: 1, clientId: 'fuzz-setup' }, payload as never));
    const out = await c.outcome(10_000);
    if (out.frames.length === 0) throw new Error(`no answer to API ${apiKey} v${version}`);
    return decodeResponse(apiKey, version, out.frames[0]!).body as Record<string, unknown>;
  } finally {
    c.destroy();
  }
}

/** The broker's reasons for closing connections, counted, with numbers masked so they group. */
function closeReasons(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of lines) {
    if (!line.includes('closing connection')) continue;
    const { reason, msg } = JSON.parse(line) as { reason?: string; msg: string };
    const key = `${msg}: ${(reason ?? '').replace(/\d+/g, 'N').slice(0, 120)}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

async function runWorker(broker: BrokerProcess, frames: Frame[], tally: Tally): Promise<void> {
  let c = await RawConnection.open(broker.host, broker.port);
  let wanted = 0;
  // Correlation ids in the order their responses must arrive on this connection.
  let order: number[] = [];
  for (let i = 0; i < frames.length; i += BATCH) {
    const batch = frames.slice(i, i + BATCH);
    await c.write(Buffer.concat(batch.map((f) => f.bytes)));
    const expected = batch.filter((f) => f.expectsResponse).length;
    for (const f of batch) if (f.expectsResponse) order.push(f.correlationId);
    let out = await c.outcome(BATCH_DEADLINE_MS, wanted + expected);
    // A loaded machine answers slowly but steadily: only a batch that stops making progress for a
    // whole deadline counts as parked, so the share answered does not depend on the machine's load.
    while (!out.closedByBroker && out.frames.length < wanted + expected) {
      const before = out.frames.length;
      out = await c.outcome(BATCH_DEADLINE_MS, wanted + expected);
      if (out.frames.length === before) break;
    }
    const got = out.frames.length - wanted;
    tally.answered += Math.min(got, expected);
    for (let j = wanted; j < Math.min(out.frames.length, wanted + expected); j++) {
      if (out.frames[j]!.readInt32BE(0) !== order[j]) tally.outOfOrder++;
    }
    wanted += expected;
    if (out.frames.length >= wanted && !out.closedByBroker) continue;
    if (out.closedByBroker) {
      tally.closed++;
    } else {
      tally.parkedBatches++;
      const first = batch.filter((f) => f.expectsResponse)[out.frames.length - (wanted - expected)];
      if (first !== undefined) tally.parkedAt.push(`${first.apiKey}v${first.version}`);
    }
    c.destroy();
    c = await RawConnection.open(broker.host, broker.port);
    wanted = 0;
    order = [];
  }
  c.destroy();
}

describe('random well-formed requests for every API and version', () => {
  let dataDir: string;
  let broker: BrokerProcess;

  beforeAll(async () => {
    dataDir = await makeTempDir('fuzz-every-api');
    const configFile = join(dataDir, 'broker.json');
    // No initial rebalance delay, so random JoinGroups answer at once instead of parking 3 s; no
    // fsync per produce, so the run measures request handling rather than the disk.
    await writeFile(configFile, JSON.stringify({ 'group.initial.rebalance.delay.ms': 0, 'log.flush.interval.messages': 1_000_000 }));
    broker = await BrokerProcess.start({ dataDir: join(dataDir, 'data'), configFile });
  });

  afterAll(async () => {
    await broker?.kill();
    await removeDir(dataDir);
  });

  it(`keeps serving after ${FRAMES} frames (seed ${SEED})`, async () => {
    const created = (await request(broker, ApiKey.CreateTopics, 5, {
      topics: ['fz-a', 'fz-b'].map((name) => ({ name, numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] })),
      timeoutMs: 1000,
      validateOnly: false,
    })) as { topics: { topicId: string }[] };
    const batch = await buildRecordBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v') }] });
    const pools: RequestPools = {
      strings: ['fz-a', 'fz-b', 'fz-a', 'group-1', 'member-1', '', '.', '..', 'x'.repeat(250), 'bad name', 'retention.ms', 'cleanup.policy', '0', 'range', 'consumer'],
      uuids: [ZERO_ID, ...created.topics.map((t) => t.topicId)],
      batches: [batch],
    };

    const probe = await RawConnection.open(broker.host, broker.port);
    await probe.write(requestFrame(ApiKey.ApiVersions, 0, 1));
    const advertised = parseApiVersionsV0((await probe.outcome(10_000)).frames[0]!).apis;
    probe.destroy();

    const rng = new Rng(SEED);
    const pairs = [...advertised].filter(([apiKey]) => ONLY_APIS === undefined || ONLY_APIS.includes(apiKey)).flatMap(([apiKey, r]) => Array.from({ length: r.max - r.min + 1 }, (_, i) => ({ apiKey, version: r.min + i })));
    const frames: Frame[] = [];
    for (let n = 0; n < FRAMES; n++) {
      const { apiKey, version } = pairs[n % pairs.length]!;
      const schema = apiSchema(apiKey)!.schema;
      const b = body(rng, schema.request.fields, version, pools);
      const correlationId = n + 2;
      const bytes = encodeRequest(apiKey, version, { correlationId, clientId: rng.pick(['fuzz', '', 'c']) }, b as never);
      frames.push({ apiKey, version, correlationId, bytes, expectsResponse: !(apiKey === ApiKey.Produce && b.acks === 0) });
    }
    for (let i = frames.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [frames[i], frames[j]] = [frames[j]!, frames[i]!];
    }

    const tally: Tally = { answered: 0, closed: 0, outOfOrder: 0, parkedBatches: 0, parkedAt: [] };
    const started = Date.now();
    const per = Math.ceil(frames.length / CONNECTIONS);
    await Promise.all(Array.from({ length: CONNECTIONS }, (_, w) => runWorker(broker, frames.slice(w * per, (w + 1) * per), tally)));
    const elapsedMs = Date.now() - started;
    const expected = frames.filter((f) => f.expectsResponse).length;
    console.log(
      `fuzz seed ${SEED}: ${frames.length} frames over ${pairs.length} API versions in ${elapsedMs} ms; ` +
        `${tally.answered}/${expected} answered, ${tally.parkedBatches} batches parked (at ${tally.parkedAt.join(', ') || '-'}), ${tally.closed} connections closed by the broker: ` +
        JSON.stringify(closeReasons(broker.logLines)),
    );

    expect(broker.isAlive()).toBe(true);
    const errors = broker.logLines.filter((l) => /"level":(50|60)/.test(l));
    expect(errors.filter((l) => l.includes('could not be encoded')), 'unencodable responses').toEqual([]);
    expect(errors.slice(0, 5), 'error-level log lines').toEqual([]);
    // A clean, fresh client is served: every request above was contained to its own connection.
    // (Random DeleteTopics may have removed fz-a / fz-b and random names auto-created others.)
    const after = (await request(broker, ApiKey.Metadata, 12, { topics: [{ name: 'fz-after', topicId: ZERO_ID }], allowAutoTopicCreation: true })) as {
      topics: { name: string; errorCode: number }[];
    };
    expect(after.topics.map((t) => [t.name, t.errorCode])).toEqual([['fz-after', 0]]);
    // With acks=0 left out, nothing here is a reason to close a connection.
    expect(tally.closed).toBe(0);
    // Pipelined responses come back in request order, each with its own correlation id.
    expect(tally.outOfOrder).toBe(0);
    expect(tally.answered).toBeGreaterThan(expected * 0.99);
    expect(await broker.stop()).toBe(0);
  }, 170_000);
});
