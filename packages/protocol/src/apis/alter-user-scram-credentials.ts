// AlterUserScramCredentials (key 51): deletes and upserts SCRAM credentials; the client sends the
// salt and the salted password (never the password). Version 0 (flexible 0+).
//
// Request  => [deletions => name mechanism:int8] [upsertions => name mechanism:int8 iterations salt:bytes salted_password:bytes]
// Response => throttle_time_ms [results => user error_code error_message(nullable)]
import type { ApiSchema } from '../schema/types';

export const alterUserScramCredentialsSchema = {
  apiKey: 51,
  name: 'AlterUserScramCredentials',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      {
        name: 'deletions',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          { name: 'mechanism', type: 'int8', versions: '0+' },
        ],
      },
      {
        name: 'upsertions',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'name', type: 'string', versions: '0+' },
          { name: 'mechanism', type: 'int8', versions: '0+' },
          { name: 'iterations', type: 'int32', versions: '0+' },
          { name: 'salt', type: 'bytes', versions: '0+' },
          { name: 'saltedPassword', type: 'bytes', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'results',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'user', type: 'string', versions: '0+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
