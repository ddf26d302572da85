// DeleteRecords (key 21) schema: every version round-trips; v0 bytes with int64 offsets.
import { describe, expect, it } from 'vitest';
import { deleteRecordsSchema } from '../../src/apis/delete-records';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';
import { kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

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

describe('DeleteRecords with real clients', () => {
  platformaticParsesEveryResponse(deleteRecordsSchema, 'deleteRecords');

  it.each([0, 1])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('deleteRecords', version, { topics: [{ topic: 't', partitions: [{ partition: 0, offset: '10' }] }], timeout: 5000 });
    expect(decodeBody(deleteRecordsSchema, 'request', version, bytes)).toEqual({ topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: 10n }] }], timeoutMs: 5000 });
  });
});
