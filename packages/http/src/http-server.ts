// The broker's HTTP listener (node:http + ws): reads each body within a size limit, routes it,
// answers JSON errors for bad input and 500 for a route's bug — a request never crashes the broker.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { ANONYMOUS_HTTP_PRINCIPAL, type HttpAuthenticator, type HttpAuthorizer, isCredentialProtocol } from './http-authentication';
import { type ErrorBody, HttpError } from './http-error';
import { type HttpLogger, SILENT_LOGGER } from './http-logger';
import { toJson } from './json';
import type { HttpRequest, Route, RouteResult, WebSocketRoute } from './route';
import { type RouteMatch, Router } from './router';

export interface HttpServerOptions {
  readonly host?: string;
  /** 0 = a free port. */
  readonly port: number;
  readonly router?: Router;
  readonly logger?: HttpLogger;
  /** Largest request body accepted (413 past it); default 8 MiB. */
  readonly maxBodyBytes?: number;
  /** Largest WebSocket message accepted from a client; default 64 KiB. */
  readonly maxWebSocketMessageBytes?: number;
  /** HTTPS (node:https) with this PEM material; absent: plain HTTP. */
  readonly tls?: HttpTlsOptions;
  /** Who asks, before every route not marked `public` and every WebSocket upgrade; absent: everyone is User:ANONYMOUS. */
  readonly authenticator?: HttpAuthenticator;
  /** Whether they may, around every non-public route and before every upgrade; absent: anyone authenticated may. */
  readonly authorizer?: HttpAuthorizer;
}

