// CreatePartitions (key 37) schema: every version round-trips; null assignments; v0 bytes.
import { describe, expect, it } from 'vitest';
import { createPartitionsSchema } from '../../src/apis/create-partitions';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(createPartitionsSchema);

describe('CreatePartitions', () => {
  it('v0 request bytes with null assignments (broker chooses replicas)', () => {
    const bytes = encodeBody(createPartitionsSchema, 'request', 0, {
      topics: [{ name: 't', count: 6, assignments: null }],
      timeoutMs: 30000,
      validateOnly: false,
    });
    expect(bytes.toString('hex')).toBe(hex('00000001 0001 74 00000006 ffffffff 00007530 00').toString('hex'));
  });

  it('v3 request with explicit assignments round-trips', () => {
    const body = { topics: [{ name: 't', count: 3, assignments: [{ brokerIds: [0] }, { brokerIds: [0] }] }], timeoutMs: 1, validateOnly: true };
    expect(roundTrip(createPartitionsSchema, 'request', 3, body)).toEqual(body);
  });

  it('response errorMessage defaults to null', () => {
    const decoded = roundTrip(createPartitionsSchema, 'response', 1, { throttleTimeMs: 0, results: [{ name: 't', errorCode: 37 }] });
    expect(decoded.results[0]).toEqual({ name: 't', errorCode: 37, errorMessage: null });
  });
});

describe('CreatePartitions with real clients', () => {
  platformaticParsesEveryResponse(createPartitionsSchema, 'createPartitions');

  it.each([0, 1])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('createPartitions', version, { topicPartitions: [{ topic: 't', count: 6 }], validateOnly: false, timeout: 5000 });
    // kafkajs writes "no explicit assignment" as a null array, which the schema allows.
    expect(decodeBody(createPartitionsSchema, 'request', version, bytes)).toEqual({ topics: [{ name: 't', count: 6, assignments: null }], timeoutMs: 5000, validateOnly: false });
  });
});
