// @mq/http public API: the listener, its route table, the error every route throws for bad input.
export { HttpError } from './http-error';
export type { ErrorBody } from './http-error';
export type { HttpLogger } from './http-logger';
export { DEFAULT_MAX_BODY_BYTES, HttpServer } from './http-server';
export type { HttpServerOptions, HttpTlsOptions } from './http-server';
export { toJson } from './json';
export type { HttpMethod, HttpRequest, HttpResponse, PathParams, Route, RouteResult, StreamResponse, WebSocketRoute } from './route';
export { Router } from './router';
export type { Lookup, RouteMatch } from './router';
export { ANONYMOUS_HTTP_PRINCIPAL, WEBSOCKET_BASIC_PROTOCOL_PREFIX, WEBSOCKET_BEARER_PROTOCOL_PREFIX, WEBSOCKET_PROTOCOL } from './http-authentication';
export type { HttpAuthenticator, HttpAuthorizer, HttpClient } from './http-authentication';
export { BasicAuthenticator } from './basic-authenticator';
export type { BasicAuthenticatorOptions, HttpAuthenticationMethod } from './basic-authenticator';
