// AlterClientQuotas (key 49, KIP-546): set or remove quota values of user / client-id / ip entities.
// Every version 0-1 (flexible 1+). An entity name of null is the entity type's default.
//
// Request  => [entries => [entity => entity_type entity_name(nullable)] [ops => key value:float64 remove]] validate_only
// Response => throttle_time_ms [entries => error_code error_message(nullable) [entity => entity_type entity_name(nullable)]]
import type { ApiSchema } from '../schema/types';
import { quotaEntityFields, quotaValueFields } from './quota-entity-fields';

export const alterClientQuotasSchema = {
  apiKey: 49,
  name: 'AlterClientQuotas',
  request: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      {
        name: 'entries',
        type: '[]struct',
        versions: '0+',
        fields: [
          ...quotaEntityFields,
          {
            name: 'ops',
            type: '[]struct',
            versions: '0+',
            fields: [
              ...quotaValueFields,
              { name: 'remove', type: 'bool', versions: '0+' },
            ],
          },
        ],
      },
      { name: 'validateOnly', type: 'bool', versions: '0+' },
    ],
  },
  response: {
    validVersions: '0-1',
    flexibleVersions: '1+',
    fields: [
      { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'entries',
        type: '[]struct',
        versions: '0+',
        fields: [
          { name: 'errorCode', type: 'int16', versions: '0+' },
          { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
          ...quotaEntityFields,
        ],
      },
    ],
  },
} as const satisfies ApiSchema;
