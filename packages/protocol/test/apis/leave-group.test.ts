// LeaveGroup (key 13) schema: every version round-trips; single member (v0-2) versus batch (v3+).
import { describe, expect, it } from 'vitest';
import { leaveGroupSchema } from '../../src/apis/leave-group';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(leaveGroupSchema);

describe('LeaveGroup', () => {
  it('v0 request is group id and one member id', () => {
    const bytes = encodeBody(leaveGroupSchema, 'request', 0, { groupId: 'g', memberId: 'm' });
    expect(bytes.toString('hex')).toBe(hex('0001 67 0001 6d').toString('hex'));
    expect(decodeBody(leaveGroupSchema, 'request', 0, bytes)).toEqual({ groupId: 'g', memberId: 'm', members: [] });
  });

  it('v3 request batches members and drops the single member id', () => {
    const bytes = encodeBody(leaveGroupSchema, 'request', 3, {
      groupId: 'g',
      memberId: 'not-on-the-wire',
      members: [{ memberId: 'm', groupInstanceId: null }],
    });
    expect(bytes.toString('hex')).toBe(hex('0001 67 00000001 0001 6d ffff').toString('hex'));
  });

  it('v5 request members carry a reason', () => {
    const body = { groupId: 'g', members: [{ memberId: 'm', groupInstanceId: 'i', reason: 'shutting down' }] };
    expect(roundTrip(leaveGroupSchema, 'request', 5, body).members).toEqual(body.members);
  });

  it('v3 response reports per-member errors', () => {
    const body = { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'x', groupInstanceId: null, errorCode: 25 }] };
    expect(roundTrip(leaveGroupSchema, 'response', 3, body)).toEqual(body);
  });
});

describe('LeaveGroup with real clients', () => {
  platformaticParsesEveryResponse(leaveGroupSchema, 'leaveGroup');

  it.each([0, 1, 2])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('leaveGroup', version, { groupId: 'g', memberId: 'm' });
    expect(decodeBody(leaveGroupSchema, 'request', version, bytes)).toEqual({ groupId: 'g', memberId: 'm', members: [] });
  });

  it('decodes the kafkajs v3 request', async () => {
    const bytes = await kafkajsRequestBytes('leaveGroup', 3, { groupId: 'g', members: [{ memberId: 'm' }] });
    expect(decodeBody(leaveGroupSchema, 'request', 3, bytes)).toEqual({ groupId: 'g', memberId: '', members: [{ memberId: 'm', groupInstanceId: null, reason: null }] });
  });

  it('kafkajs decodes our v3 response', async () => {
    const bytes = encodeBody(leaveGroupSchema, 'response', 3, { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm', groupInstanceId: null, errorCode: 0 }] });
    expect(await kafkajsDecodeResponse('leaveGroup', 3, bytes)).toMatchObject({ errorCode: 0, members: [{ memberId: 'm', groupInstanceId: null, errorCode: 0 }] });
  });
});
