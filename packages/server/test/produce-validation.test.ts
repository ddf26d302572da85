// Produce-time validation over real sockets: corrupt batches (and compression bombs) answered with
// Kafka's codes and never stored, per-record errors (Produce v8+) for null keys on compacted topics and out-of-bounds
// timestamps, Sarama <= 1.22's -1 maxTimestamp restamped (retention keeps the data),
// compression.type recompression, and pipelined idempotent batches kept in order.
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Compression, buildRecordBatch, compress, decodeRecordBatch, readBatchHeader, splitBatches } from '@mq/records';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker;
let c: RawClient;

interface PartitionAnswer {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  recordErrors: { batchIndex: number; batchIndexErrorMessage: string | null }[];
  errorMessage: string | null;
}
type ProduceAnswer = { responses: { partitionResponses: PartitionAnswer[] }[] };
type FetchAnswer = { responses: { partitions: { errorCode: number; highWatermark: bigint; records: Buffer | null }[] }[] };

const CRC_OFFSET = 17;
const MAX_TIMESTAMP_OFFSET = 35;
/** CRC-32C (Castagnoli), bitwise: what a client computes over bytes 21..end of a batch. */
const CRC32C = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const fixCrc = (b: Buffer): Buffer => {
  let crc = 0xffffffff;
  for (let i = 21; i < b.length; i++) crc = CRC32C[(crc ^ b[i]!) & 0xff]! ^ (crc >>> 8);
  b.writeUInt32BE((crc ^ 0xffffffff) >>> 0, CRC_OFFSET);
  return b;
};

function batch(values: (string | null)[], opts: Parameters<typeof buildRecordBatch>[0] extends infer O ? Partial<O> : never = {}): Promise<Buffer> {
  return buildRecordBatch({
    records: values.map((v, i) => ({ key: v === null ? null : Buffer.from(`k${i}`), value: Buffer.from(v ?? 'keyless') })),
    ...opts,
  });
}

function produceBody(topic: string, records: Buffer) {
  return { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] };
}

async function produce(topic: string, records: Buffer, version = 9): Promise<PartitionAnswer> {
  const res = (await c.send(ApiKey.Produce, version, produceBody(topic, records))) as ProduceAnswer;
  return res.responses[0]!.partitionResponses[0]!;
}

async function fetchAll(topic: string): Promise<{ highWatermark: bigint; batches: Buffer[] }> {
  const res = (await c.send(ApiKey.Fetch, 11, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 1,
    maxBytes: 64 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic, partitions: [{ partition: 0, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 64 << 20 }] }],
    forgottenTopicsData: [],
    rackId: '',
  })) as FetchAnswer;
  const p = res.responses[0]!.partitions[0]!;
  expect(p.errorCode).toBe(0);
  return { highWatermark: p.highWatermark, batches: p.records === null ? [] : splitBatches(p.records).batches.map((s) => s.batch) };
}

async function valuesOf(batches: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for (const b of batches) for (const r of (await decodeRecordBatch(b)).records) out.push(r.value!.toString());
  return out;
}

/** A batch whose records section is `payload` under `codec`, with a valid CRC (what a buggy client could send). */
function handBuilt(codec: number, payload: Buffer, count = 1): Buffer {
  const b = Buffer.alloc(61 + payload.length);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt32BE(-1, 12);
  b.writeInt8(2, 16);
  b.writeInt16BE(codec, 21);
  b.writeInt32BE(count - 1, 23);
  b.writeBigInt64BE(BigInt(Date.now()), 27);
  b.writeBigInt64BE(BigInt(Date.now()), 35);
  b.writeBigInt64BE(-1n, 43);
  b.writeInt16BE(-1, 51);
  b.writeInt32BE(-1, 53);
  b.writeInt32BE(count, 57);
  payload.copy(b, 61);
  return fixCrc(b);
}

beforeEach(async () => {
  broker = await startTestBroker();
  c = await RawClient.connect(broker.port);
});

afterEach(async () => {
  c.close();
  await broker.stop();
});

