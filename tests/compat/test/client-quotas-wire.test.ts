// Client quotas on the wire (issue 18): AlterClientQuotas / DescribeClientQuotas v0 by hand-built
// frames — bad input answered per entry with INVALID_REQUEST, validate_only stores nothing, quotas
// survive a restart; a Produce v7 over producer_byte_rate carries throttle_time_ms and the
// connection is muted after the response (KIP-219); a Fetch v8 over consumer_byte_rate answers
// without records; max.connections.per.ip refuses the extra connection and the broker stays healthy.
import { buildRecordBatch } from '@mq/records';
import { startBroker } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestFrame } from '../src/kafka-frames';
import {
  alterClientQuotasV0,
  describeClientQuotasV0,
  fetchV8ThrottleAndTopics,
  parseAlterClientQuotasV0,
  parseDescribeClientQuotasV0,
  produceV7ThrottleMs,
} from '../src/quota-frames';
import { RawConnection } from '../src/raw-connection';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { int16, int32, int64, str } from '../src/wire-bytes';
import { metricValue, parsePrometheus } from '../src/prometheus-text';

type Broker = Awaited<ReturnType<typeof startBroker>>;
const INVALID_REQUEST = 42;

async function roundTrip(b: Broker, frame: Buffer): Promise<Buffer> {
  const c = await RawConnection.open(b.host, b.port);
  try {
    await c.write(frame);
    const out = await c.outcome(10_000);
    expect(out.closedByBroker).toBe(false);
    expect(out.frames).toHaveLength(1);
    return out.frames[0]!;
  } finally {
    c.destroy();
  }
}

const alter = async (b: Broker, entries: Parameters<typeof alterClientQuotasV0>[1], validateOnly = false) =>
  parseAlterClientQuotasV0(await roundTrip(b, alterClientQuotasV0(1, entries, validateOnly)));
const describeAll = async (b: Broker) => parseDescribeClientQuotasV0(await roundTrip(b, describeClientQuotasV0(2, [], false)));

/** Produce v7 (the v3 layout; throttle_time_ms at the end of the response), acks -1, one batch. */
function produceV7(correlationId: number, clientId: string, topic: string, batch: Buffer): Buffer {
  const body = Buffer.concat([int16(-1), int16(-1), int32(30_000), int32(1), str(topic), int32(1), int32(0), int32(batch.length), batch]);
  return requestFrame(0, 7, correlationId, body, clientId);
}

/** Fetch v8 of partition 0 from `offset`, max_wait 0. */
function fetchV8(correlationId: number, clientId: string, topic: string, offset: bigint): Buffer {
  const body = Buffer.concat([
    int32(-1), int32(0), int32(1), int32(50 * 1024 * 1024), Buffer.from([0]), int32(0), int32(-1),
    int32(1), str(topic), int32(1), int32(0), int64(offset), int64(-1n), int32(10 * 1024 * 1024),
    int32(0),
  ]);
  return requestFrame(1, 8, correlationId, body, clientId);
}

