// SaslHandshake (key 17): pick a SASL mechanism; the broker lists the mechanisms it enables.
// Every version 0-1 (never flexible). v0 sends raw SASL tokens next; v1 wraps them in SaslAuthenticate.
//
// Request  => mechanism
// Response => error_code [mechanisms]
import type { ApiSchema } from '../schema/types';

export const saslHandshakeSchema = {
  apiKey: 17,
  name: 'SaslHandshake',
  request: {
    validVersions: '0-1',
    flexibleVersions: 'none',
    fields: [{ name: 'mechanism', type: 'string', versions: '0+' }],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: 'none',
    fields: [
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'mechanisms', type: '[]string', versions: '0+' },
    ],
  },
} as const satisfies ApiSchema;
