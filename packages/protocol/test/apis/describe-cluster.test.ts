// DescribeCluster (key 60) schema: every version round-trips; v0 bytes; v1 endpoint type and
// v2 fenced brokers.
import { describe, expect, it } from 'vitest';
import { describeClusterSchema } from '../../src/apis/describe-cluster';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(describeClusterSchema);

describe('DescribeCluster', () => {
  it('v0 request is one bool and a tag section; later fields decode to defaults', () => {
    const bytes = encodeBody(describeClusterSchema, 'request', 0, { includeClusterAuthorizedOperations: true });
    expect(bytes.toString('hex')).toBe('0100');
    expect(decodeBody(describeClusterSchema, 'request', 0, bytes)).toEqual({
      includeClusterAuthorizedOperations: true,
      endpointType: 1,
      includeFencedBrokers: false,
    });
  });

  it('v2 response lists brokers with their fenced flag', () => {
    const body = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      endpointType: 1,
      clusterId: 'mq-cluster',
      controllerId: 0,
      brokers: [
        { brokerId: 0, host: '127.0.0.1', port: 9092, rack: null, isFenced: false },
        { brokerId: 1, host: '127.0.0.1', port: 9093, rack: 'r1', isFenced: true },
      ],
      clusterAuthorizedOperations: -2147483648,
    };
    expect(roundTrip(describeClusterSchema, 'response', 2, body)).toEqual(body);
  });

  it('v0 response bytes', () => {
    const bytes = encodeBody(describeClusterSchema, 'response', 0, {
      throttleTimeMs: 0,
      errorCode: 0,
      clusterId: 'c',
      controllerId: 0,
      brokers: [{ brokerId: 0, host: 'h', port: 1, rack: null }],
      clusterAuthorizedOperations: 0,
    });
    expect(bytes.toString('hex')).toBe(hex('00000000 0000 00 02 63 00000000 02 00000000 02 68 00000001 00 00 00000000 00').toString('hex'));
  });
});

describe('DescribeCluster with real clients', () => {
  platformaticParsesEveryResponse(describeClusterSchema, 'describeCluster');
});