describe('corrupt batches', () => {
  it('are answered with the Kafka error code, nothing is stored, and a consumer reads everything around them', async () => {
    await broker.topics.createTopic('t', 1);
    expect((await produce('t', await batch(['before']))).errorCode).toBe(0);

    const wrongCount = await batch(['x', 'y']);
    wrongCount.writeInt32BE(3, 57);
    wrongCount.writeInt32BE(2, 23);
    const cases: [string, Buffer, number][] = [
      ['gzip that does not decompress', handBuilt(Compression.gzip, Buffer.from('definitely not gzip')), ErrorCode.CORRUPT_MESSAGE],
      ['zstd that does not decompress', handBuilt(Compression.zstd, Buffer.from('definitely not zstd')), ErrorCode.CORRUPT_MESSAGE],
      ['uncompressed garbage records', handBuilt(Compression.none, Buffer.from([0x7f, 0x01, 0x02, 0x03, 0xff, 0xff])), ErrorCode.INVALID_RECORD],
      ['zstd of garbage records', handBuilt(Compression.zstd, await compress(Compression.zstd, Buffer.from('garbage'))), ErrorCode.INVALID_RECORD],
      ['client-set control bit', await batch(['c'], { control: true }), ErrorCode.INVALID_RECORD],
      ['transactional bit', await batch(['t'], { transactional: true, producerId: 1n, producerEpoch: 0, baseSequence: 0 }), ErrorCode.INVALID_RECORD],
      ['wrong record count', fixCrc(wrongCount), ErrorCode.INVALID_RECORD],
    ];
    for (const [what, bytes, code] of cases) {
      const answer = await produce('t', bytes);
      expect(answer.errorCode, what).toBe(code);
      expect(answer.baseOffset, what).toBe(-1n);
      expect(answer.errorMessage, what).toBeTruthy();
    }
    // Produce v7 clients do not know INVALID_RECORD: Kafka answers them CORRUPT_MESSAGE.
    expect((await produce('t', await batch(['c'], { control: true }), 7)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);

    expect((await produce('t', await batch(['after'], { compression: Compression.gzip }))).errorCode).toBe(0);
    const { highWatermark, batches } = await fetchAll('t');
    expect(highWatermark).toBe(2n);
    expect(await valuesOf(batches)).toEqual(['before', 'after']);
  });
});

describe('compression bombs', () => {
  it('a 100 KB gzip payload of 100 MiB of zeros is MESSAGE_TOO_LARGE before it is inflated; the broker keeps serving', async () => {
    await broker.topics.createTopic('bomb', 1);
    const gz = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gz.on('data', (chunk: Buffer) => parts.push(chunk));
    const zeros = Buffer.alloc(1 << 20);
    for (let i = 0; i < 100; i++) gz.write(zeros);
    gz.end();
    await once(gz, 'end');
    const payload = Buffer.concat(parts);
    expect(payload.length).toBeLessThan(200_000);
    const answer = await produce('bomb', handBuilt(Compression.gzip, payload));
    expect(answer.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(answer.errorMessage).toMatch(/decompress to more than/);
    expect((await produce('bomb', await batch(['fine'], { compression: Compression.gzip }))).errorCode).toBe(0);
    expect(await valuesOf((await fetchAll('bomb')).batches)).toEqual(['fine']);
  });

  it('800 KB of zstd RLE blocks that would inflate to 25 GiB is MESSAGE_TOO_LARGE before it is inflated', async () => {
    await broker.topics.createTopic('zbomb', 1);
    const blocks = 200_000;
    const frame = Buffer.alloc(6 + blocks * 4);
    Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]).copy(frame); // zstd magic, no content size, 2 MiB window
    for (let i = 0; i < blocks; i++) {
      const h = (i === blocks - 1 ? 1 : 0) | (1 << 1) | ((128 * 1024) << 3); // RLE block of 128 KiB
      frame.writeUIntLE(h, 6 + i * 4, 3);
    }
    const answer = await produce('zbomb', handBuilt(Compression.zstd, frame));
    expect(answer.errorCode).toBe(ErrorCode.MESSAGE_TOO_LARGE);
    expect(answer.errorMessage).toMatch(/refused before decompressing/);
    expect((await produce('zbomb', await batch(['fine'], { compression: Compression.zstd }))).errorCode).toBe(0);
    expect(await valuesOf((await fetchAll('zbomb')).batches)).toEqual(['fine']);
  });
});

