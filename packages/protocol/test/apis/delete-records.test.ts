// DeleteRecords (key 21) schema: every version round-trips; v0 bytes with int64 offsets.
import { describe, expect, it } from 'vitest';
import { deleteRecordsSchema } from '../../src/apis/delete-records';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';

roundTripEveryVersion(deleteRecordsSchema);

describe('DeleteRecords', () => {
  it('v0 request bytes: offset -1 means up to the high watermark', () => {
    const bytes = encodeBody(deleteRecordsSchema, 'request', 0, { topics: [{ name: 't', partitions: [{ partitionIndex: 1, offset: -1n }] }], timeoutMs: 100 });
    expect(bytes.toString('hex')).toBe(hex('00000001 0001 74 00000001 00000001 ffffffffffffffff 00000064').toString('hex'));
  });

  it('v2 response decodes the new low watermark as bigint', () => {
    const bytes = hex('00000000 02 02 74 02 00000000 0000000000000010 0000 00 00 00');
    expect(decodeBody(deleteRecordsSchema, 'response', 2, bytes)).toEqual({
      throttleTimeMs: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, lowWatermark: 16n, errorCode: 0 }] }],
    });
  });
});