describe('AlterClientQuotas / DescribeClientQuotas', () => {
  let dir: string;
  let broker: Broker;

  beforeAll(async () => {
    dir = await makeTempDir('quotas');
    broker = await startBroker({ dataDir: dir });
  });
  afterAll(async () => {
    await broker?.stop();
    await removeDir(dir);
  });

  it('refuses bad entries one by one with INVALID_REQUEST and a message, and stores the good one', async () => {
    const res = await alter(broker, [
      { entity: [{ entityType: 'user', entityName: 'alice' }], ops: [{ key: 'bogus_rate', value: 1 }] },
      { entity: [{ entityType: 'user', entityName: 'bob' }], ops: [{ key: 'producer_byte_rate', value: -100 }] },
      { entity: [{ entityType: 'group', entityName: 'g' }], ops: [{ key: 'producer_byte_rate', value: 100 }] },
      { entity: [], ops: [{ key: 'producer_byte_rate', value: 100 }] },
      { entity: [{ entityType: 'ip', entityName: 'not-an-address' }], ops: [{ key: 'connection_creation_rate', value: 5 }] },
      { entity: [{ entityType: 'user', entityName: 'carol' }, { entityType: 'client-id', entityName: null }], ops: [{ key: 'producer_byte_rate', value: 1_048_576 }] },
    ]);
    expect(res.entries.map((e) => e.errorCode)).toEqual([INVALID_REQUEST, INVALID_REQUEST, INVALID_REQUEST, INVALID_REQUEST, INVALID_REQUEST, 0]);
    expect(res.entries[0]!.errorMessage).toMatch(/bogus_rate/);
    expect(res.entries[1]!.errorMessage).toMatch(/greater than 0/);
    const d = await describeAll(broker);
    expect(d.errorCode).toBe(0);
    expect(d.entries).toEqual([
      { entity: [{ entityType: 'user', entityName: 'carol' }, { entityType: 'client-id', entityName: null }], values: { producer_byte_rate: 1_048_576 } },
    ]);
  });

  it('validate_only checks without storing; remove takes a key away', async () => {
    const checked = await alter(broker, [{ entity: [{ entityType: 'client-id', entityName: 'x' }], ops: [{ key: 'consumer_byte_rate', value: 5000 }] }], true);
    expect(checked.entries[0]!.errorCode).toBe(0);
    expect((await describeAll(broker)).entries).toHaveLength(1);
    await alter(broker, [{ entity: [{ entityType: 'client-id', entityName: null }], ops: [{ key: 'request_percentage', value: 50.5 }, { key: 'consumer_byte_rate', value: 7000 }] }]);
    await alter(broker, [{ entity: [{ entityType: 'client-id', entityName: null }], ops: [{ key: 'request_percentage', value: 0, remove: true }] }]);
    const d = await describeAll(broker);
    expect(d.entries).toContainEqual({ entity: [{ entityType: 'client-id', entityName: null }], values: { consumer_byte_rate: 7000 } });
  });

  it('a bad filter is an INVALID_REQUEST with null entries; strict and exact filters select', async () => {
    const bad = parseDescribeClientQuotasV0(await roundTrip(broker, describeClientQuotasV0(3, [{ entityType: 'topic', matchType: 0, match: 't' }], false)));
    expect(bad.errorCode).toBe(INVALID_REQUEST);
    expect(bad.entries).toBeNull();
    const carol = parseDescribeClientQuotasV0(await roundTrip(broker, describeClientQuotasV0(4, [{ entityType: 'user', matchType: 0, match: 'carol' }], true)));
    expect(carol.entries).toEqual([]);
    const loose = parseDescribeClientQuotasV0(await roundTrip(broker, describeClientQuotasV0(5, [{ entityType: 'user', matchType: 0, match: 'carol' }], false)));
    expect(loose.entries).toHaveLength(1);
  });

  it('quotas survive a restart (meta/entries.json)', async () => {
    const before = (await describeAll(broker)).entries;
    await broker.stop();
    broker = await startBroker({ dataDir: dir });
    expect((await describeAll(broker)).entries).toEqual(before);
  });
});

