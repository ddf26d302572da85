// RecordBatch v2 codec: golden bytes, round trips per codec, header setters, splitting, corruption.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { snappyCompress } from '../src/codecs/snappy-block';
import { useStoredZstd } from './stored-zstd';
import {
  Compression,
  ControlRecordType,
  buildEndTxnMarker,
  readControlRecord,
  batchCompression,
  batchLastOffset,
  batchTimestampType,
  buildRecordBatch,
  compress,
  computeBatchCrc,
  decodeRecordBatch,
  decompress,
  isControlBatch,
  isTransactionalBatch,
  readBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  splitBatches,
  validateBatch,
} from '../src/index';
import { CorruptMessageError, InvalidRecordError, KafkaError, UnsupportedCompressionTypeError } from '@mq/errors';

/** Bitwise CRC-32C (Castagnoli, reflected 0x82F63B78): an independent check on the slicing-by-8 one. */
function referenceCrc32c(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

describe('golden bytes', () => {
  // Two records laid out by hand from the v2 grammar (see KAFKA-COMPAT.md).
  const header = (crc: string) =>
    hex(`
      0000000000000000  00000047  ffffffff  02  ${crc}
      0000  00000001  00000000000003e8  00000000000003e9
      ffffffffffffffff  ffff  ffffffff  00000002`);
  const records = hex(`
      10 00 00 00 02 6b 02 76 00
      18 00 02 02 01 04 76 32 02 02 68 02 78`);

  it('matches a hand-encoded uncompressed batch', async () => {
    const withoutCrc = Buffer.concat([header('00000000'), records]);
    const crc = referenceCrc32c(withoutCrc.subarray(21));
    const expected = Buffer.concat([header(crc.toString(16).padStart(8, '0')), records]);
    expect(expected.length).toBe(83);

    const built = await buildRecordBatch({
      records: [
        { key: Buffer.from('k'), value: Buffer.from('v'), timestamp: 1000n },
        { key: null, value: Buffer.from('v2'), timestamp: 1001n, headers: [{ key: 'h', value: Buffer.from('x') }] },
      ],
    });
    expect(built.toString('hex')).toBe(expected.toString('hex'));
    validateBatch(expected);

    const decoded = await decodeRecordBatch(expected);
    expect(decoded.header).toEqual({
      baseOffset: 0n,
      batchLength: 71,
      partitionLeaderEpoch: -1,
      magic: 2,
      crc,
      attributes: 0,
      lastOffsetDelta: 1,
      baseTimestamp: 1000n,
      maxTimestamp: 1001n,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      recordsCount: 2,
    });
    expect(decoded.records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString()])).toEqual([
      [0n, 1000n, 'k', 'v'],
      [1n, 1001n, null, 'v2'],
    ]);
    expect(decoded.records[1]!.headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
  });
});

useStoredZstd();

const codecs = Object.entries(Compression) as [string, number][];