describe('record errors (Produce v8+)', () => {
  it('a compacted topic rejects null keys with INVALID_RECORD, record_errors and error_message', async () => {
    await broker.topics.createTopic('compacted', 1, { 'cleanup.policy': 'compact' });
    const answer = await produce('compacted', await batch(['a', null, 'c', null], { compression: Compression.lz4 }));
    expect(answer.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(answer.recordErrors).toEqual([
      { batchIndex: 1, batchIndexErrorMessage: 'Compacted topic cannot accept message without key.' },
      { batchIndex: 3, batchIndexErrorMessage: 'Compacted topic cannot accept message without key.' },
    ]);
    expect(answer.errorMessage).toMatch(/2 record errors/);
    expect((await produce('compacted', await batch([null]), 7)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect((await produce('compacted', await batch(['keyed']))).errorCode).toBe(0);
    expect(await valuesOf((await fetchAll('compacted')).batches)).toEqual(['keyed']);
    // cleanup.policy=compact,delete is compacted too; delete alone takes null keys.
    await broker.topics.createTopic('both', 1, { 'cleanup.policy': 'compact,delete' });
    expect((await produce('both', await batch([null]))).errorCode).toBe(ErrorCode.INVALID_RECORD);
    await broker.topics.createTopic('plain', 1);
    expect((await produce('plain', await batch([null]))).errorCode).toBe(0);
  });

  it('timestamps outside message.timestamp.before/after.max.ms: INVALID_TIMESTAMP with record_errors', async () => {
    await broker.topics.createTopic('bounded', 1, { 'message.timestamp.after.max.ms': '60000', 'message.timestamp.before.max.ms': '3600000' });
    const now = Date.now();
    const records = [now, now + 3_600_000, now - 7_200_000].map((ts, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), timestamp: BigInt(ts) }));
    const answer = await produce('bounded', await buildRecordBatch({ records }));
    expect(answer.errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
    expect(answer.recordErrors.map((e) => e.batchIndex)).toEqual([1, 2]);
    expect(answer.recordErrors[0]!.batchIndexErrorMessage).toMatch(/out of range/);
    expect((await fetchAll('bounded')).highWatermark).toBe(0n);
    // The deprecated message.timestamp.difference.max.ms bounds both sides when the others are unset.
    await broker.topics.createTopic('difference', 1, { 'message.timestamp.difference.max.ms': '1000' });
    expect((await produce('difference', await buildRecordBatch({ records: records.slice(1, 2) }))).errorCode).toBe(ErrorCode.INVALID_TIMESTAMP);
    expect((await produce('difference', await buildRecordBatch({ records: records.slice(0, 1) }))).errorCode).toBe(0);
  });
});

describe('maxTimestamp from the records', () => {
  it('Sarama <= 1.22 batches (maxTimestamp -1): restamped, retention.ms=1h keeps all 500 records, ListOffsets by time finds them', async () => {
    await broker.topics.createTopic('sarama', 1, { 'retention.ms': '3600000', 'segment.bytes': '4096' });
    const start = Date.now() - 60_000;
    for (let b = 0; b < 50; b++) {
      const records = Array.from({ length: 10 }, (_, i) => ({ key: null, value: Buffer.from(`m${b * 10 + i}`), timestamp: BigInt(start + b * 10 + i) }));
      const bytes = await buildRecordBatch({ records });
      bytes.writeBigInt64BE(-1n, MAX_TIMESTAMP_OFFSET);
      expect((await produce('sarama', fixCrc(bytes), 3)).errorCode).toBe(0);
    }
    await broker.topics.runMaintenance();
    const { highWatermark, batches } = await fetchAll('sarama');
    expect(highWatermark).toBe(500n);
    expect(broker.topics.partition('sarama', 0).logStartOffset).toBe(0n);
    const values = await valuesOf(batches);
    expect(values).toHaveLength(500);
    expect(values[499]).toBe('m499');
    expect(readBatchHeader(batches[0]!).maxTimestamp).toBe(BigInt(start + 9));

    const listed = (await c.send(ApiKey.ListOffsets, 4, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 'sarama', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: BigInt(start + 255) }] }],
    })) as { topics: { partitions: { errorCode: number; offset: bigint; timestamp: bigint }[] }[] };
    expect(listed.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 255n, timestamp: BigInt(start + 255) });
  });
});

