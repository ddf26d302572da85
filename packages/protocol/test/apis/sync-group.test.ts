// SyncGroup (key 14) schema: every version round-trips; v5 protocol type/name; v0 golden bytes.
import { describe, expect, it } from 'vitest';
import { syncGroupSchema } from '../../src/apis/sync-group';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { decodePlatformaticRequest, kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(syncGroupSchema);

describe('SyncGroup', () => {
  it('v0 request bytes: group, generation, member, assignments', () => {
    const body = { groupId: 'g', generationId: 2, memberId: 'm', assignments: [{ memberId: 'm', assignment: Buffer.from([9]) }] };
    const bytes = encodeBody(syncGroupSchema, 'request', 0, body);
    expect(bytes.toString('hex')).toBe(hex('0001 67 00000002 0001 6d 00000001 0001 6d 00000001 09').toString('hex'));
    expect(decodeBody(syncGroupSchema, 'request', 0, bytes)).toEqual({
      ...body,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
    });
  });

  it('v5 response echoes protocol type and name', () => {
    const body = { throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.from('a') };
    expect(roundTrip(syncGroupSchema, 'response', 5, body)).toEqual(body);
  });

  it('v4 response has no protocol fields on the wire', () => {
    const bytes = encodeBody(syncGroupSchema, 'response', 4, { throttleTimeMs: 0, errorCode: 0, protocolType: 'x', assignment: Buffer.alloc(0) });
    // throttle · error · compact bytes empty (01) · tags.
    expect(bytes.toString('hex')).toBe('00000000' + '0000' + '01' + '00');
  });
});

describe('SyncGroup with real clients', () => {
  platformaticParsesEveryResponse(syncGroupSchema, 'syncGroup');

  it.each([0, 1, 2, 3])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('syncGroup', version, {
      groupId: 'g',
      generationId: 4,
      memberId: 'm-1',
      groupInstanceId: 'i-1',
      groupAssignment: [{ memberId: 'm-1', memberAssignment: Buffer.from([0, 1]) }],
    });
    expect(decodeBody(syncGroupSchema, 'request', version, bytes)).toEqual({
      groupId: 'g',
      generationId: 4,
      memberId: 'm-1',
      groupInstanceId: version >= 3 ? 'i-1' : null,
      protocolType: null,
      protocolName: null,
      assignments: [{ memberId: 'm-1', assignment: Buffer.from([0, 1]) }],
    });
  });

  it('decodes the @platformatic/kafka v5 request', () => {
    const decoded = decodePlatformaticRequest(syncGroupSchema, 'syncGroup', 5, ['g', 4, 'm-1', null, 'consumer', 'range', [{ memberId: 'm-1', assignment: Buffer.from([9]) }]]);
    expect(decoded).toEqual({
      groupId: 'g',
      generationId: 4,
      memberId: 'm-1',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: 'm-1', assignment: Buffer.from([9]) }],
    });
  });

  it.each([0, 1, 2, 3])('kafkajs decodes our v%i response', async (version) => {
    const bytes = encodeBody(syncGroupSchema, 'response', version, { throttleTimeMs: 0, errorCode: 0, assignment: Buffer.from([0, 1, 2]) });
    expect(await kafkajsDecodeResponse('syncGroup', version, bytes)).toMatchObject({ errorCode: 0, memberAssignment: Buffer.from([0, 1, 2]) });
  });
});
