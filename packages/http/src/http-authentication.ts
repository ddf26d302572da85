// The listener's two security seams: an authenticator (who asks: a principal, or a 401) run before
// any non-public route or WebSocket upgrade, and an authorizer (may they: pass on, or a 403) around
// each route call and before each upgrade. The listener knows no users and no ACLs itself.
import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpRequest, Route, RouteResult, WebSocketRoute } from './route';
import type { RouteMatch } from './router';

/** What an authenticator sees of a request: its headers and the socket (a TLSSocket on HTTPS). */
export interface HttpClient {
  readonly headers: IncomingHttpHeaders;
  readonly remoteAddress: string;
  readonly socket: Socket;
}

export interface HttpAuthenticator {
  /** The principal (`User:alice`); rejects with HttpError 401 (and its WWW-Authenticate) otherwise. */
  authenticate(client: HttpClient): Promise<string>;
}

export interface HttpAuthorizer {
  /** Runs `next()` (the route) if the principal may, else throws HttpError 403; may filter what `next()` answers. */
  route(req: HttpRequest, match: RouteMatch<Route>, next: () => Promise<RouteResult>): Promise<RouteResult>;
  /** Throws HttpError 403 when the principal may not open this stream. */
  webSocket(req: HttpRequest, match: RouteMatch<WebSocketRoute>): void;
}

/** The principal of a listener without authentication (Kafka's name for a PLAINTEXT client). */
export const ANONYMOUS_HTTP_PRINCIPAL = 'User:ANONYMOUS';

/**
 * Browsers cannot set headers on a WebSocket: they offer the credential as a subprotocol
 * `mq.basic.<base64url(user:password)>` beside `mq`, which the listener selects (never the credential).
 */
export const WEBSOCKET_BASIC_PROTOCOL_PREFIX = 'mq.basic.';
/** The same for a bearer token: `mq.bearer.<token>` (a JWT's characters are all allowed in a subprotocol). */
export const WEBSOCKET_BEARER_PROTOCOL_PREFIX = 'mq.bearer.';
/** Whether an offered subprotocol carries a credential (never selected, never echoed). */
export const isCredentialProtocol = (p: string): boolean => p.startsWith(WEBSOCKET_BASIC_PROTOCOL_PREFIX) || p.startsWith(WEBSOCKET_BEARER_PROTOCOL_PREFIX);
export const WEBSOCKET_PROTOCOL = 'mq';
