// SaslAuthenticate (key 36) schema: every version round-trips; v0 bytes, v1 session lifetime,
// flexible v2.
import { describe, expect, it } from 'vitest';
import { saslAuthenticateSchema } from '../../src/apis/sasl-authenticate';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';

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
