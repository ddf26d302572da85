// DescribeGroups (key 15) schema: every version round-trips; v0 bytes; v4 static member ids and
// the v6 per-group error message.
import { describe, expect, it } from 'vitest';
import { describeGroupsSchema } from '../../src/apis/describe-groups';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(describeGroupsSchema);

describe('DescribeGroups', () => {
  it('v0 request is an array of group ids', () => {
    expect(encodeBody(describeGroupsSchema, 'request', 0, { groups: ['a', 'bc'] }).toString('hex')).toBe(
      hex('00000002 0001 61 0002 6263').toString('hex'),
    );
  });

  it('v0 response decodes; authorizedOperations defaults to INT32_MIN (not requested)', () => {
    const bytes = encodeBody(describeGroupsSchema, 'response', 0, {
      groups: [{ errorCode: 0, groupId: 'g', groupState: 'Empty', protocolType: 'consumer', protocolData: '', members: [] }],
    });
    const decoded = decodeBody(describeGroupsSchema, 'response', 0, bytes);
    expect(decoded.groups[0]!.authorizedOperations).toBe(-2147483648);
    expect(decoded.groups[0]!.errorMessage).toBeNull();
  });

  it('v6 response carries error message and static member ids', () => {
    const group = {
      errorCode: 69,
      errorMessage: 'Group g not found.',
      groupId: 'g',
      groupState: 'Dead',
      protocolType: '',
      protocolData: '',
      members: [
        {
          memberId: 'm',
          groupInstanceId: 'i',
          clientId: 'c',
          clientHost: '/127.0.0.1',
          memberMetadata: Buffer.from([0, 1]),
          memberAssignment: Buffer.alloc(0),
        },
      ],
      authorizedOperations: 0,
    };
    expect(roundTrip(describeGroupsSchema, 'response', 6, { throttleTimeMs: 0, groups: [group] }).groups).toEqual([group]);
  });
});

describe('DescribeGroups with real clients', () => {
  platformaticParsesEveryResponse(describeGroupsSchema, 'describeGroups');

  it.each([0, 1, 2])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('describeGroups', version, { groupIds: ['a', 'b'] });
    expect(decodeBody(describeGroupsSchema, 'request', version, bytes)).toEqual({ groups: ['a', 'b'], includeAuthorizedOperations: false });
  });

  it.each([0, 1, 2])('kafkajs decodes our v%i response', async (version) => {
    const member = { memberId: 'm', clientId: 'c', clientHost: '/127.0.0.1', memberMetadata: Buffer.from([1]), memberAssignment: Buffer.from([2]) };
    const bytes = encodeBody(describeGroupsSchema, 'response', version, {
      throttleTimeMs: 0,
      groups: [{ errorCode: 0, groupId: 'g', groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', members: [member] }],
    });
    expect((await kafkajsDecodeResponse('describeGroups', version, bytes)).groups).toEqual([
      { errorCode: 0, groupId: 'g', state: 'Stable', protocolType: 'consumer', protocol: 'range', members: [member] },
    ]);
  });
});
