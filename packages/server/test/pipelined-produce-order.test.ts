// The two-phase handler guarantee over a real socket: pipelined NON-idempotent produces (no
// sequence numbers to put them back in order) of mixed codecs, so some batches validate
// synchronously and others after an asynchronous decompression, land at offsets in request order.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Compression, buildRecordBatch, decodeRecordBatch, splitBatches } from '@mq/records';
import { ApiKey } from '@mq/protocol';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker;
let c: RawClient;

beforeEach(async () => {
  broker = await startTestBroker();
  c = await RawClient.connect(broker.port);
});

afterEach(async () => {
  c.close();
  await broker.stop();
});

type ProduceAnswer = { responses: { partitionResponses: { errorCode: number; baseOffset: bigint }[] }[] };
type FetchAnswer = { responses: { partitions: { errorCode: number; highWatermark: bigint; records: Buffer | null }[] }[] };

const N = 500;
/** Uncompressed batches validate at once; the others decompress in the libuv pool first. */
const CODECS = [Compression.gzip, Compression.none, Compression.zstd, Compression.none, Compression.lz4, Compression.snappy, Compression.none];

it(`${N} pipelined non-idempotent produces of mixed codecs on one connection land at offsets in request order`, async () => {
  await broker.topics.createTopic('pipelined', 1);
  const prepared = [];
  for (let i = 0; i < N; i++) {
    const compression = CODECS[i % CODECS.length]!;
    // Every 10th compressed batch carries 256 KiB, so its decompression takes longer than the
    // small batches behind it: a dispatch phase that awaited validation would append those first.
    const padding = compression !== Compression.none && i % 10 === 0 ? 'x'.repeat(256 << 10) : '';
    const records = await buildRecordBatch({ compression, records: [{ key: null, value: Buffer.from(`r${i}${padding}`) }] });
    prepared.push(
      c.prepare(ApiKey.Produce, 9, { transactionalId: null, acks: -1, timeoutMs: 30_000, topicData: [{ name: 'pipelined', partitionData: [{ index: 0, records }] }] }),
    );
  }
  c.writeRaw(Buffer.concat(prepared.map((p) => p.bytes)));
  const answers = (await Promise.all(prepared.map((p) => p.response))) as ProduceAnswer[];
  const acked = answers.map((a) => a.responses[0]!.partitionResponses[0]!);
  expect(acked.map((p) => p.errorCode)).toEqual(new Array(N).fill(0));
  expect(acked.map((p) => p.baseOffset)).toEqual(Array.from({ length: N }, (_, i) => BigInt(i)));
  expect(c.arrivals).toEqual(prepared.map((p) => p.correlationId));

  // What a consumer reads back: record i at offset i.
  const stored: { offset: bigint; value: string }[] = [];
  let fetchOffset = 0n;
  while (fetchOffset < BigInt(N)) {
    const res = (await c.send(ApiKey.Fetch, 11, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 64 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic: 'pipelined', partitions: [{ partition: 0, fetchOffset, logStartOffset: -1n, partitionMaxBytes: 64 << 20 }] }],
      forgottenTopicsData: [],
      rackId: '',
    })) as FetchAnswer;
    const p = res.responses[0]!.partitions[0]!;
    expect(p.errorCode).toBe(0);
    expect(p.highWatermark).toBe(BigInt(N));
    for (const { batch } of splitBatches(p.records ?? Buffer.alloc(0)).batches) {
      const decoded = await decodeRecordBatch(batch);
      for (const r of decoded.records) stored.push({ offset: r.offset, value: r.value!.toString().replace(/x+$/, '') });
    }
    fetchOffset = stored.length === 0 ? 0n : stored[stored.length - 1]!.offset + 1n;
  }
  expect(stored).toEqual(Array.from({ length: N }, (_, i) => ({ offset: BigInt(i), value: `r${i}` })));
});
