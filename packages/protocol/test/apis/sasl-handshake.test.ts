// SaslHandshake (key 17) schema: both versions round-trip; golden bytes (never flexible).
import { describe, expect, it } from 'vitest';
import { saslHandshakeSchema } from '../../src/apis/sasl-handshake';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';

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