describe('round trip per codec', () => {
  for (const [name, codec] of codecs) {
    it(name, async () => {
      const records = Array.from({ length: 500 }, (_, i) => ({
        key: i % 7 === 0 ? null : Buffer.from(`key-${i}`),
        value: i % 11 === 0 ? null : Buffer.alloc(100, i & 0xff),
        headers: i % 3 === 0 ? [{ key: `h${i}`, value: i % 2 ? null : Buffer.from('hv') }] : [],
        timestamp: 1_700_000_000_000n + BigInt(i * 3 - 50),
      }));
      const batch = await buildRecordBatch({
        baseOffset: 1234n,
        records,
        compression: codec,
        producerId: 77n,
        producerEpoch: 3,
        baseSequence: 10,
        partitionLeaderEpoch: 9,
        transactional: true,
      });
      validateBatch(batch);
      const h = readBatchHeader(batch);
      expect(batchCompression(h)).toBe(codec);
      expect(isTransactionalBatch(h)).toBe(true);
      expect(isControlBatch(h)).toBe(false);
      expect(batchLastOffset(h)).toBe(1234n + 499n);
      expect(h.maxTimestamp).toBe(1_700_000_000_000n + BigInt(499 * 3 - 50));
      const { records: out } = await decodeRecordBatch(batch);
      expect(out).toHaveLength(500);
      out.forEach((r, i) => {
        expect(r.offset).toBe(1234n + BigInt(i));
        expect(r.timestamp).toBe(records[i]!.timestamp);
        expect(r.key).toEqual(records[i]!.key);
        expect(r.value).toEqual(records[i]!.value);
        expect(r.headers).toEqual(records[i]!.headers);
      });
    });
  }

  it('compress/decompress round-trip empty and large buffers for every codec', async () => {
    const big = Buffer.alloc(300_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    for (const [, codec] of codecs) {
      for (const input of [Buffer.alloc(0), big]) {
        expect((await decompress(codec, await compress(codec, input))).equals(input)).toBe(true);
      }
    }
  });

  it('snappy decompress accepts raw snappy and xerial framing with several blocks', async () => {
    const data = Buffer.from('x'.repeat(100_000) + 'tail');
    const raw = snappyCompress(data);
    expect((await decompress(Compression.snappy, raw)).equals(data)).toBe(true);
    // Hand-made xerial stream: magic, version 1, compatible 1, then two length-prefixed blocks.
    const a = snappyCompress(data.subarray(0, 40_000));
    const b = snappyCompress(data.subarray(40_000));
    const len = (n: number) => {
      const l = Buffer.alloc(4);
      l.writeInt32BE(n);
      return l;
    };
    const xerial = Buffer.concat([hex('82534e4150505900 00000001 00000001'), len(a.length), a, len(b.length), b]);
    expect((await decompress(Compression.snappy, xerial)).equals(data)).toBe(true);
    // What we write ourselves is xerial-framed, like Java producers.
    expect((await compress(Compression.snappy, data)).subarray(0, 8).toString('hex')).toBe('82534e4150505900');
  });

  it('rejects unknown codecs and corrupt compressed data with typed errors', async () => {
    await expect(compress(5, Buffer.alloc(1))).rejects.toBeInstanceOf(UnsupportedCompressionTypeError);
    for (const codec of [1, 2, 3, 4]) {
      await expect(decompress(codec, Buffer.from('definitely not compressed data'))).rejects.toBeInstanceOf(CorruptMessageError);
    }
  });
});

describe('header setters', () => {
  it('setBaseOffset and setPartitionLeaderEpoch keep the CRC valid', async () => {
    const batch = await buildRecordBatch({ records: [{ key: null, value: Buffer.from('a') }, { key: null, value: null }] });
    setBaseOffset(batch, 42n);
    setPartitionLeaderEpoch(batch, 7);
    validateBatch(batch);
    const h = readBatchHeader(batch);
    expect(h.baseOffset).toBe(42n);
    expect(h.partitionLeaderEpoch).toBe(7);
    expect(batchLastOffset(h)).toBe(43n);
  });

  it('setLogAppendTime stamps attributes + maxTimestamp and recomputes the CRC', async () => {
    const batch = await buildRecordBatch({ records: [{ key: null, value: Buffer.from('a'), timestamp: 5n }] });
    setLogAppendTime(batch, 999n);
    validateBatch(batch);
    const h = readBatchHeader(batch);
    expect(batchTimestampType(h)).toBe('LogAppendTime');
    expect(h.maxTimestamp).toBe(999n);
    const { records } = await decodeRecordBatch(batch);
    expect(records[0]!.timestamp).toBe(999n);
  });
});

describe('transaction markers', () => {
  it('builds a COMMIT control batch that decodes back', async () => {
    const marker = await buildEndTxnMarker({ producerId: 9n, producerEpoch: 2, commit: true, coordinatorEpoch: 5, timestamp: 77n });
    validateBatch(marker);
    const { header, records } = await decodeRecordBatch(marker);
    expect(isControlBatch(header) && isTransactionalBatch(header)).toBe(true);
    expect([header.producerId, header.producerEpoch, header.baseSequence]).toEqual([9n, 2, -1]);
    expect(readControlRecord(records[0]!)).toEqual({ type: ControlRecordType.commit, coordinatorEpoch: 5 });
    expect(records[0]!.key!.toString('hex')).toBe('00000001');
    expect(records[0]!.value!.toString('hex')).toBe('000000000005');
  });
});

describe('splitBatches', () => {
  it('splits concatenated batches and stops at a partial tail', async () => {
    const a = await buildRecordBatch({ baseOffset: 0n, records: [{ key: null, value: Buffer.from('a') }] });
    const b = await buildRecordBatch({ baseOffset: 1n, records: [{ key: null, value: Buffer.from('bb') }] });
    const all = Buffer.concat([a, b, b.subarray(0, 30)]);
    const { batches, validBytes } = splitBatches(all);
    expect(batches.map((s) => [s.position, s.size])).toEqual([
      [0, a.length],
      [a.length, b.length],
    ]);
    expect(validBytes).toBe(a.length + b.length);
    expect(splitBatches(all.subarray(0, 5)).validBytes).toBe(0);
  });
});

describe('corruption', () => {
  it('detects a single flipped bit in every byte from batchLength to the end', async () => {
    const batch = await buildRecordBatch({
      records: [{ key: Buffer.from('key'), value: Buffer.from('value'), headers: [{ key: 'h', value: null }] }],
    });
    // Bytes 0-7 (baseOffset) and 12-15 (partitionLeaderEpoch) are outside the CRC by design.
    for (let byte = 8; byte < batch.length; byte++) {
      if (byte >= 12 && byte < 16) continue;
      for (let bit = 0; bit < 8; bit++) {
        const copy = Buffer.from(batch);
        copy[byte]! ^= 1 << bit;
        expect(() => validateBatch(copy), `byte ${byte} bit ${bit}`).toThrow(KafkaError);
      }
    }
  });

  it('rejects a wrong magic and short input with typed errors', async () => {
    const batch = await buildRecordBatch({ records: [{ key: null, value: Buffer.from('v') }] });
    const m = Buffer.from(batch);
    m[16] = 1;
    expect(() => validateBatch(m)).toThrow(InvalidRecordError);
    expect(() => validateBatch(batch.subarray(0, 40))).toThrow(CorruptMessageError);
    expect(() => validateBatch(Buffer.concat([batch, Buffer.alloc(3)]))).toThrow(CorruptMessageError);
  });

  it('random bytes only ever raise the typed errors', async () => {
    const template = await buildRecordBatch({
      records: [{ key: Buffer.from('k'), value: Buffer.from('v'), headers: [{ key: 'h', value: Buffer.from('x') }] }],
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          // Random records section behind a valid header + CRC, so the record parser is exercised too.
          fc.record({ body: fc.uint8Array({ maxLength: 120 }), count: fc.integer({ min: -2, max: 40 }), codec: fc.integer({ min: 0, max: 7 }) }),
        ),
        async (input) => {
          let buf: Buffer;
          if (input instanceof Uint8Array) {
            buf = Buffer.from(input);
          } else {
            buf = Buffer.concat([template.subarray(0, 61), Buffer.from(input.body)]);
            buf.writeInt32BE(buf.length - 12, 8);
            buf.writeInt16BE(input.codec, 21);
            buf.writeInt32BE(input.count, 57);
            buf.writeUInt32BE(0, 17);
            buf.writeUInt32BE(computeBatchCrc(buf), 17);
          }
          try {
            await decodeRecordBatch(buf);
          } catch (err) {
            expect(err).toBeInstanceOf(KafkaError);
            expect([2, 76, 87]).toContain((err as KafkaError).errorCode);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
