// FindCoordinator (key 10) schema: every version round-trips, golden bytes for the v0 response
// and the v4 batched request, and the switch from single key to coordinatorKeys at v4.
import { describe, expect, it } from 'vitest';
import { findCoordinatorSchema } from '../../src/apis/find-coordinator';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { decodePlatformaticRequest, kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(findCoordinatorSchema);

describe('FindCoordinator golden bytes', () => {
  // error_code 0 · node_id 1 · host int16-len "localhost" · port 9092.
  const v0ResponseBytes = hex('0000 00000001 0009 6c6f63616c686f7374 00002384');

  it('v0 response encodes to the hand-computed bytes', () => {
    const bytes = encodeBody(findCoordinatorSchema, 'response', 0, { errorCode: 0, nodeId: 1, host: 'localhost', port: 9092 });
    expect(bytes.toString('hex')).toBe(v0ResponseBytes.toString('hex'));
  });

  it('v0 response decodes; fields of later versions take defaults', () => {
    expect(decodeBody(findCoordinatorSchema, 'response', 0, v0ResponseBytes)).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      nodeId: 1,
      host: 'localhost',
      port: 9092,
      coordinators: [],
    });
  });

  it('v0 request is the bare key', () => {
    expect(encodeBody(findCoordinatorSchema, 'request', 0, { key: 'grp' }).toString('hex')).toBe('0003677270');
  });

  it('v4 request sends key_type and a compact array of keys, no single key', () => {
    // key_type 0 · compact array of 1 (02) · compact "g" (02 67) · empty tag section.
    const bytes = encodeBody(findCoordinatorSchema, 'request', 4, { key: 'ignored', keyType: 0, coordinatorKeys: ['g'] });
    expect(bytes.toString('hex')).toBe('0002026700');
  });
});

describe('FindCoordinator v4+ response', () => {
  it('carries one coordinator per key, each with its own error', () => {
    const body = {
      throttleTimeMs: 0,
      coordinators: [
        { key: 'g1', nodeId: 0, host: '127.0.0.1', port: 9092, errorCode: 0, errorMessage: null },
        { key: 'g2', nodeId: -1, host: '', port: -1, errorCode: 15, errorMessage: 'coordinator not available' },
      ],
    };
    const decoded = roundTrip(findCoordinatorSchema, 'response', 6, body);
    expect(decoded.coordinators).toEqual(body.coordinators);
    expect(decoded.errorCode).toBe(0);
  });
});

describe('FindCoordinator with real clients', () => {
  platformaticParsesEveryResponse(findCoordinatorSchema, 'findCoordinator');

  it('decodes the kafkajs v0 request', async () => {
    const bytes = await kafkajsRequestBytes('findCoordinator', 0, { groupId: 'g' });
    expect(decodeBody(findCoordinatorSchema, 'request', 0, bytes)).toEqual({ key: 'g', keyType: 0, coordinatorKeys: [] });
  });

  it.each([1, 2])('decodes the kafkajs v%i request (transaction key type)', async (version) => {
    const bytes = await kafkajsRequestBytes('findCoordinator', version, { coordinatorKey: 'tx', coordinatorType: 1 });
    expect(decodeBody(findCoordinatorSchema, 'request', version, bytes)).toEqual({ key: 'tx', keyType: 1, coordinatorKeys: [] });
  });

  it.each([4, 5, 6])('decodes the @platformatic/kafka v%i request', (version) => {
    expect(decodePlatformaticRequest(findCoordinatorSchema, 'findCoordinator', version, [0, ['g1', 'g2']])).toEqual({ key: '', keyType: 0, coordinatorKeys: ['g1', 'g2'] });
  });

  it.each([0, 1, 2])('kafkajs decodes our v%i response', async (version) => {
    const bytes = encodeBody(findCoordinatorSchema, 'response', version, { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 1, host: '127.0.0.1', port: 9092 });
    expect(await kafkajsDecodeResponse('findCoordinator', version, bytes)).toMatchObject({ errorCode: 0, coordinator: { nodeId: 1, host: '127.0.0.1', port: 9092 } });
  });
});
