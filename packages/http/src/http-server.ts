// The broker's HTTP listener (node:http + ws): reads each body within a size limit, routes it,
// answers JSON errors for bad input and 500 for a route's bug — a request never crashes the broker.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { type ErrorBody, HttpError } from './http-error';
import { type HttpLogger, SILENT_LOGGER } from './http-logger';
import { toJson } from './json';
import type { HttpRequest, RouteResult } from './route';
import { Router } from './router';

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
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

export class HttpServer {
  readonly router: Router;
  private readonly sockets = new Set<Socket>();
  private readonly webSockets: WebSocketServer;
  private stopping: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly logger: HttpLogger,
    private readonly maxBodyBytes: number,
    router: Router,
    maxWebSocketMessageBytes: number,
  ) {
    this.router = router;
    this.webSockets = new WebSocketServer({ noServer: true, maxPayload: maxWebSocketMessageBytes });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.onRequest(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    // A malformed request line or headers: node answers nothing by itself once a listener exists.
    server.on('clientError', (err: Error, socket: Duplex) => {
      this.logger.debug({ err }, 'http client error');
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  static async start(opts: HttpServerOptions): Promise<HttpServer> {
    const server = createServer({ requestTimeout: 60_000, headersTimeout: 30_000, keepAliveTimeout: 5_000 });
    const http = new HttpServer(
      server,
      opts.logger ?? SILENT_LOGGER,
      opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      opts.router ?? new Router(),
      opts.maxWebSocketMessageBytes ?? 64 * 1024,
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
      const body = await this.readBody(req);
      const result = await found.route.handler(httpRequest(req, url, body), found.params);
      await this.send(res, result);
    } catch (err) {
      this.sendError(req, res, err);
    }
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
    // After a 413 the rest of an oversized body is not worth reading.
    if (status === 413) res.setHeader('Connection', 'close');
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }).end(payload);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let url: URL;
    let found: ReturnType<Router['lookupWebSocket']>;
    try {
      url = parseUrl(req.url);
      found = this.router.lookupWebSocket(url.pathname);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (found === undefined) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const { route, params } = found;
    this.webSockets.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', (err) => this.logger.debug({ err }, 'websocket error'));
      try {
        route.onConnection(ws, httpRequest(req, url, Buffer.alloc(0)), params);
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

function httpRequest(req: IncomingMessage, url: URL, body: Buffer): HttpRequest {
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body,
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
