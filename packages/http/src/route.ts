// What a route is: a method, a path pattern with :params, and a handler from request to response.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request as a handler sees it: the body already read (within the listener's limit). */
export interface HttpRequest {
  readonly method: string;
  /** Decoded path, without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Who asks: `User:<name>` once authenticated, `User:ANONYMOUS` on a listener without authentication. */
  readonly principal: string;
  /** The client's address (the socket's), for ACL hosts. */
  readonly remoteAddress: string;
  /** The body parsed as JSON; an empty or malformed body throws HttpError 400. */
  json(): unknown;
}

export type PathParams = Readonly<Record<string, string>>;

/** A complete answer. `body` is JSON-encoded unless it is a Buffer or string (then `contentType` applies). */
export interface HttpResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A streamed answer (e.g. /metrics text or a chunked record dump); an error mid-stream ends the socket. */
export interface StreamResponse {
  readonly status: number;
  readonly stream: Readable | AsyncIterable<Buffer | string>;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RouteResult = HttpResponse | StreamResponse;

export interface Route {
  readonly method: HttpMethod;
  /** `/v1/topics/:topic/partitions/:partition`: a `:name` segment matches one non-empty segment. */
  readonly path: string;
  /** Answered without authentication (the console's static files: the login form must load). */
  readonly public?: boolean;
  handler(req: HttpRequest, params: PathParams): RouteResult | Promise<RouteResult>;
}

/** A WebSocket endpoint: the upgrade of a GET on `path`. */
export interface WebSocketRoute {
  readonly path: string;
  /** Called once the upgrade is done; throwing (HttpError or not) closes the socket with code 1008/1011. */
  onConnection(socket: WebSocket, req: HttpRequest, params: PathParams): void;
}
