// validateProducedBatch: what a produced batch must pass before it is stored (Kafka's LogValidator),
// the maxTimestamp restamp, compression.type recompression, and a property test that mutated
// batches with a fixed-up CRC are either rejected with a Kafka code or decode cleanly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ATTRIBUTES_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  CRC_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  RECORDS_COUNT_OFFSET,
} from '../src/batch-header';
import {
  Compression,
  buildRecordBatch,
  compress,
  computeBatchCrc,
  decodeRecordBatch,
  readBatchHeader,
  validateBatch,
  validateProducedBatch,
  type ProduceValidationConfig,
  type RecordInput,
} from '../src/index';
import { CorruptMessageError, InvalidRecordError, InvalidTimestampError, KafkaError, UnsupportedForMessageFormatError } from '@mq/errors';
import { useStoredZstd } from './stored-zstd';

useStoredZstd();

const NOW = 1_700_000_000_000;
const UNBOUNDED = Number.MAX_SAFE_INTEGER;
const config = (over: Partial<ProduceValidationConfig> = {}): ProduceValidationConfig => ({
  timestampType: 'CreateTime',
  compacted: false,
  timestampBeforeMaxMs: UNBOUNDED,
  timestampAfterMaxMs: UNBOUNDED,
  compression: null,
  ...over,
});
const CODECS = [Compression.none, Compression.gzip, Compression.snappy, Compression.lz4, Compression.zstd];

function records(n: number, over: (i: number) => Partial<RecordInput> = () => ({})): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({
    key: Buffer.from(`k${i}`),
    value: Buffer.from(`value-${i}`),
    headers: i % 3 === 0 ? [{ key: 'h', value: Buffer.from('x') }] : [],
    timestamp: BigInt(NOW + i),
    ...over(i),
  }));
}

const fixCrc = (b: Buffer): Buffer => {
  b.writeUInt32BE(computeBatchCrc(b), CRC_OFFSET);
  return b;
};

/** A batch whose compressed section is `payload` (not produced by the codec), CRC valid. */
function withPayload(codec: number, payload: Buffer, count = 1): Buffer {
  const b = Buffer.alloc(61 + payload.length);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt32BE(-1, 12);
  b.writeInt8(2, 16);
  b.writeInt16BE(codec, ATTRIBUTES_OFFSET);
  b.writeInt32BE(count - 1, LAST_OFFSET_DELTA_OFFSET);
  b.writeBigInt64BE(BigInt(NOW), BASE_TIMESTAMP_OFFSET);
  b.writeBigInt64BE(BigInt(NOW), MAX_TIMESTAMP_OFFSET);
  b.writeBigInt64BE(-1n, 43);
  b.writeInt16BE(-1, 51);
  b.writeInt32BE(-1, 53);
  b.writeInt32BE(count, RECORDS_COUNT_OFFSET);
  payload.copy(b, 61);
  return fixCrc(b);
}

