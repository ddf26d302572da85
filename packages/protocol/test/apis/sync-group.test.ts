// SyncGroup (key 14) schema: every version round-trips; v5 protocol type/name; v0 golden bytes.
import { describe, expect, it } from 'vitest';
import { syncGroupSchema } from '../../src/apis/sync-group';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';

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
