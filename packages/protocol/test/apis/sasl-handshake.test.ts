// SaslHandshake (key 17) schema: both versions round-trip; golden bytes (never flexible).
import { describe, expect, it } from 'vitest';
import { saslHandshakeSchema } from '../../src/apis/sasl-handshake';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';
import { kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(saslHandshakeSchema);

describe('SaslHandshake', () => {
  it('v1 request is the mechanism name as a non-compact string', () => {
    expect(encodeBody(saslHandshakeSchema, 'request', 1, { mechanism: 'PLAIN' }).toString('hex')).toBe(hex('0005 504c41494e').toString('hex'));
  });

  it('v0 response lists enabled mechanisms', () => {
    const bytes = hex('0021 00000002 0005 504c41494e 000d 534352414d2d5348412d323536');
    expect(decodeBody(saslHandshakeSchema, 'response', 0, bytes)).toEqual({ errorCode: 33, mechanisms: ['PLAIN', 'SCRAM-SHA-256'] });
  });
});

describe('SaslHandshake with real clients', () => {
  platformaticParsesEveryResponse(saslHandshakeSchema, 'saslHandshake');

  it.each([0, 1])('kafkajs v%i: request decodes, our response parses', async (version) => {
    const bytes = await kafkajsRequestBytes('saslHandshake', version, { mechanism: 'SCRAM-SHA-256' });
    expect(decodeBody(saslHandshakeSchema, 'request', version, bytes)).toEqual({ mechanism: 'SCRAM-SHA-256' });
    const response = encodeBody(saslHandshakeSchema, 'response', version, { errorCode: 0, mechanisms: ['PLAIN', 'SCRAM-SHA-256'] });
    expect(await kafkajsDecodeResponse('saslHandshake', version, response)).toMatchObject({ errorCode: 0, enabledMechanisms: ['PLAIN', 'SCRAM-SHA-256'] });
  });
});