async function rejection(batch: Buffer, cfg = config()): Promise<KafkaError> {
  try {
    await validateProducedBatch(batch, cfg, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(KafkaError);
    return err as KafkaError;
  }
  throw new Error('batch was accepted');
}

describe('validateProducedBatch accepts', () => {
  it.each(CODECS)('a valid batch with codec %i, bytes untouched, synchronously when uncompressed', async (codec) => {
    const batch = await buildRecordBatch({ records: records(50), compression: codec });
    const before = Buffer.from(batch);
    const r = validateProducedBatch(batch, config(), NOW);
    expect(r instanceof Promise).toBe(codec !== Compression.none);
    const v = await r;
    expect(v.batch).toBe(batch);
    expect(batch.equals(before)).toBe(true);
    expect(v.maxTimestamp).toBe(BigInt(NOW + 49));
  });

  it('restamps a -1 maxTimestamp (Sarama <= 1.22) from the records and recomputes the CRC', async () => {
    const batch = await buildRecordBatch({ records: records(10) });
    batch.writeBigInt64BE(-1n, MAX_TIMESTAMP_OFFSET);
    fixCrc(batch);
    const v = await validateProducedBatch(batch, config(), NOW);
    expect(readBatchHeader(batch).maxTimestamp).toBe(BigInt(NOW + 9));
    expect(v.maxTimestamp).toBe(BigInt(NOW + 9));
    expect(() => validateBatch(batch)).not.toThrow();
  });

  it('restamps inside a compressed batch too, and leaves LogAppendTime topics to the log', async () => {
    const batch = await buildRecordBatch({ records: records(10), compression: Compression.zstd });
    batch.writeBigInt64BE(-1n, MAX_TIMESTAMP_OFFSET);
    fixCrc(batch);
    const copy = Buffer.from(batch);
    await validateProducedBatch(batch, config(), NOW);
    expect(readBatchHeader(batch).maxTimestamp).toBe(BigInt(NOW + 9));
    expect(() => validateBatch(batch)).not.toThrow();
    await validateProducedBatch(copy, config({ timestampType: 'LogAppendTime' }), NOW);
    expect(readBatchHeader(copy).maxTimestamp).toBe(-1n);
  });

  it('records with timestamp -1 are exempt from the bounds, as in Kafka', async () => {
    const batch = await buildRecordBatch({ records: records(3, () => ({ timestamp: -1n })) });
    const v = await validateProducedBatch(batch, config({ timestampBeforeMaxMs: 10, timestampAfterMaxMs: 10 }), NOW);
    expect(v.maxTimestamp).toBe(-1n);
  });

  it.each([
    [Compression.none, Compression.zstd],
    [Compression.gzip, Compression.zstd],
    [Compression.zstd, Compression.none],
    [Compression.snappy, Compression.lz4],
    [Compression.lz4, Compression.gzip],
  ])('recompresses codec %i to the topic compression.type %i with the same records', async (from, to) => {
    const input = records(40);
    const batch = await buildRecordBatch({ records: input, compression: from, producerId: 7n, producerEpoch: 1, baseSequence: 5 });
    const v = await validateProducedBatch(batch, config({ compression: to }), NOW);
    expect(v.batch).not.toBe(batch);
    expect(() => validateBatch(v.batch)).not.toThrow();
    const decoded = await decodeRecordBatch(v.batch);
    expect(decoded.header.attributes & 7).toBe(to);
    expect(decoded.header.producerId).toBe(7n);
    expect(decoded.header.baseSequence).toBe(5);
    expect(decoded.header.maxTimestamp).toBe(BigInt(NOW + 39));
    expect(decoded.records.map((r) => r.value?.toString())).toEqual(input.map((r) => r.value?.toString()));
    expect(decoded.records.map((r) => r.timestamp)).toEqual(input.map((r) => r.timestamp));
  });

  it('keeps the producer codec when compression.type names the same one', async () => {
    const batch = await buildRecordBatch({ records: records(5), compression: Compression.zstd });
    expect((await validateProducedBatch(batch, config({ compression: Compression.zstd }), NOW)).batch).toBe(batch);
  });
});

describe('validateProducedBatch rejects', () => {
  it.each([Compression.gzip, Compression.snappy, Compression.lz4, Compression.zstd])(
    'a codec-%i payload that does not decompress: CORRUPT_MESSAGE',
    async (codec) => {
      const err = await rejection(withPayload(codec, Buffer.from('this is not compressed data at all')));
      expect(err).toBeInstanceOf(CorruptMessageError);
      expect(err.errorCode).toBe(2);
    },
  );

  it('uncompressed garbage records: INVALID_RECORD', async () => {
    const err = await rejection(withPayload(Compression.none, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]), 1));
    expect(err).toBeInstanceOf(InvalidRecordError);
    expect(err.errorCode).toBe(87);
  });

  it('compressed data that decompresses to garbage records: INVALID_RECORD', async () => {
    const err = await rejection(withPayload(Compression.zstd, await compress(Compression.zstd, Buffer.from('garbage records'))));
    expect(err.errorCode).toBe(87);
  });

  it('a client-set control bit, a transactional batch without a producer id, and a record count that does not match', async () => {
    const control = await buildRecordBatch({ records: records(2), control: true });
    expect((await rejection(control)).message).toMatch(/control records/);
    const txn = await buildRecordBatch({ records: records(2), transactional: true, producerId: 1n, producerEpoch: 0, baseSequence: 0 });
    expect((await validateProducedBatch(txn, config(), NOW)).batch).toBe(txn);
    const anonymous = await buildRecordBatch({ records: records(2), transactional: true });
    expect((await rejection(anonymous)).message).toMatch(/producer id/);

    const more = await buildRecordBatch({ records: records(3) });
    more.writeInt32BE(4, RECORDS_COUNT_OFFSET);
    more.writeInt32BE(3, LAST_OFFSET_DELTA_OFFSET);
    expect((await rejection(fixCrc(more))).message).toMatch(/declares 4 records/);
    const fewer = await buildRecordBatch({ records: records(3), compression: Compression.gzip });
    fewer.writeInt32BE(2, RECORDS_COUNT_OFFSET);
    fewer.writeInt32BE(1, LAST_OFFSET_DELTA_OFFSET);
    expect((await rejection(fixCrc(fewer))).message).toMatch(/left over/);
    const mismatch = await buildRecordBatch({ records: records(3) });
    mismatch.writeInt32BE(5, LAST_OFFSET_DELTA_OFFSET);
    expect((await rejection(fixCrc(mismatch))).message).toMatch(/Inconsistent batch offset range/);
    const zero = await buildRecordBatch({ records: records(1) });
    zero.writeInt32BE(0, RECORDS_COUNT_OFFSET);
    zero.writeInt32BE(-1, LAST_OFFSET_DELTA_OFFSET);
    expect((await rejection(fixCrc(zero))).message).toMatch(/Invalid reported count/);
  });

  it('offset deltas that do not run 0, 1, 2, ...', async () => {
    const batch = await buildRecordBatch({ records: records(3, (i) => ({ offsetDelta: i === 0 ? 0 : i + 1 })) });
    batch.writeInt32BE(2, LAST_OFFSET_DELTA_OFFSET);
    expect((await rejection(fixCrc(batch))).message).toMatch(/offset delta 2, expected 1/);
  });

  it('a CRC mismatch, a wrong magic, a legacy message set, a short buffer, two batches', async () => {
    const batch = await buildRecordBatch({ records: records(2) });
    const flipped = Buffer.from(batch);
    flipped[flipped.length - 1]! ^= 1;
    expect(await rejection(flipped)).toBeInstanceOf(CorruptMessageError);
    const magic3 = Buffer.from(batch);
    magic3.writeInt8(3, 16);
    expect((await rejection(magic3)).errorCode).toBe(2);
    const legacy = Buffer.from(batch);
    legacy.writeInt8(1, 16);
    expect(await rejection(legacy)).toBeInstanceOf(UnsupportedForMessageFormatError);
    expect((await rejection(batch.subarray(0, 40))).errorCode).toBe(2);
    expect((await rejection(Buffer.concat([batch, batch]))).errorCode).toBe(87);
    const based = Buffer.from(batch);
    based.writeBigInt64BE(5n, 0);
    expect((await rejection(based)).message).toMatch(/baseOffset/);
  });

  it('null keys on a compacted topic, with one record error per keyless record', async () => {
    const batch = await buildRecordBatch({ records: records(5, (i) => (i % 2 === 1 ? { key: null } : {})) });
    const err = await rejection(batch, config({ compacted: true }));
    expect(err).toBeInstanceOf(InvalidRecordError);
    expect((err as InvalidRecordError).recordErrors).toEqual([
      { batchIndex: 1, message: 'Compacted topic cannot accept message without key.' },
      { batchIndex: 3, message: 'Compacted topic cannot accept message without key.' },
    ]);
    // The same batch is fine on a delete-policy topic.
    await expect(Promise.resolve(validateProducedBatch(batch, config(), NOW))).resolves.toBeDefined();
  });

  it('timestamps outside message.timestamp.before/after.max.ms: INVALID_TIMESTAMP with record errors', async () => {
    const ts = [NOW - 5000, NOW, NOW + 5000, NOW - 999];
    const batch = await buildRecordBatch({ records: records(4, (i) => ({ timestamp: BigInt(ts[i]!) })), compression: Compression.lz4 });
    const err = await rejection(batch, config({ timestampBeforeMaxMs: 1000, timestampAfterMaxMs: 1000 }));
    expect(err).toBeInstanceOf(InvalidTimestampError);
    expect(err.errorCode).toBe(32);
    expect((err as InvalidTimestampError).recordErrors.map((e) => e.batchIndex)).toEqual([0, 2]);
    expect((err as InvalidTimestampError).recordErrors[0]!.message).toMatch(/out of range/);
    await expect(validateProducedBatch(batch, config({ timestampBeforeMaxMs: 1000 }), NOW)).rejects.toBeInstanceOf(InvalidTimestampError);
    await expect(validateProducedBatch(batch, config({ timestampBeforeMaxMs: 6000, timestampAfterMaxMs: 6000 }), NOW)).resolves.toBeDefined();
  });

  it('a producer-set LogAppendTime bit: INVALID_TIMESTAMP for every record', async () => {
    const batch = await buildRecordBatch({ records: records(2), timestampType: 'LogAppendTime' });
    const err = (await rejection(batch)) as InvalidTimestampError;
    expect(err.errorCode).toBe(32);
    expect(err.recordErrors).toHaveLength(2);
  });

  it('leaves a rejected batch byte for byte as it came', async () => {
    const batch = await buildRecordBatch({ records: records(3, () => ({ key: null })) });
    batch.writeBigInt64BE(-1n, MAX_TIMESTAMP_OFFSET);
    fixCrc(batch);
    const before = Buffer.from(batch);
    await rejection(batch, config({ compacted: true }));
    expect(batch.equals(before)).toBe(true);
  });
});

