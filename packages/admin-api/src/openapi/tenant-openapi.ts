// The tenants (/v1/tenants) in the OpenAPI document: operations (merged into OPENAPI_PATHS) and
// their schemas (merged into the components). Fields as in mq.tenants.file.
import { arr, int, obj, oneOfStrings, ref, type Schema, str } from './schema-builders';

const json = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: ref(schema) } } });
const name = { name: 'name', in: 'path' as const, required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' }, description: 'the tenant' };
const unavailable = json('this broker manages no tenants', 'Error');
const fileTenant = json('the tenant is defined in mq.tenants.file (POLICY_VIOLATION): change it there', 'Error');
const quotas: Schema = obj({ producer_byte_rate: { type: 'number' }, consumer_byte_rate: { type: 'number' }, request_percentage: { type: 'number' } }, ['producer_byte_rate', 'consumer_byte_rate', 'request_percentage']);
const definition = { principalPrefix: str, resourcePrefix: str, quotas, storageLimitBytes: int, maxConnections: int };

export const TENANT_PATHS = {
  '/v1/tenants': {
    get: { operationId: 'listTenants', summary: 'The tenants: those of mq.tenants.file and those in the metadata store', responses: { 200: json('every tenant by name', 'TenantList'), 503: unavailable } },
  },
  '/v1/tenants/{name}': {
    get: { operationId: 'getTenant', summary: 'One tenant', parameters: [name], responses: { 200: json('the tenant', 'Tenant'), 404: json('no such tenant', 'Error'), 503: unavailable } },
    put: {
      operationId: 'setTenant',
      summary: 'Create or replace a tenant in the metadata store: every broker applies it (prefix grants, quotas, storage and connection limits)',
      parameters: [name],
      requestBody: { required: true, content: { 'application/json': { schema: ref('TenantDefinition') } } },
      responses: { 200: json('the tenant as stored', 'Tenant'), 400: json('not a valid tenant, or its resource prefix overlaps another tenant’s (INVALID_CONFIG)', 'Error'), 403: fileTenant, 503: unavailable },
    },
    delete: {
      operationId: 'deleteTenant',
      summary: 'Remove a stored tenant (every broker stops applying it)',
      parameters: [name],
      responses: { 204: { description: 'removed' }, 403: fileTenant, 404: json('no tenant of that name is stored', 'Error'), 503: unavailable },
    },
  },
};

export const TENANT_SCHEMAS: Record<string, Schema> = {
  TenantDefinition: obj({ name: str, ...definition }, ['name', 'quotas', 'storageLimitBytes', 'maxConnections']),
  Tenant: obj({ name: str, ...definition, source: oneOfStrings('file', 'metadata') }, ['quotas', 'storageLimitBytes', 'maxConnections']),
  TenantList: obj({ tenants: arr(ref('Tenant')) }),
};
