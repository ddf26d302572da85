// SaslAuthenticate (key 36): one round of SASL tokens after SaslHandshake v1.
// Every version 0-2 (flexible 2+); v1 adds the session lifetime (KIP-368 re-authentication).
//
// Request  => auth_bytes:bytes
// Response => error_code error_message(nullable) auth_bytes:bytes session_lifetime_ms:int64(1+)
import type { ApiSchema } from '../schema/types';

export const saslAuthenticateSchema = {
  apiKey: 36,
  name: 'SaslAuthenticate',
  request: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [{ name: 'authBytes', type: 'bytes', versions: '0+' }],
  },
  response: {
    validVersions: '0-2',
    flexibleVersions: '2+',
    fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      { name: 'authBytes', type: 'bytes', versions: '0+' },
      { name: 'sessionLifetimeMs', type: 'int64', versions: '1+', default: 0n },
    ],
  },
} as const satisfies ApiSchema;
