// DeleteGroups (key 42) schema: every version round-trips; v0 and flexible v2 bytes.
import { describe, expect, it } from 'vitest';
import { deleteGroupsSchema } from '../../src/apis/delete-groups';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';
import { kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(deleteGroupsSchema);

describe('DeleteGroups', () => {
  it('v0 request is an array of group names; v2 is compact', () => {
    expect(encodeBody(deleteGroupsSchema, 'request', 0, { groupsNames: ['g'] }).toString('hex')).toBe(hex('00000001 0001 67').toString('hex'));
    expect(encodeBody(deleteGroupsSchema, 'request', 2, { groupsNames: ['g'] }).toString('hex')).toBe(hex('02 02 67 00').toString('hex'));
  });

  it('v1 response carries per-group error codes', () => {
    const bytes = hex('00000000 00000002 0001 61 0000 0001 62 0045');
    expect(decodeBody(deleteGroupsSchema, 'response', 1, bytes)).toEqual({
      throttleTimeMs: 0,
      results: [
        { groupId: 'a', errorCode: 0 },
        { groupId: 'b', errorCode: 69 },
      ],
    });
  });
});

describe('DeleteGroups with real clients', () => {
  platformaticParsesEveryResponse(deleteGroupsSchema, 'deleteGroups');

  it.each([0, 1])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('deleteGroups', version, ['a', 'b']);
    expect(decodeBody(deleteGroupsSchema, 'request', version, bytes)).toEqual({ groupsNames: ['a', 'b'] });
  });
});
