// OffsetForLeaderEpoch (key 23) schema: every version round-trips; v0 bytes; replica id and
// current leader epoch defaults in older versions.
import { describe, expect, it } from 'vitest';
import { offsetForLeaderEpochSchema } from '../../src/apis/offset-for-leader-epoch';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';
import { decodePlatformaticRequest, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(offsetForLeaderEpochSchema);

describe('OffsetForLeaderEpoch', () => {
  it('v0 request bytes; replicaId decodes as -2 and currentLeaderEpoch as -1', () => {
    const bytes = encodeBody(offsetForLeaderEpochSchema, 'request', 0, { topics: [{ topic: 't', partitions: [{ partition: 0, leaderEpoch: 3 }] }] });
    expect(bytes.toString('hex')).toBe(hex('00000001 0001 74 00000001 00000000 00000003').toString('hex'));
    expect(decodeBody(offsetForLeaderEpochSchema, 'request', 0, bytes)).toEqual({
      replicaId: -2,
      topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 3 }] }],
    });
  });

  it('v0 response has no leader epoch; v1 adds it before the end offset', () => {
    const partition = { errorCode: 0, partition: 0, leaderEpoch: 3, endOffset: 100n };
    const v0 = encodeBody(offsetForLeaderEpochSchema, 'response', 0, { topics: [{ topic: 't', partitions: [partition] }] });
    expect(v0.toString('hex')).toBe(hex('00000001 0001 74 00000001 0000 00000000 0000000000000064').toString('hex'));
    expect(decodeBody(offsetForLeaderEpochSchema, 'response', 0, v0).topics[0]!.partitions[0]!.leaderEpoch).toBe(-1);
    const v1 = encodeBody(offsetForLeaderEpochSchema, 'response', 1, { topics: [{ topic: 't', partitions: [partition] }] });
    expect(v1.toString('hex')).toBe(hex('00000001 0001 74 00000001 0000 00000000 00000003 0000000000000064').toString('hex'));
  });
});

describe('OffsetForLeaderEpoch with real clients', () => {
  platformaticParsesEveryResponse(offsetForLeaderEpochSchema, 'offsetForLeaderEpoch');

  it.each([2, 3, 4])('decodes the @platformatic/kafka v%i request', (version) => {
    const decoded = decodePlatformaticRequest(offsetForLeaderEpochSchema, 'offsetForLeaderEpoch', version, [
      -1,
      [{ name: 't', partitions: [{ partitionIndex: 0, currentLeaderEpoch: 5, leaderEpoch: 4 }] }],
    ]);
    expect(decoded).toEqual({ replicaId: version >= 3 ? -1 : -2, topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: 5, leaderEpoch: 4 }] }] });
  });
});
