// Tenants over HTTP (what `mq tenants list | describe | set | delete` calls):
//   GET    /v1/tenants         → 200 { tenants: [TenantInfo] } (the file's and the stored ones)
//   GET    /v1/tenants/:name   → 200 TenantInfo | 404
//   PUT    /v1/tenants/:name   → 200 TenantInfo, the definition stored in the metadata store (every
//                                broker applies it) | 400 a bad definition | 403 a tenant of mq.tenants.file
//   DELETE /v1/tenants/:name   → 204 | 404 none stored | 403 a tenant of mq.tenants.file
// A broker that gave no tenants answers 503.
import { HttpError, type Route } from '@mq/http';
import type { AdminServices, TenantsAdmin } from '../admin-services';
import { orHttpError } from '../kafka-http-error';
import { objectBody } from '../request-input';

export function tenantRoutes(s: AdminServices): Route[] {
  const tenants = (): TenantsAdmin => {
    if (s.tenants === undefined) throw new HttpError(503, 'this broker manages no tenants');
    return s.tenants;
  };
  return [
    { method: 'GET', path: '/v1/tenants', handler: () => ({ status: 200, body: { tenants: tenants().list() } }) },
    {
      method: 'GET',
      path: '/v1/tenants/:name',
      handler: (_req, params) => {
        const t = tenants().list().find((x) => x.name === params.name);
        if (t === undefined) throw HttpError.notFound(`no tenant ${params.name}`);
        return { status: 200, body: t };
      },
    },
    {
      method: 'PUT',
      path: '/v1/tenants/:name',
      handler: async (req, params) => {
        const body = objectBody(req);
        return { status: 200, body: await orHttpError(() => tenants().set(params.name!, body)) };
      },
    },
    {
      method: 'DELETE',
      path: '/v1/tenants/:name',
      handler: async (_req, params) => {
        if (!(await orHttpError(() => tenants().delete(params.name!)))) throw HttpError.notFound(`no tenant ${params.name} is stored`);
        return { status: 204 };
      },
    },
  ];
}
