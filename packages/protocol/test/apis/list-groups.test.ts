// ListGroups (key 16) schema: every version round-trips; empty v0 request, v4/v5 filters and
// the state/type columns.
import { describe, expect, it } from 'vitest';
import { listGroupsSchema } from '../../src/apis/list-groups';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { decodePlatformaticRequest, kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(listGroupsSchema);

describe('ListGroups', () => {
  it('v0 request has no fields; v3 request is only the tag section', () => {
    expect(encodeBody(listGroupsSchema, 'request', 0, {}).length).toBe(0);
    expect(encodeBody(listGroupsSchema, 'request', 3, {}).toString('hex')).toBe('00');
    expect(decodeBody(listGroupsSchema, 'request', 0, Buffer.alloc(0))).toEqual({ statesFilter: [], typesFilter: [] });
  });

  it('v5 request filters by state and type', () => {
    const bytes = encodeBody(listGroupsSchema, 'request', 5, { statesFilter: ['Stable'], typesFilter: ['classic'] });
    expect(bytes.toString('hex')).toBe(hex('02 07 537461626c65 02 08 636c6173736963 00').toString('hex'));
  });

  it('v0 response bytes', () => {
    const bytes = encodeBody(listGroupsSchema, 'response', 0, { errorCode: 0, groups: [{ groupId: 'g', protocolType: 'consumer' }] });
    expect(bytes.toString('hex')).toBe(hex('0000 00000001 0001 67 0008 636f6e73756d6572').toString('hex'));
  });

  it('v5 response lists state and type', () => {
    const body = { throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' }] };
    expect(roundTrip(listGroupsSchema, 'response', 5, body)).toEqual(body);
  });
});

describe('ListGroups with real clients', () => {
  platformaticParsesEveryResponse(listGroupsSchema, 'listGroups');

  it.each([0, 1, 2])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('listGroups', version, {});
    expect(decodeBody(listGroupsSchema, 'request', version, bytes)).toEqual({ statesFilter: [], typesFilter: [] });
  });

  it('decodes the @platformatic/kafka v5 request', () => {
    expect(decodePlatformaticRequest(listGroupsSchema, 'listGroups', 5, [['Stable'], ['consumer']])).toEqual({ statesFilter: ['Stable'], typesFilter: ['consumer'] });
  });

  it.each([0, 1, 2])('kafkajs decodes our v%i response', async (version) => {
    const bytes = encodeBody(listGroupsSchema, 'response', version, { throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: 'g', protocolType: 'consumer' }] });
    expect(await kafkajsDecodeResponse('listGroups', version, bytes)).toMatchObject({ errorCode: 0, groups: [{ groupId: 'g', protocolType: 'consumer' }] });
  });
});
