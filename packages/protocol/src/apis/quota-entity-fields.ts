// The quota entity (user / client-id / ip, with a null name for the type's default) is one structure in
// both client-quota APIs (48 DescribeClientQuotas, 49 AlterClientQuotas), so it is declared once.
import type { FieldSpec } from '../schema/types';

export const quotaEntityFields = [
  {
    name: 'entity',
    type: '[]struct',
    versions: '0+',
    fields: [
      { name: 'entityType', type: 'string', versions: '0+' },
      { name: 'entityName', type: 'string', versions: '0+', nullableVersions: '0+' },
    ],
  },
] as const satisfies readonly FieldSpec[];

export const quotaValueFields = [
  { name: 'key', type: 'string', versions: '0+' },
  { name: 'value', type: 'float64', versions: '0+' },
] as const satisfies readonly FieldSpec[];
