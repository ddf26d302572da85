// DescribeConfigs (key 32) schema: every version round-trips; v0 isDefault, v1 synonyms and
// source, v3 type and documentation, flexible v4.
import { describe, expect, it } from 'vitest';
import { describeConfigsSchema } from '../../src/apis/describe-configs';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(describeConfigsSchema);

describe('DescribeConfigs request', () => {
  it('v0 bytes; null keys ask for every config', () => {
    const bytes = encodeBody(describeConfigsSchema, 'request', 0, { resources: [{ resourceType: 2, resourceName: 't', configurationKeys: null }] });
    expect(bytes.toString('hex')).toBe(hex('00000001 02 0001 74 ffffffff').toString('hex'));
    expect(decodeBody(describeConfigsSchema, 'request', 0, bytes)).toEqual({
      resources: [{ resourceType: 2, resourceName: 't', configurationKeys: null }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
  });

  it('v4 request is compact with both flags', () => {
    const bytes = encodeBody(describeConfigsSchema, 'request', 4, {
      resources: [{ resourceType: 4, resourceName: '0', configurationKeys: ['a'] }],
      includeSynonyms: true,
      includeDocumentation: true,
    });
    expect(bytes.toString('hex')).toBe(hex('02 04 02 30 02 02 61 00 01 01 00').toString('hex'));
  });
});

describe('DescribeConfigs response', () => {
  it('v0 entry carries isDefault and no source; configSource decodes as -1', () => {
    const bytes = encodeBody(describeConfigsSchema, 'response', 0, {
      throttleTimeMs: 0,
      results: [
        {
          errorCode: 0,
          errorMessage: null,
          resourceType: 2,
          resourceName: 't',
          configs: [{ name: 'k', value: 'v', readOnly: false, isDefault: true, isSensitive: false }],
        },
      ],
    });
    expect(bytes.toString('hex')).toBe(hex('00000000 00000001 0000 ffff 02 0001 74 00000001 0001 6b 0001 76 00 01 00').toString('hex'));
    const entry = decodeBody(describeConfigsSchema, 'response', 0, bytes).results[0]!.configs[0]!;
    expect(entry.configSource).toBe(-1);
    expect(entry.synonyms).toEqual([]);
  });

  it('v3 entry carries synonyms, type and documentation', () => {
    const config = {
      name: 'retention.ms',
      value: '604800000',
      readOnly: false,
      configSource: 5,
      isSensitive: false,
      synonyms: [{ name: 'log.retention.ms', value: null, source: 4 }],
      configType: 5,
      documentation: null,
    };
    const decoded = roundTrip(describeConfigsSchema, 'response', 3, {
      throttleTimeMs: 0,
      results: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't', configs: [config] }],
    });
    expect(decoded.results[0]!.configs[0]).toEqual({ ...config, isDefault: false });
  });
});

describe('DescribeConfigs with real clients', () => {
  platformaticParsesEveryResponse(describeConfigsSchema, 'describeConfigs');

  it.each([0, 1, 2])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('describeConfigs', version, { resources: [{ type: 2, name: 't', configNames: ['retention.ms'] }], includeSynonyms: true });
    expect(decodeBody(describeConfigsSchema, 'request', version, bytes)).toEqual({
      resources: [{ resourceType: 2, resourceName: 't', configurationKeys: ['retention.ms'] }],
      includeSynonyms: version >= 1,
      includeDocumentation: false,
    });
  });
});
