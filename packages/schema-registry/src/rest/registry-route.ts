// The shape of a REST route, structurally the broker HTTP listener's (`@mq/http` Route): this
// package sits below that layer, so it declares what it needs and the broker mounts the routes.

export interface RegistryRequest {
  readonly query: URLSearchParams;
  readonly body: Buffer;
  /** Lower-case names, as node:http gives them (forwarding carries some on). */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  /** Who the listener authenticated (`User:alice`); a forwarded request names them to the leader. */
  readonly principal?: string;
}

export interface RegistryResponse {
  readonly status: number;
  /** A Buffer or string goes out as it is; anything else as JSON. */
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RegistryRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `:name` segments are path parameters, percent-decoded by the listener. */
  readonly path: string;
  handler(req: RegistryRequest, params: Readonly<Record<string, string>>): Promise<RegistryResponse>;
}

/** Confluent's response media type; clients send it (or application/json) in Accept and Content-Type. */
export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
