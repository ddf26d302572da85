// SaslAuthenticate (key 36) schema: every version round-trips; v0 bytes, v1 session lifetime,
// flexible v2.
import { describe, expect, it } from 'vitest';
import { saslAuthenticateSchema } from '../../src/apis/sasl-authenticate';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';
import { kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(saslAuthenticateSchema);

describe('SaslAuthenticate', () => {
  const plain = Buffer.from('\0user\0pass');

  it('v0 request is the raw token as int32-length bytes; v2 compact', () => {
    expect(encodeBody(saslAuthenticateSchema, 'request', 0, { authBytes: plain }).toString('hex')).toBe('0000000a' + plain.toString('hex'));
    expect(encodeBody(saslAuthenticateSchema, 'request', 2, { authBytes: plain }).toString('hex')).toBe('0b' + plain.toString('hex') + '00');
  });

  it('v0 response decodes sessionLifetimeMs as 0n; v1 carries it', () => {
    const v0 = hex('0000 ffff 00000000');
    expect(decodeBody(saslAuthenticateSchema, 'response', 0, v0)).toEqual({
      errorCode: 0,
      errorMessage: null,
      authBytes: Buffer.alloc(0),
      sessionLifetimeMs: 0n,
    });
    const v1 = encodeBody(saslAuthenticateSchema, 'response', 1, { errorCode: 0, errorMessage: null, authBytes: Buffer.alloc(0), sessionLifetimeMs: 3600000n });
    expect(v1.toString('hex')).toBe(hex('0000 ffff 00000000 000000000036ee80').toString('hex'));
  });
});

describe('SaslAuthenticate with real clients', () => {
  platformaticParsesEveryResponse(saslAuthenticateSchema, 'saslAuthenticate');

  it.each([0, 1])('decodes the kafkajs v%i request', async (version) => {
    // kafkajs's SASL mechanisms hand over their token already int32-length-prefixed (writeBytes).
    const token = Buffer.from('\0u\0p');
    const prefixed = Buffer.concat([Buffer.from([0, 0, 0, token.length]), token]);
    const bytes = await kafkajsRequestBytes('saslAuthenticate', version, { authBytes: prefixed });
    expect(decodeBody(saslAuthenticateSchema, 'request', version, bytes)).toEqual({ authBytes: Buffer.from('\0u\0p') });
  });
});