export interface HttpTlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  readonly passphrase?: string | undefined;
  /** CA certificates client certificates must chain to. */
  readonly ca?: string | Buffer | undefined;
  /** `requested`: ask for a client certificate; `required`: refuse the handshake without a trusted one. Default none. */
  readonly clientAuth?: 'none' | 'requested' | 'required';
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export class HttpServer {
  readonly router: Router;
  private readonly sockets = new Set<Socket>();
  private readonly webSockets: WebSocketServer;
  /** What each open WebSocket was authorized as, to check it again when the ACLs change. */
  private readonly admitted = new Map<WebSocket, { request: HttpRequest; match: RouteMatch<WebSocketRoute> }>();
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly logger: HttpLogger,
    private readonly maxBodyBytes: number,
    router: Router,
    maxWebSocketMessageBytes: number,
    private readonly authenticator: HttpAuthenticator | undefined,
    private readonly authorizer: HttpAuthorizer | undefined,
  ) {
    this.router = router;
    this.webSockets = new WebSocketServer({
      noServer: true,
      maxPayload: maxWebSocketMessageBytes,
      // The first protocol that is not a credential (a browser's `mq` beside `mq.basic.…`): never echo a password.
      handleProtocols: (offered) => [...offered].find((p) => !isCredentialProtocol(p)) ?? false,
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.onRequest(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.onUpgrade(req, socket, head));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    // A malformed request line or headers: node answers nothing by itself once a listener exists.
    server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
      this.logger.debug({ err }, 'http client error');
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
      const status = tooLarge ? 431 : 400;
      socket.end(rawAnswer(status, tooLarge ? 'Request Header Fields Too Large' : 'Bad Request', { error_code: status, message: tooLarge ? 'request headers too large' : 'malformed HTTP request' }));
    });
    // A failed TLS handshake (plaintext on the HTTPS port, an untrusted certificate) closes that socket only.
    server.on('tlsClientError', (err: Error, socket: Duplex) => {
      this.logger.info({ reason: err.message }, 'http TLS handshake failed');
      socket.destroy();
    });
  }

  static async start(opts: HttpServerOptions): Promise<HttpServer> {
    const timeouts = { requestTimeout: 60_000, headersTimeout: 30_000, keepAliveTimeout: 5_000 };
    const tls = opts.tls;
    const clientAuth = tls?.clientAuth ?? 'none';
    const server: Server =
      tls === undefined
        ? createServer(timeouts)
        : (createHttpsServer({
            ...timeouts,
            key: tls.key,
            cert: tls.cert,
            ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
            ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
            requestCert: clientAuth !== 'none',
            rejectUnauthorized: clientAuth === 'required',
            minVersion: 'TLSv1.2',
          }) as unknown as Server);
    const http = new HttpServer(
      server,
      opts.logger ?? SILENT_LOGGER,
      opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      opts.router ?? new Router(),
      opts.maxWebSocketMessageBytes ?? 64 * 1024,
      opts.authenticator,
      opts.authorizer,
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: opts.host ?? '127.0.0.1', port: opts.port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => http.logger.error({ err }, 'http listener error'));
    return http;
  }

  address(): { host: string; port: number } {
    const a = this.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  get port(): number {
    return this.address().port;
  }

  /** Open WebSocket clients (a tail, a stats stream). */
  get webSocketClients(): ReadonlySet<WebSocket> {
    return this.webSockets.clients;
  }

  /**
   * Runs the authorizer again for every open WebSocket (the ACLs changed): a stream its principal may
   * no longer open is closed with 1008 and the refusal. Returns how many were closed.
   */
  reauthorizeWebSockets(): number {
    if (this.authorizer === undefined) return 0;
    let closed = 0;
    for (const [ws, { request, match }] of this.admitted) {
      try {
        this.authorizer.webSocket(request, match);
      } catch (err) {
        const message = err instanceof HttpError ? err.message : 'internal error';
        this.logger.info({ principal: request.principal, path: request.path, reason: message }, 'websocket no longer authorized: closing');
        this.admitted.delete(ws);
        ws.close(err instanceof HttpError ? 1008 : 1011, message.slice(0, 120));
        closed++;
      }
    }
    return closed;
  }

  /** Stops accepting, closes WebSockets (1001 going away) and every open socket. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const ws of this.webSockets.clients) ws.close(1001, 'broker stopping');
      this.webSockets.close();
      this.server.closeIdleConnections();
      // In-flight answers are tiny; whatever is still open after a moment is cut.
      const timer = setTimeout(() => {
        for (const s of this.sockets) s.destroy();
      }, 1_000);
      await closed;
      clearTimeout(timer);
    })();
    return this.stopping;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = parseUrl(req.url);
      const found = this.router.lookup(req.method ?? 'GET', url.pathname);
      if (found === undefined) throw HttpError.notFound(`no route for ${req.method} ${url.pathname}`);
      if ('allowed' in found) {
        res.setHeader('Allow', found.allowed.join(', '));
        throw new HttpError(405, `${req.method} is not allowed on ${url.pathname} (allowed: ${found.allowed.join(', ')})`);
      }
      const route: Route = found.route;
      const principal = route.public === true ? ANONYMOUS_HTTP_PRINCIPAL : await this.principalOf(req);
      const body = await this.readBody(req);
      const request = httpRequest(req, url, body, principal);
      const run = async () => route.handler(request, found.params);
      const result = await (route.public === true || this.authorizer === undefined ? run() : this.authorizer.route(request, found, run));
      await this.send(res, result);
    } catch (err) {
      this.sendError(req, res, err);
    }
  }

  private async principalOf(req: IncomingMessage): Promise<string> {
    if (this.authenticator === undefined) return ANONYMOUS_HTTP_PRINCIPAL;
    return this.authenticator.authenticate({ headers: req.headers, remoteAddress: req.socket.remoteAddress ?? '', socket: req.socket });
  }

  private readBody(req: IncomingMessage): Promise<Buffer> {
    const limit = this.maxBodyBytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return Promise.reject(tooLarge(limit));
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > limit) {
          req.off('data', onData);
          req.resume(); // drain, so the 413 can still be written on this socket
          reject(tooLarge(limit));
          return;
        }
        chunks.push(chunk);
      };
      req.on('data', onData);
      req.once('end', () => resolve(Buffer.concat(chunks, size)));
      req.once('error', reject);
    });
  }

  private async send(res: ServerResponse, result: RouteResult): Promise<void> {
    for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, v);
    if ('stream' in result) {
      res.writeHead(result.status, { 'Content-Type': result.contentType });
      await pipeline(result.stream, res);
      return;
    }
    if (result.status === 204 || result.body === undefined) {
      res.writeHead(result.status).end();
      return;
    }
    const raw = typeof result.body === 'string' || Buffer.isBuffer(result.body);
    const payload = raw ? (result.body as string | Buffer) : toJson(result.body);
    const contentType = result.contentType ?? (raw ? 'text/plain; charset=utf-8' : 'application/json');
    res.writeHead(result.status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }).end(payload);
  }

  private sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    const known = err instanceof HttpError;
    if (!known) this.logger.error({ err, method: req.method, url: req.url }, 'http route failed');
    else if (err.status >= 500) this.logger.warn({ err, method: req.method, url: req.url }, 'http route answered an error');
    if (res.headersSent) {
      res.destroy(); // a stream failed mid-way: the client must not take a truncated body as whole
      return;
    }
    const status = known ? err.status : 500;
    const body: ErrorBody = { error_code: known ? err.errorCode : 500, message: known ? err.message : 'internal server error' };
    const payload = toJson(body);
    if (known) for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
    // After a 413 the rest of an oversized body is not worth reading; nor is an unauthenticated one.
    if (status === 413 || (status === 401 && !req.complete)) res.setHeader('Connection', 'close');
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }).end(payload);
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    // An error before the handshake completes must not become an unhandled 'error' on the raw socket.
    socket.on('error', (err) => this.logger.debug({ err }, 'websocket upgrade socket error'));
    let url: URL;
    let found: ReturnType<Router['lookupWebSocket']>;
    try {
      url = parseUrl(req.url);
      found = this.router.lookupWebSocket(url.pathname);
    } catch {
      socket.end(rawAnswer(400, 'Bad Request', { error_code: 400, message: `malformed request target: ${String(req.url).slice(0, 200)}` }));
      return;
    }
    if (found === undefined) {
      socket.end(rawAnswer(404, 'Not Found', { error_code: 404, message: `no WebSocket route for ${url.pathname}` }));
      return;
    }
    const { route, params } = found;
    let request: HttpRequest;
    try {
      request = httpRequest(req, url, Buffer.alloc(0), await this.principalOf(req));
      this.authorizer?.webSocket(request, found);
    } catch (err) {
      const known = err instanceof HttpError;
      if (!known) this.logger.error({ err, url: req.url }, 'websocket authentication failed');
      const status = known ? err.status : 500;
      const reason = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 400 ? 'Bad Request' : 'Internal Server Error';
      socket.end(rawAnswer(status, reason, { error_code: known ? err.errorCode : 500, message: known ? err.message : 'internal server error' }, known ? err.headers : {}));
      return;
    }
    if (socket.destroyed) return; // the client left while its credentials were checked
    this.webSockets.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', (err) => this.logger.debug({ err }, 'websocket error'));
      if (this.authorizer !== undefined) {
        this.admitted.set(ws, { request, match: found });
        ws.once('close', () => this.admitted.delete(ws));
      }
      try {
        route.onConnection(ws, request, params);
      } catch (err) {
        const known = err instanceof HttpError;
        if (!known) this.logger.error({ err, url: req.url }, 'websocket route failed');
        ws.close(known ? 1008 : 1011, known ? err.message.slice(0, 120) : 'internal error');
      }
    });
  }
}

function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://localhost');
  } catch {
    throw HttpError.badRequest(`malformed request target: ${String(raw).slice(0, 200)}`);
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body larger than ${limit} bytes`);
}

/** An answer written on a raw socket (a refused upgrade, a malformed request): JSON, then closed. */
function rawAnswer(status: number, reason: string, body: ErrorBody, headers: Readonly<Record<string, string>> = {}): string {
  const payload = toJson(body);
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`;
}

function httpRequest(req: IncomingMessage, url: URL, body: Buffer, principal: string): HttpRequest {
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
    principal,
    remoteAddress: req.socket.remoteAddress ?? '',
    json(): unknown {
      if (body.length === 0) throw HttpError.badRequest('request body must be JSON, got an empty body');
      try {
        return JSON.parse(body.toString('utf8'));
      } catch (err) {
        throw HttpError.badRequest(`request body is not valid JSON: ${(err as Error).message}`);
      }
    },
  };
}
