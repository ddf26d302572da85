// DescribeClientQuotas (key 48, KIP-546): the quota entities matching a filter and their values.
// Every version 0-1 (flexible 1+). match_type: 0 exact name, 1 the default entity, 2 any name of the type.
//
// Request  => [components => entity_type match_type:int8 match(nullable)] strict
// Response => throttle_time_ms error_code error_message(nullable)
//             [entries(nullable) => [entity => entity_type entity_name(nullable)] [values => key value:float64]]
import type { ApiSchema } from '../schema/types';
import { quotaEntityFields, quotaValueFields } from './quota-entity-fields';

export const describeClientQuotasSchema = {
  apiKey: 48,
  name: 'DescribeClientQuotas',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      {
        name: 'components',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'entityType', type: 'string', versions: '0+' },
          { name: 'matchType', type: 'int8', versions: '0+' },
          { name: 'match', type: 'string', versions: '0+', nullableVersions: '0+' },
        ],
      },
      { name: 'strict', type: 'bool', versions: '0+' },
    ],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      { name: 'errorCode', type: 'int16', versions: '0+' },
      { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      {
        name: 'entries',
        type: '[]struct',
        versions: '0+',
        nullableVersions: '0+',
        fields: [
          ...quotaEntityFields,
          {
            name: 'values',
            type: '[]struct',
            versions: '0+',
            fields: quotaValueFields,
          },
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
