// The shape every admin route is written in: a handler that returns a body (or a full answer), with
// Kafka errors turned into HTTP ones and the cluster id in the path checked first.
import { HttpError, type HttpMethod, type HttpRequest, type HttpResponse, type PathParams, type Route } from '@mq/http';
import type { AdminServices } from '../admin-services';
import { toHttpError } from '../kafka-http-error';

export type AdminHandler = (req: HttpRequest, params: PathParams) => unknown | Promise<unknown>;

/** A handler's answer that is not a plain 200 JSON body (201, 204, a Location header). */
export class Answer {
  constructor(readonly response: HttpResponse) {}
  static created(body: unknown): Answer {
    return new Answer({ status: 201, body });
  }
  static noContent(): Answer {
    return new Answer({ status: 204 });
  }
}

export const CLUSTER_PATH = '/v3/clusters/:cluster_id';

export function route(services: AdminServices, method: HttpMethod, path: string, handle: AdminHandler): Route {
  return {
    method,
    path,
    async handler(req, params) {
      try {
        if (params.cluster_id !== undefined && params.cluster_id !== services.cluster.clusterId) {
          throw HttpError.notFound(`cluster ${params.cluster_id} not found (this is ${services.cluster.clusterId})`);
        }
        const out = await handle(req, params);
        return out instanceof Answer ? out.response : { status: 200, body: out };
      } catch (err) {
        throw toHttpError(err);
      }
    },
  };
}

/** REST Proxy v3 wraps collections as `{ kind, metadata, data }`. */
export function collection(kind: string, self: string, data: readonly unknown[]): { kind: string; metadata: { self: string; next: null }; data: readonly unknown[] } {
  return { kind: `Kafka${kind}List`, metadata: { self, next: null }, data };
}
