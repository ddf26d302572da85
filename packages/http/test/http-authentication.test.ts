// The listener's security seams on a real listener (fetch, raw sockets, a ws client): public routes
// skip the authenticator, the principal reaches the route, the authorizer refuses (403) or filters,
// BasicAuthenticator's 401s (delayed for a wrong password, xBasic for scripts), WebSocket upgrades
// refused with JSON or accepted with the credential subprotocol never echoed, 431 for huge headers.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BasicAuthenticator, HttpError, type HttpAuthorizer, HttpServer, Router } from '../src/index';

const USERS = new Map([
  ['alice', 'alice-pw'],
  ['broker', 'broker-pw'],
]);
const warnings: object[] = [];
const logger = { debug() {}, info() {}, error() {}, warn: (o: object) => warnings.push(o) };

let server: HttpServer;
let base: string;

const authorizer: HttpAuthorizer = {
  async route(req, match, next) {
    if (match.route.path === '/v1/admin' && req.principal !== 'User:root') throw HttpError.forbidden(`${req.principal} may not`);
    const res = await next();
    if (match.route.path !== '/v1/list' || !('body' in res)) return res;
    return { ...res, body: (res.body as string[]).filter((x) => x.startsWith('a')) };
  },
  webSocket(req) {
    if (req.query.get('deny') !== null) throw HttpError.forbidden('stream refused');
  },
};

beforeAll(async () => {
  const router = new Router().add(
    { method: 'GET', path: '/v1/whoami', handler: (req) => ({ status: 200, body: { principal: req.principal, remote: req.remoteAddress } }) },
    { method: 'GET', path: '/v1/list', handler: () => ({ status: 200, body: ['apple', 'banana', 'avocado'] }) },
    { method: 'GET', path: '/v1/admin', handler: () => ({ status: 200, body: {} }) },
    { method: 'POST', path: '/v1/upload', handler: () => ({ status: 204 }) },
    { method: 'GET', path: '/static', public: true, handler: (req) => ({ status: 200, body: req.principal }) },
  );
  router.addWebSocket({ path: '/v1/ws', onConnection: (ws, req) => ws.send(req.principal) });
  server = await HttpServer.start({
    port: 0,
    router,
    authorizer,
    authenticator: new BasicAuthenticator({
      methods: ['basic'],
      verifyPassword: async (u, p) => USERS.get(u) === p,
      failureDelayMs: 30,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      logger,
      forwardedPrincipal: { header: 'x-forwarded-principal', trusted: (p) => p === 'User:broker' },
    }),
  });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.stop();
});

const alice = { authorization: `Basic ${Buffer.from('alice:alice-pw').toString('base64')}` };

describe('HttpServer with an authenticator and an authorizer', () => {
  it('serves public routes without credentials and hands the principal to the others', async () => {
    expect(await (await fetch(`${base}/static`)).text()).toBe('User:ANONYMOUS');
    const who = await fetch(`${base}/v1/whoami`, { headers: alice });
    expect(await who.json()).toEqual({ principal: 'User:alice', remote: '127.0.0.1' });
  });

  it('answers 401 JSON with a challenge; xBasic to scripts; wrong passwords logged without them', async () => {
    const none = await fetch(`${base}/v1/whoami`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="mq", charset="UTF-8"');
    expect(await none.json()).toEqual({ error_code: 401, message: 'authentication required: Basic credentials' });
    const script = await fetch(`${base}/v1/whoami`, { headers: { 'x-requested-with': 'XMLHttpRequest' } });
    expect(script.headers.get('www-authenticate')).toBe('xBasic realm="mq", charset="UTF-8"');
    const started = performance.now();
    const wrong = await fetch(`${base}/v1/whoami`, { headers: { authorization: `Basic ${Buffer.from('alice:guess').toString('base64')}` } });
    expect(wrong.status).toBe(401);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(JSON.stringify(warnings)).toContain('"user":"alice"');
    expect(JSON.stringify(warnings)).not.toContain('guess');
  });

  it('takes a forwarded principal only from a trusted principal', async () => {
    const broker = { authorization: `Basic ${Buffer.from('broker:broker-pw').toString('base64')}` };
    const as = async (headers: Record<string, string>) => {
      const res = await fetch(`${base}/v1/whoami`, { headers });
      return { status: res.status, body: (await res.json()) as { principal?: string; message?: string } };
    };
    expect((await as({ ...broker, 'x-forwarded-principal': 'User:CN=carol,O=mq' })).body.principal).toBe('User:CN=carol,O=mq');
    expect((await as(broker)).body.principal).toBe('User:broker');
    const spoofed = await as({ ...alice, 'x-forwarded-principal': 'User:root' });
    expect(spoofed).toEqual({ status: 401, body: { error_code: 401, message: 'authentication failed: x-forwarded-principal is taken only from another broker, and User:alice is not one' } });
    expect((await as({ ...broker, 'x-forwarded-principal': 'root' })).status).toBe(401);
  });

  it('closes the connection after a 401 that left a body unread', async () => {
    const res = await fetch(`${base}/v1/upload`, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(res.status).toBe(401);
    expect(res.headers.get('connection')).toBe('close');
  });

  it('lets the authorizer refuse (403) and filter', async () => {
    const refused = await fetch(`${base}/v1/admin`, { headers: alice });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error_code: 403, message: 'User:alice may not' });
    expect(await (await fetch(`${base}/v1/list`, { headers: alice })).json()).toEqual(['apple', 'avocado']);
  });

  it('refuses WebSocket upgrades with JSON, accepts the credential subprotocol and never echoes it', async () => {
    const outcome = (url: string, protocols: string[] = [], headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body?: string; protocol?: string; message?: string }>((resolve, reject) => {
        const ws = new WebSocket(url, protocols, { headers });
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        ws.on('message', (m) => {
          resolve({ status: 101, protocol: ws.protocol, message: m.toString() });
          ws.close();
        });
        ws.on('error', (err) => (String(err).includes('Unexpected server response') ? undefined : reject(err)));
      });
    const url = `ws://127.0.0.1:${server.port}/v1/ws`;
    const anonymous = await outcome(url);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body!).error_code).toBe(401);
    expect((await outcome(`${url}?deny=1`, [], alice)).status).toBe(403);
    const token = Buffer.from('alice:alice-pw').toString('base64url');
    expect(await outcome(url, ['mq', `mq.basic.${token}`])).toEqual({ status: 101, protocol: 'mq', message: 'User:alice' });
    // Offered only the credential: no protocol is selected, so the client refuses the handshake itself.
    await expect(outcome(url, [`mq.basic.${token}`])).rejects.toThrow(/subprotocol/);
  });

  it('answers oversized headers with 431 JSON and keeps serving', async () => {
    const raw = await new Promise<string>((resolve) => {
      const s = connect(server.port, '127.0.0.1', () => s.write(`GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      let got = '';
      s.on('data', (c) => (got += c));
      s.on('close', () => resolve(got));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    expect(raw).toContain('{"error_code":431,"message":"request headers too large"}');
    expect((await fetch(`${base}/v1/whoami`, { headers: alice })).status).toBe(200);
  });
});