describe('throttling on the wire', () => {
  let broker: Broker;
  const topic = 'throttled';
  const fetched = 'fetched';

  beforeAll(async () => {
    broker = await startBroker({ http: { port: 0 } });
    const kafka = new Kafka({ clientId: 'setup', brokers: [`${broker.host}:${broker.port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }, { topic: fetched, numPartitions: 1 }] });
    await admin.disconnect();
    // 20 batches of ~10 kB each for the fetch test (sent one by one: one batch each).
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 20; i++) await producer.send({ topic: fetched, messages: [{ value: randomBytes(10_000) }] });
    await producer.disconnect();
    // 8 000 B/s: a 100 kB produce over the padded 10 s window is 10 000 B/s, 25 % over → 2.5 s.
    const res = await alter(broker, [
      { entity: [{ entityType: 'client-id', entityName: 'raw-producer' }], ops: [{ key: 'producer_byte_rate', value: 8000 }] },
      { entity: [{ entityType: 'client-id', entityName: 'raw-consumer' }], ops: [{ key: 'consumer_byte_rate', value: 8000 }] },
    ]);
    expect(res.entries.map((e) => e.errorCode)).toEqual([0, 0]);
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('Produce v7 over producer_byte_rate gets throttle_time_ms, and the connection reads nothing more until it passed', async () => {
    const batch = await buildRecordBatch({ records: [{ key: null, value: randomBytes(100_000) }] });
    const c = await RawConnection.open(broker.host, broker.port);
    try {
      await c.write(produceV7(1, 'raw-producer', topic, batch));
      const first = await c.outcome(10_000, 1);
      const throttleMs = produceV7ThrottleMs(first.frames[0]!);
      // (100 091 B / 10 s − 8000) / 8000 × 10 s, give or take the ms between sensor and record.
      expect(throttleMs).toBeGreaterThan(2300);
      expect(throttleMs).toBeLessThan(2700);
      const sentAt = performance.now();
      await c.write(requestFrame(18, 0, 2, Buffer.alloc(0), 'raw-producer'));
      const second = await c.outcome(10_000, 2);
      expect(second.frames).toHaveLength(2);
      // Muted: the ApiVersions request waited in the socket for (nearly) the whole throttle time.
      expect(performance.now() - sentAt).toBeGreaterThan(throttleMs * 0.8);
    } finally {
      c.destroy();
    }
  });

  it('a client without a quota on the same broker is not throttled', async () => {
    const batch = await buildRecordBatch({ records: [{ key: null, value: randomBytes(100_000) }] });
    const frame = await roundTrip(broker, produceV7(1, 'free-producer', topic, batch));
    expect(produceV7ThrottleMs(frame)).toBe(0);
  });

  it('Fetch v8 over consumer_byte_rate gets throttle_time_ms and no records', async () => {
    const c = await RawConnection.open(broker.host, broker.port);
    try {
      // The quota window allows 80 000 B per response: the first fetch is sized down to 7 batches
      // (~70 kB, within the quota), the second takes the client over and is answered empty.
      await c.write(fetchV8(1, 'raw-consumer', fetched, 0n));
      const firstFrame = (await c.outcome(10_000, 1)).frames[0]!;
      const first = fetchV8ThrottleAndTopics(firstFrame);
      expect(first).toEqual({ throttleTimeMs: 0, topics: 1 });
      expect(firstFrame.length).toBeGreaterThan(60_000);
      expect(firstFrame.length).toBeLessThan(80_000);
      await c.write(fetchV8(2, 'raw-consumer', fetched, 7n));
      const second = fetchV8ThrottleAndTopics((await c.outcome(10_000, 2)).frames[1]!);
      expect(second.throttleTimeMs).toBeGreaterThan(5000);
      expect(second.topics).toBe(0);
    } finally {
      c.destroy();
    }
  });

  it('/metrics counts the throttles and shows each throttled client beside its quota', async () => {
    const samples = parsePrometheus(await (await fetch(`http://127.0.0.1:${broker.http!.port}/metrics`)).text());
    const produce = { quota: 'producer_byte_rate' };
    const consume = { quota: 'consumer_byte_rate' };
    expect(metricValue(samples, 'mq_quota_throttled_requests_total', produce)).toBe(1);
    expect(metricValue(samples, 'mq_quota_throttle_time_seconds_total', produce)).toBeGreaterThan(2.3);
    expect(metricValue(samples, 'mq_quota_throttled_requests_total', consume)).toBe(1);
    expect(metricValue(samples, 'mq_quota_throttled_requests_total', { quota: 'request_percentage' })).toBe(0);
    const producer = { ...produce, user: '', client_id: 'raw-producer' };
    expect(metricValue(samples, 'mq_quota_limit', producer)).toBe(8000);
    // Its rate is there while the sensor lives (an hour); its value depends on how long ago the produce was.
    expect(samples.filter((x) => x.name === 'mq_quota_rate' && x.labels.client_id === 'raw-producer' && x.labels.quota === 'producer_byte_rate')).toHaveLength(1);
    // The unthrottled client has no quota, so no sensor.
    expect(samples.some((x) => x.labels.client_id === 'free-producer')).toBe(false);
  });
});

describe('max.connections.per.ip', () => {
  it('closes the connection past the limit and keeps serving the others', async () => {
    await using broker = await startBroker({ config: { maxConnectionsPerIp: 2 } });
    const a = await RawConnection.open(broker.host, broker.port);
    const b = await RawConnection.open(broker.host, broker.port);
    const extra = await RawConnection.open(broker.host, broker.port);
    try {
      const refused = await extra.outcome(5_000);
      expect(refused.closedByBroker).toBe(true);
      await a.write(requestFrame(18, 0, 1));
      expect((await a.outcome(5_000)).frames).toHaveLength(1);
      b.destroy();
      // Once one closes, a new connection is accepted again.
      let again: RawConnection | undefined;
      for (let i = 0; i < 50; i++) {
        again = await RawConnection.open(broker.host, broker.port);
        await again.write(requestFrame(18, 0, 1));
        const o = await again.outcome(2_000);
        if (o.frames.length === 1) break;
        again.destroy();
        again = undefined;
      }
      expect(again).toBeDefined();
      again?.destroy();
    } finally {
      a.destroy();
      b.destroy();
      extra.destroy();
    }
  });
});
