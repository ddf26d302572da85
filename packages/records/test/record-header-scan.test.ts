// findRecordHeader agrees with the full decoder on every record, and refuses bytes that overrun.
import fc from 'fast-check';
import { CorruptMessageError } from '@mq/errors';
import { describe, expect, it } from 'vitest';
import { RECORD_BATCH_OVERHEAD, buildRecordBatch, decodeRecordBatch, findRecordHeader, readBatchHeader } from '../src/index';

const header = fc.record({
  key: fc.constantFrom('traceparent', 'tracestate', 'trace', 'traceparenx', ''),
  value: fc.option(fc.uint8Array({ maxLength: 80 }).map((a) => Buffer.from(a)), { nil: null }),
});
const record = fc.record({
  key: fc.option(fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)), { nil: null }),
  value: fc.option(fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)), { nil: null }),
  headers: fc.array(header, { maxLength: 4 }),
});

describe('findRecordHeader', () => {
  it('finds what decodeRecordBatch decodes: the first value of the header per record, by offset delta', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 20 }), async (records) => {
        const batch = await buildRecordBatch({ records });
        const { records: decoded } = await decodeRecordBatch(batch);
        const found = findRecordHeader(batch.subarray(RECORD_BATCH_OVERHEAD), readBatchHeader(batch).recordsCount, 'traceparent');
        const expected = new Map<number, Buffer>();
        for (const r of decoded) {
          const h = r.headers.find((x) => x.key === 'traceparent');
          if (h !== undefined && h.value !== null) expected.set(r.offsetDelta, h.value);
        }
        expect([...found.entries()]).toEqual([...expected.entries()]);
      }),
      { numRuns: 200 },
    );
  });

  it('a record length past the body is CorruptMessageError, not a read past the end', async () => {
    const batch = await buildRecordBatch({ records: [{ key: null, value: Buffer.from('v'), headers: [{ key: 'traceparent', value: Buffer.from('x') }] }] });
    const body = Buffer.from(batch.subarray(RECORD_BATCH_OVERHEAD));
    body[0] = 0x7e; // length varint 63: longer than the record
    expect(() => findRecordHeader(body, 1, 'traceparent')).toThrow(CorruptMessageError);
  });
});