describe('decompression bound', () => {
  it.each([Compression.gzip, Compression.snappy, Compression.lz4, Compression.zstd])(
    'codec %i: records that decompress beyond maxDecompressedBytes are MESSAGE_TOO_LARGE, below it they pass',
    async (codec) => {
      const batch = await buildRecordBatch({ records: [{ key: Buffer.from('k'), value: Buffer.alloc(4 << 20) }], compression: codec });
      expect(batch.length).toBeLessThan(1 << 20);
      const err = await rejection(batch, config({ maxDecompressedBytes: 1 << 20 }));
      expect(err.errorCode).toBe(10);
      expect(err.message).toMatch(/decompress to more than 1048576 bytes/);
      await expect(validateProducedBatch(batch, config({ maxDecompressedBytes: 8 << 20 }), NOW)).resolves.toBeDefined();
    },
  );
});

describe('validateProducedBatch property', () => {
  it('random mutations with a fixed-up CRC are rejected with a Kafka code or decode cleanly', async () => {
    const templates = await Promise.all(CODECS.map((codec) => buildRecordBatch({ records: records(6), compression: codec })));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: CODECS.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        async (which, edits) => {
          const batch = Buffer.from(templates[which]!);
          // Mutate anything from attributes on (what the CRC covers), then make the CRC match again.
          for (const [at, byte] of edits) batch[ATTRIBUTES_OFFSET + (at % (batch.length - ATTRIBUTES_OFFSET))] = byte;
          fixCrc(batch);
          let accepted: Buffer;
          try {
            accepted = (await validateProducedBatch(batch, config(), NOW)).batch;
          } catch (err) {
            expect(err).toBeInstanceOf(KafkaError);
            expect([2, 32, 43, 76, 87]).toContain((err as KafkaError).errorCode);
            return;
          }
          // Accepted: a consumer must be able to read every record of it.
          const decoded = await decodeRecordBatch(accepted);
          expect(decoded.records).toHaveLength(decoded.header.recordsCount);
        },
      ),
      { numRuns: 600 },
    );
  });
});
