// DeleteTopics (key 20) schema: every version round-trips; names (v0-5) versus names-or-ids (v6).
import { describe, expect, it } from 'vitest';
import { deleteTopicsSchema } from '../../src/apis/delete-topics';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(deleteTopicsSchema);

describe('DeleteTopics', () => {
  it('v0 request bytes: topic names then timeout', () => {
    const bytes = encodeBody(deleteTopicsSchema, 'request', 0, { topicNames: ['t'], timeoutMs: 1000 });
    expect(bytes.toString('hex')).toBe(hex('00000001 0001 74 000003e8').toString('hex'));
    expect(decodeBody(deleteTopicsSchema, 'request', 0, bytes)).toEqual({ topics: [], topicNames: ['t'], timeoutMs: 1000 });
  });

  it('v6 request names a topic by id with a null name', () => {
    const topicId = Buffer.alloc(16, 1).toString('base64url');
    const bytes = encodeBody(deleteTopicsSchema, 'request', 6, { topics: [{ name: null, topicId }], timeoutMs: 1000 });
    expect(bytes.toString('hex')).toBe(hex(`02 00 ${'01'.repeat(16)} 00 000003e8 00`).toString('hex'));
    expect(decodeBody(deleteTopicsSchema, 'request', 6, bytes).topics).toEqual([{ name: null, topicId }]);
  });

  it('v5 response carries an error message; v6 a null name', () => {
    const v5 = { throttleTimeMs: 0, responses: [{ name: 't', errorCode: 3, errorMessage: 'unknown topic' }] };
    expect(roundTrip(deleteTopicsSchema, 'response', 5, v5).responses[0]!.errorMessage).toBe('unknown topic');
    expect(() => encodeBody(deleteTopicsSchema, 'response', 5, { throttleTimeMs: 0, responses: [{ name: null, errorCode: 0 }] })).toThrow(/null/);
    const v6 = roundTrip(deleteTopicsSchema, 'response', 6, {
      throttleTimeMs: 0,
      responses: [{ name: null, topicId: Buffer.alloc(16, 2).toString('base64url'), errorCode: 100, errorMessage: null }],
    });
    expect(v6.responses[0]!.name).toBeNull();
  });
});

describe('DeleteTopics with real clients', () => {
  platformaticParsesEveryResponse(deleteTopicsSchema, 'deleteTopics');

  it.each([0, 1])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('deleteTopics', version, { topics: ['a', 'b'], timeout: 5000 });
    expect(decodeBody(deleteTopicsSchema, 'request', version, bytes)).toEqual({ topics: [], topicNames: ['a', 'b'], timeoutMs: 5000 });
  });
});