describe('compression.type', () => {
  it('zstd stores zstd whatever the producer sent; uncompressed decompresses; producer keeps the bytes', async () => {
    await broker.topics.createTopic('z', 1, { 'compression.type': 'zstd' });
    await broker.topics.createTopic('u', 1, { 'compression.type': 'uncompressed' });
    await broker.topics.createTopic('p', 1, { 'compression.type': 'producer' });
    for (const codec of [Compression.none, Compression.gzip, Compression.snappy]) {
      expect((await produce('z', await batch([`z${codec}`], { compression: codec }))).errorCode).toBe(0);
    }
    expect((await produce('u', await batch(['u'], { compression: Compression.lz4 }))).errorCode).toBe(0);
    const sent = await batch(['p'], { compression: Compression.gzip });
    expect((await produce('p', Buffer.from(sent))).errorCode).toBe(0);

    const z = await fetchAll('z');
    expect(z.batches.map((b) => readBatchHeader(b).attributes & 7)).toEqual([4, 4, 4]);
    expect(await valuesOf(z.batches)).toEqual(['z0', 'z1', 'z2']);
    const u = await fetchAll('u');
    expect(readBatchHeader(u.batches[0]!).attributes & 7).toBe(0);
    expect(await valuesOf(u.batches)).toEqual(['u']);
    const p = await fetchAll('p');
    // Only baseOffset and partitionLeaderEpoch (outside the CRC) are stamped.
    expect(p.batches[0]!.subarray(17).equals(sent.subarray(17))).toBe(true);
  });
});

describe('ordering', () => {
  it('pipelined idempotent batches of mixed codecs reach the log in request order; a bad one fails the next by sequence', async () => {
    await broker.topics.createTopic('order', 1);
    const init = (await c.send(ApiKey.InitProducerId, 4, { transactionalId: null, transactionTimeoutMs: 60000 })) as { producerId: bigint };
    const pid = init.producerId;
    const codecs = [Compression.zstd, Compression.none, Compression.gzip, Compression.none, Compression.lz4, Compression.snappy, Compression.none];
    const prepared = await Promise.all(
      codecs.map(async (codec, i) => c.prepare(ApiKey.Produce, 9, produceBody('order', await batch([`v${i}a`, `v${i}b`], { compression: codec, producerId: pid, producerEpoch: 0, baseSequence: i * 2 })))),
    );
    c.writeRaw(Buffer.concat(prepared.map((p) => p.bytes)));
    const answers = (await Promise.all(prepared.map((p) => p.response))) as ProduceAnswer[];
    expect(answers.map((a) => a.responses[0]!.partitionResponses[0]!.baseOffset)).toEqual(codecs.map((_, i) => BigInt(i * 2)));
    expect(await valuesOf((await fetchAll('order')).batches)).toEqual(codecs.flatMap((_, i) => [`v${i}a`, `v${i}b`]));

    // A compressed batch that fails validation does not reach producer state: the next one is out of order.
    const bad = handBuilt(Compression.zstd, Buffer.from('not zstd'), 2);
    bad.writeBigInt64BE(pid, 43);
    bad.writeInt16BE(0, 51);
    bad.writeInt32BE(14, 53);
    const next = c.prepare(ApiKey.Produce, 9, produceBody('order', await batch(['late'], { producerId: pid, producerEpoch: 0, baseSequence: 16 })));
    const first = c.prepare(ApiKey.Produce, 9, produceBody('order', fixCrc(bad)));
    c.writeRaw(Buffer.concat([first.bytes, next.bytes]));
    const [a1, a2] = (await Promise.all([first.response, next.response])) as ProduceAnswer[];
    expect(a1!.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(a2!.responses[0]!.partitionResponses[0]!.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect((await fetchAll('order')).highWatermark).toBe(14n);
  });
});
