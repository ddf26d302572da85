// JoinGroup (key 11) schema: every version round-trips, golden bytes for v0, defaults of fields a
// version lacks, and the v6+ flexible encoding.
import { describe, expect, it } from 'vitest';
import { joinGroupSchema } from '../../src/apis/join-group';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';

roundTripEveryVersion(joinGroupSchema);

describe('JoinGroup golden bytes', () => {
  const v0 = {
    groupId: 'g',
    sessionTimeoutMs: 30000,
    memberId: '',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from([1, 2, 3]) }],
  };
  // group_id int16-len "g" · session_timeout_ms 30000 · member_id "" · protocol_type "consumer" ·
  // protocols int32 count 1 · name "range" · metadata int32-len 3 bytes.
  const v0Bytes = hex(`
    0001 67
    00007530
    0000
    0008 636f6e73756d6572
    00000001
      0005 72616e6765
      00000003 010203`);

  it('v0 request encodes to the hand-computed bytes', () => {
    expect(encodeBody(joinGroupSchema, 'request', 0, v0).toString('hex')).toBe(v0Bytes.toString('hex'));
  });

  it('v0 request decodes with the defaults of later fields', () => {
    expect(decodeBody(joinGroupSchema, 'request', 0, v0Bytes)).toEqual({
      ...v0,
      rebalanceTimeoutMs: -1,
      groupInstanceId: null,
      reason: null,
    });
  });

  it('v6 request is compact with an empty tag section', () => {
    const bytes = encodeBody(joinGroupSchema, 'request', 6, { ...v0, rebalanceTimeoutMs: 60000, groupInstanceId: null });
    // compact "g" = len+1 · session · rebalance · compact "" · instance id null (0) · compact "consumer" ·
    // compact array 1 (2) · compact "range" · compact bytes 3 (4) · element tags · body tags.
    expect(bytes.toString('hex')).toBe(
      hex('02 67 00007530 0000ea60 01 00 09 636f6e73756d6572 02 06 72616e6765 04 010203 00 00').toString('hex'),
    );
  });
});

describe('JoinGroup response', () => {
  it('v9 carries skipAssignment and nullable protocolType/protocolName', () => {
    const body = {
      throttleTimeMs: 0,
      errorCode: 0,
      generationId: 3,
      protocolType: null,
      protocolName: null,
      leader: 'm-1',
      skipAssignment: true,
      memberId: 'm-1',
      members: [{ memberId: 'm-1', groupInstanceId: 'static-1', metadata: Buffer.from('md') }],
    };
    expect(roundTrip(joinGroupSchema, 'response', 9, body)).toEqual(body);
  });

  it('v0 decodes generationId and member fields; later fields take their defaults', () => {
    const decoded = roundTrip(joinGroupSchema, 'response', 0, {
      errorCode: 79, // MEMBER_ID_REQUIRED
      generationId: -1,
      protocolName: '',
      leader: '',
      memberId: 'consumer-1-abc',
      members: [],
    });
    expect(decoded.throttleTimeMs).toBe(0);
    expect(decoded.protocolType).toBeNull();
    expect(decoded.skipAssignment).toBe(false);
  });

  it('rejects null protocolName before v7', () => {
    expect(() =>
      encodeBody(joinGroupSchema, 'response', 6, { errorCode: 0, generationId: 1, protocolName: null, leader: '', memberId: '', members: [] }),
    ).toThrow(/null/);
  });
});
