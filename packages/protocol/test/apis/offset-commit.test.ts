// OffsetCommit (key 8) schema: every version round-trips; golden bytes for v2; the v1 commit
// timestamp, the v6 leader epoch and the v10 topic ids.
import { describe, expect, it } from 'vitest';
import { offsetCommitSchema } from '../../src/apis/offset-commit';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { decodePlatformaticRequest, kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(offsetCommitSchema);

describe('OffsetCommit golden bytes', () => {
  const v2 = {
    groupId: 'g',
    generationIdOrMemberEpoch: 5,
    memberId: 'm',
    retentionTimeMs: -1n,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42n, committedMetadata: null }] }],
  };
  // group_id "g" · generation 5 · member_id "m" · retention_time_ms -1 (int64) · topics [1] ·
  // name "t" · partitions [1] · partition 0 · offset 42 (int64) · metadata null (int16 -1).
  const v2Bytes = hex(`
    0001 67
    00000005
    0001 6d
    ffffffffffffffff
    00000001
      0001 74
      00000001
        00000000
        000000000000002a
        ffff`);

  it('v2 request encodes to the hand-computed bytes', () => {
    expect(encodeBody(offsetCommitSchema, 'request', 2, v2).toString('hex')).toBe(v2Bytes.toString('hex'));
  });

  it('v2 request decodes; fields of other versions take defaults', () => {
    expect(decodeBody(offsetCommitSchema, 'request', 2, v2Bytes)).toEqual({
      ...v2,
      groupInstanceId: null,
      topics: [
        {
          name: 't',
          topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
          partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null }],
        },
      ],
    });
  });

  it('v0 request has no generation, member or retention', () => {
    const bytes = encodeBody(offsetCommitSchema, 'request', 0, { ...v2, generationIdOrMemberEpoch: 7 });
    expect(bytes.toString('hex')).toBe(hex('0001 67 00000001 0001 74 00000001 00000000 000000000000002a ffff').toString('hex'));
    expect(decodeBody(offsetCommitSchema, 'request', 0, bytes).generationIdOrMemberEpoch).toBe(-1);
  });

  it('v1 request puts the commit timestamp between offset and metadata', () => {
    const body = {
      groupId: 'g',
      generationIdOrMemberEpoch: 5,
      memberId: 'm',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42n, commitTimestamp: 1000n, committedMetadata: '' }] }],
    };
    expect(encodeBody(offsetCommitSchema, 'request', 1, body).toString('hex')).toBe(
      hex('0001 67 00000005 0001 6d 00000001 0001 74 00000001 00000000 000000000000002a 00000000000003e8 0000').toString('hex'),
    );
  });
});

describe('OffsetCommit modern versions', () => {
  it('v9 request carries leader epoch and static member id', () => {
    const body = {
      groupId: 'g',
      generationIdOrMemberEpoch: 12,
      memberId: 'm',
      groupInstanceId: 'i',
      topics: [{ name: 't', partitions: [{ partitionIndex: 3, committedOffset: 99n, committedLeaderEpoch: 4, committedMetadata: 'meta' }] }],
    };
    const decoded = roundTrip(offsetCommitSchema, 'request', 9, body);
    expect(decoded.retentionTimeMs).toBe(-1n);
  });

  it('v10 addresses topics by id: the name is not on the wire', () => {
    const topicId = Buffer.from('0123456789abcdef0123456789abcdef', 'hex').toString('base64url');
    const bytes = encodeBody(offsetCommitSchema, 'response', 10, {
      throttleTimeMs: 0,
      topics: [{ name: 'dropped', topicId, partitions: [{ partitionIndex: 0, errorCode: 0 }] }],
    });
    // throttle · compact array 1 · 16-byte uuid · compact array 1 · partition · error · tags · tags.
    expect(bytes.toString('hex')).toBe(hex('00000000 02 0123456789abcdef0123456789abcdef 02 00000000 0000 00 00 00').toString('hex'));
    expect(decodeBody(offsetCommitSchema, 'response', 10, bytes).topics).toEqual([{ name: '', topicId, partitions: [{ partitionIndex: 0, errorCode: 0 }] }]);
  });
});

describe('OffsetCommit with real clients', () => {
  platformaticParsesEveryResponse(offsetCommitSchema, 'offsetCommit');

  it.each([0, 1, 2, 3, 4, 5])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('offsetCommit', version, {
      groupId: 'g',
      groupGenerationId: 6,
      memberId: 'm',
      retentionTime: -1,
      topics: [{ topic: 't', partitions: [{ partition: 2, offset: '1234', timestamp: 1700000000000, metadata: null }] }],
    });
    const decoded = decodeBody(offsetCommitSchema, 'request', version, bytes);
    expect(decoded).toMatchObject({ groupId: 'g', generationIdOrMemberEpoch: version >= 1 ? 6 : -1, memberId: version >= 1 ? 'm' : '' });
    expect(decoded.retentionTimeMs).toBe(-1n);
    expect(decoded.topics).toEqual([
      {
        name: 't',
        topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        partitions: [
          {
            partitionIndex: 2,
            committedOffset: 1234n,
            committedLeaderEpoch: -1,
            commitTimestamp: version === 1 ? 1700000000000n : -1n,
            committedMetadata: null,
          },
        ],
      },
    ]);
  });

  it('decodes the @platformatic/kafka v9 request', () => {
    const decoded = decodePlatformaticRequest(offsetCommitSchema, 'offsetCommit', 9, [
      'g',
      11,
      'm',
      null,
      [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 99n, committedLeaderEpoch: 3, committedMetadata: 'x' }] }],
    ]);
    expect(decoded.topics).toEqual([
      { name: 't', topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [{ partitionIndex: 0, committedOffset: 99n, committedLeaderEpoch: 3, commitTimestamp: -1n, committedMetadata: 'x' }] },
    ]);
    expect(decoded.generationIdOrMemberEpoch).toBe(11);
  });

  it.each([0, 1, 2, 3, 4, 5])('kafkajs decodes our v%i response', async (version) => {
    const bytes = encodeBody(offsetCommitSchema, 'response', version, { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 2, errorCode: 0 }] }] });
    expect((await kafkajsDecodeResponse('offsetCommit', version, bytes)).responses).toEqual([{ topic: 't', partitions: [{ partition: 2, errorCode: 0 }] }]);
  });
});
