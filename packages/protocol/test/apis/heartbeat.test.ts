// Heartbeat (key 12) schema: every version round-trips; golden bytes for v0 and flexible v4.
import { describe, expect, it } from 'vitest';
import { heartbeatSchema } from '../../src/apis/heartbeat';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';
import { kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(heartbeatSchema);

describe('Heartbeat', () => {
  const body = { groupId: 'g', generationId: 1, memberId: 'm' };

  it('v0 request bytes', () => {
    expect(encodeBody(heartbeatSchema, 'request', 0, body).toString('hex')).toBe(hex('0001 67 00000001 0001 6d').toString('hex'));
  });

  it('v4 request bytes: compact strings, null instance id, empty tags', () => {
    expect(encodeBody(heartbeatSchema, 'request', 4, { ...body, groupInstanceId: null }).toString('hex')).toBe(
      hex('02 67 00000001 02 6d 00 00').toString('hex'),
    );
  });

  it('v3 request carries a static member id', () => {
    const bytes = encodeBody(heartbeatSchema, 'request', 3, { ...body, groupInstanceId: 'i' });
    expect(decodeBody(heartbeatSchema, 'request', 3, bytes)).toEqual({ ...body, groupInstanceId: 'i' });
  });

  it('v0 response is only the error code', () => {
    expect(decodeBody(heartbeatSchema, 'response', 0, hex('001b'))).toEqual({ throttleTimeMs: 0, errorCode: 27 });
  });
});

describe('Heartbeat with real clients', () => {
  platformaticParsesEveryResponse(heartbeatSchema, 'heartbeat');

  it.each([0, 1, 2, 3])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('heartbeat', version, { groupId: 'g', groupGenerationId: 3, memberId: 'm', groupInstanceId: null });
    expect(decodeBody(heartbeatSchema, 'request', version, bytes)).toEqual({ groupId: 'g', generationId: 3, memberId: 'm', groupInstanceId: null });
  });

  it.each([0, 1, 2, 3])('kafkajs decodes our v%i response', async (version) => {
    const bytes = encodeBody(heartbeatSchema, 'response', version, { throttleTimeMs: 0, errorCode: 0 });
    expect(await kafkajsDecodeResponse('heartbeat', version, bytes)).toMatchObject({ errorCode: 0 });
  });
});
