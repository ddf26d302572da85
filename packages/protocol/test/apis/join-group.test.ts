// JoinGroup (key 11) schema: every version round-trips, golden bytes for v0, defaults of fields a
// version lacks, and the v6+ flexible encoding.
import { describe, expect, it } from 'vitest';
import { joinGroupSchema } from '../../src/apis/join-group';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { decodePlatformaticRequest, kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

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

describe('JoinGroup with real clients', () => {
  platformaticParsesEveryResponse(joinGroupSchema, 'joinGroup');

  const protocols = [{ name: 'roundrobin', metadata: Buffer.from([0, 1, 0, 0, 0, 1, 0, 1, 116]) }];

  it.each([0, 1, 2, 3, 4, 5])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('joinGroup', version, {
      groupId: 'g',
      sessionTimeout: 30000,
      rebalanceTimeout: 60000,
      memberId: '',
      groupInstanceId: 'static-1',
      protocolType: 'consumer',
      groupProtocols: protocols,
    });
    expect(decodeBody(joinGroupSchema, 'request', version, bytes)).toEqual({
      groupId: 'g',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: version >= 1 ? 60000 : -1,
      memberId: '',
      groupInstanceId: version >= 5 ? 'static-1' : null,
      protocolType: 'consumer',
      protocols,
      reason: null,
    });
  });

  it.each([6, 7, 8, 9])('decodes the @platformatic/kafka v%i request', (version) => {
    const decoded = decodePlatformaticRequest(joinGroupSchema, 'joinGroup', version, ['g', 45000, 300000, 'm-1', null, 'consumer', protocols, 'rejoin']);
    expect(decoded).toEqual({
      groupId: 'g',
      sessionTimeoutMs: 45000,
      rebalanceTimeoutMs: 300000,
      memberId: 'm-1',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols,
      reason: version >= 8 ? 'rejoin' : null,
    });
  });

  it.each([0, 1, 2, 3, 4, 5])('kafkajs decodes our v%i response', async (version) => {
    const bytes = encodeBody(joinGroupSchema, 'response', version, {
      throttleTimeMs: 0,
      errorCode: 0,
      generationId: 7,
      protocolName: 'roundrobin',
      leader: 'm-1',
      memberId: 'm-2',
      members: [{ memberId: 'm-1', groupInstanceId: null, metadata: Buffer.from([1, 2]) }],
    });
    const decoded = await kafkajsDecodeResponse('joinGroup', version, bytes);
    expect(decoded).toMatchObject({ errorCode: 0, generationId: 7, groupProtocol: 'roundrobin', leaderId: 'm-1', memberId: 'm-2' });
    expect(decoded.members).toMatchObject([{ memberId: 'm-1', memberMetadata: Buffer.from([1, 2]) }]);
  });
});
