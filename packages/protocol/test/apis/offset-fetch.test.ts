// OffsetFetch (key 9) schema: every version round-trips; null "all topics" from v2, the v8 batched
// groups, v9 member epoch and v10 topic ids.
import { describe, expect, it } from 'vitest';
import { offsetFetchSchema } from '../../src/apis/offset-fetch';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { decodePlatformaticRequest, kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(offsetFetchSchema);

describe('OffsetFetch request', () => {
  it('v1 topics cannot be null; v2 topics null means every topic', () => {
    expect(() => encodeBody(offsetFetchSchema, 'request', 1, { groupId: 'g', topics: null })).toThrow(/null/);
    const bytes = encodeBody(offsetFetchSchema, 'request', 2, { groupId: 'g', topics: null });
    expect(bytes.toString('hex')).toBe(hex('0001 67 ffffffff').toString('hex'));
    expect(decodeBody(offsetFetchSchema, 'request', 2, bytes).topics).toBeNull();
  });

  it('v7 request: compact, require_stable after the topics', () => {
    const bytes = encodeBody(offsetFetchSchema, 'request', 7, {
      groupId: 'g',
      topics: [{ name: 't', partitionIndexes: [0, 1] }],
      requireStable: true,
    });
    expect(bytes.toString('hex')).toBe(hex('02 67 02 02 74 03 00000000 00000001 00 01 00').toString('hex'));
  });

  it('v8 batches groups; v9 adds member id and epoch', () => {
    const body = {
      groups: [
        { groupId: 'a', topics: null },
        { groupId: 'b', topics: [{ name: 't', partitionIndexes: [2] }] },
      ],
      requireStable: false,
    };
    const v8 = roundTrip(offsetFetchSchema, 'request', 8, body);
    expect(v8.groups[0]).toEqual({ groupId: 'a', memberId: null, memberEpoch: -1, topics: null });
    const v9 = roundTrip(offsetFetchSchema, 'request', 9, {
      groups: [{ groupId: 'a', memberId: 'm', memberEpoch: 5, topics: null }],
    });
    expect(v9.groups[0]).toMatchObject({ memberId: 'm', memberEpoch: 5 });
  });
});

describe('OffsetFetch response', () => {
  it('v1 response: per-partition offsets, no top-level error', () => {
    const body = {
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: -1n, metadata: '', errorCode: 0 }] }],
    };
    const bytes = encodeBody(offsetFetchSchema, 'response', 1, body);
    expect(bytes.toString('hex')).toBe(hex('00000001 0001 74 00000001 00000000 ffffffffffffffff 0000 0000').toString('hex'));
    const decoded = decodeBody(offsetFetchSchema, 'response', 1, bytes);
    expect(decoded.errorCode).toBe(0);
    expect(decoded.topics).toEqual([
      { name: 't', partitions: [{ partitionIndex: 0, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] },
    ]);
  });

  it('v10 response names topics by id inside each group', () => {
    const topicId = Buffer.alloc(16, 7).toString('base64url');
    const body = {
      throttleTimeMs: 0,
      groups: [
        {
          groupId: 'g',
          topics: [{ topicId, partitions: [{ partitionIndex: 1, committedOffset: 10n, committedLeaderEpoch: 2, metadata: null, errorCode: 0 }] }],
          errorCode: 0,
        },
      ],
    };
    const decoded = roundTrip(offsetFetchSchema, 'response', 10, body);
    expect(decoded.groups[0]!.topics[0]!.name).toBe('');
    expect(decoded.topics).toEqual([]);
  });
});

describe('OffsetFetch with real clients', () => {
  platformaticParsesEveryResponse(offsetFetchSchema, 'offsetFetch');

  it.each([1, 2, 3, 4])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('offsetFetch', version, { groupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 0 }, { partition: 1 }] }] });
    expect(decodeBody(offsetFetchSchema, 'request', version, bytes)).toEqual({
      groupId: 'g',
      topics: [{ name: 't', partitionIndexes: [0, 1] }],
      groups: [],
      requireStable: false,
    });
  });

  it('decodes the @platformatic/kafka v9 request (batched groups, null = all topics)', () => {
    const decoded = decodePlatformaticRequest(offsetFetchSchema, 'offsetFetch', 9, [
      [{ groupId: 'g', memberId: null, memberEpoch: -1, topics: null }],
      true,
    ]);
    expect(decoded).toEqual({ groupId: '', topics: null, groups: [{ groupId: 'g', memberId: null, memberEpoch: -1, topics: null }], requireStable: true });
  });

  it.each([1, 2, 3, 4])('kafkajs decodes our v%i response', async (version) => {
    const bytes = encodeBody(offsetFetchSchema, 'response', version, {
      throttleTimeMs: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42n, metadata: '', errorCode: 0 }] }],
      errorCode: 0,
    });
    const decoded = await kafkajsDecodeResponse('offsetFetch', version, bytes);
    expect(decoded.responses).toEqual([{ topic: 't', partitions: [{ partition: 0, offset: '42', metadata: '', errorCode: 0 }] }]);
    if (version >= 2) expect(decoded.errorCode).toBe(0);
  });
});
