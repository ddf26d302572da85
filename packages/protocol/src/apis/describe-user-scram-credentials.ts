// DescribeUserScramCredentials (key 50): the SCRAM mechanisms and iterations of users (never a secret).
// Version 0 (flexible 0+).
//
// Request  => [users => name](nullable: every user)
// Response => throttle_time_ms error_code error_message(nullable)
//             [results => user error_code error_message(nullable) [credential_infos => mechanism:int8 iterations]]
import type { ApiSchema } from '../schema/types';

export const describeUserScramCredentialsSchema = {
  apiKey: 50,
  name: 'DescribeUserScramCredentials',
  request: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [{ name: 'users', type: '[]struct', versions: '0+', nullableVersions: '0+', fields: [{ name: 'name', type: 'string', versions: '0+' }] }],
  },
  response: {
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      {
        name: 'results',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'user', type: 'string', versions: '0+' },
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
          {
            name: 'credentialInfos',
            type: '[]struct',
            versions: '0+',
            fields: [
              { name: 'mechanism', type: 'int8', versions: '0+' },
              { name: 'iterations', type: 'int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
