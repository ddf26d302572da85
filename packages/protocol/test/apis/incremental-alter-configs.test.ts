// IncrementalAlterConfigs (key 44) schema: every version round-trips; v0 and flexible v1 bytes.
import { describe, expect, it } from 'vitest';
import { incrementalAlterConfigsSchema } from '../../src/apis/incremental-alter-configs';
import { encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(incrementalAlterConfigsSchema);

describe('IncrementalAlterConfigs', () => {
  const body = { resources: [{ resourceType: 2, resourceName: 't', configs: [{ name: 'k', configOperation: 1, value: null }] }], validateOnly: false };

  it('v0 request bytes: a DELETE (1) operation with a null value', () => {
    expect(encodeBody(incrementalAlterConfigsSchema, 'request', 0, body).toString('hex')).toBe(
      hex('00000001 02 0001 74 00000001 0001 6b 01 ffff 00').toString('hex'),
    );
  });

  it('v1 request bytes are compact', () => {
    expect(encodeBody(incrementalAlterConfigsSchema, 'request', 1, body).toString('hex')).toBe(
      hex('02 02 02 74 02 02 6b 01 00 00 00 00 00').toString('hex'),
    );
  });

  it('v1 response round-trips', () => {
    const r = { throttleTimeMs: 0, responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't' }] };
    expect(roundTrip(incrementalAlterConfigsSchema, 'response', 1, r)).toEqual(r);
  });
});

describe('IncrementalAlterConfigs with real clients', () => {
  platformaticParsesEveryResponse(incrementalAlterConfigsSchema, 'incrementalAlterConfigs');
});
