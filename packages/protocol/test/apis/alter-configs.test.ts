// AlterConfigs (key 33) schema: every version round-trips; v0 bytes; null values.
import { describe, expect, it } from 'vitest';
import { alterConfigsSchema } from '../../src/apis/alter-configs';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(alterConfigsSchema);

describe('AlterConfigs', () => {
  it('v0 request bytes', () => {
    const bytes = encodeBody(alterConfigsSchema, 'request', 0, {
      resources: [{ resourceType: 2, resourceName: 't', configs: [{ name: 'k', value: null }] }],
      validateOnly: true,
    });
    expect(bytes.toString('hex')).toBe(hex('00000001 02 0001 74 00000001 0001 6b ffff 01').toString('hex'));
  });

  it('v2 response round-trips with an error message', () => {
    const body = { throttleTimeMs: 5, responses: [{ errorCode: 40, errorMessage: 'invalid config', resourceType: 2, resourceName: 't' }] };
    expect(roundTrip(alterConfigsSchema, 'response', 2, body)).toEqual(body);
  });
});

describe('AlterConfigs with real clients', () => {
  platformaticParsesEveryResponse(alterConfigsSchema, 'alterConfigs');

  it.each([0, 1])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('alterConfigs', version, { resources: [{ type: 2, name: 't', configEntries: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: false });
    expect(decodeBody(alterConfigsSchema, 'request', version, bytes)).toEqual({
      resources: [{ resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', value: '1000' }] }],
      validateOnly: false,
    });
  });
});
