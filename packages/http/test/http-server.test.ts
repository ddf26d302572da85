// A real listener on 127.0.0.1:0 driven by fetch, raw sockets and a ws client: routing, params,
// JSON errors for every kind of bad input, body limits, streams, WebSocket routes, stop().
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { HttpError, HttpServer, Router } from '../src/index';

let http: HttpServer;
let base: string;
const logged: string[] = [];

beforeAll(async () => {
  const router = new Router().add(
    { method: 'GET', path: '/v1/topics/:topic/partitions/:partition', handler: (_req, p) => ({ status: 200, body: { ...p, offset: 5n, huge: 2n ** 60n } }) },
    { method: 'GET', path: '/v1/topics/_all', handler: () => ({ status: 200, body: { literal: true } }) },
    { method: 'GET', path: '/v1/topics/:topic', handler: (_req, p) => ({ status: 200, body: { param: p.topic } }) },
    { method: 'POST', path: '/v1/echo', handler: (req) => ({ status: 201, body: { got: req.json(), q: req.query.get('q') } }) },
    { method: 'DELETE', path: '/v1/echo', handler: () => ({ status: 204 }) },
    { method: 'GET', path: '/v1/bug', handler: () => { throw new TypeError('a route bug'); } },
    { method: 'GET', path: '/v1/teapot', handler: () => { throw new HttpError(422, 'unprocessable thing', 42201); } },
    { method: 'GET', path: '/v1/text', handler: () => ({ status: 200, body: 'plain', contentType: 'text/plain; version=0.0.4' }) },
    { method: 'GET', path: '/v1/stream', handler: () => ({ status: 200, contentType: 'text/plain', stream: Readable.from(['a', 'b', 'c']) }) },
  );
  router.addWebSocket({
    path: '/v1/ws/:name',
    onConnection(ws, req, params) {
      if (params.name === 'refuse') throw HttpError.badRequest('refused');
      ws.send(JSON.stringify({ hello: params.name, q: req.query.get('q') }));
      ws.on('message', (data) => ws.send(String(data).toUpperCase()));
    },
  });
  const logger = { debug() {}, info() {}, warn() {}, error: (_o: object, msg?: string) => void logged.push(msg ?? '') };
  http = await HttpServer.start({ port: 0, router, logger, maxBodyBytes: 1024 });
  base = `http://127.0.0.1:${http.port}`;
});

afterAll(async () => {
  await http.stop();
});

async function json(path: string, init?: RequestInit): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(base + path, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
}

function rawRequest(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(http.port, '127.0.0.1', () => s.write(bytes));
    let out = '';
    s.on('data', (d) => (out += d));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

describe('routing', () => {
  it('matches :params, decodes them, and writes bigint offsets as numbers (strings past 2^53)', async () => {
    const r = await json('/v1/topics/my%20topic/partitions/3');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ topic: 'my topic', partition: '3', offset: 5, huge: '1152921504606846976' });
    expect(r.headers.get('content-type')).toBe('application/json');
  });

  it('prefers a literal segment over a :param, and ignores a trailing slash', async () => {
    expect((await json('/v1/topics/_all')).body).toEqual({ literal: true });
    expect((await json('/v1/topics/orders/')).body).toEqual({ param: 'orders' });
  });

  it('parses JSON bodies and query strings; 204 has no body', async () => {
    const r = await json('/v1/echo?q=1', { method: 'POST', body: JSON.stringify({ a: [1, 2] }), headers: { 'content-type': 'application/json' } });
    expect(r).toMatchObject({ status: 201, body: { got: { a: [1, 2] }, q: '1' } });
    expect((await json('/v1/echo', { method: 'DELETE' })).status).toBe(204);
  });

  it('sends raw text with its content type, and streams', async () => {
    const t = await fetch(`${base}/v1/text`);
    expect(t.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await t.text()).toBe('plain');
    expect(await (await fetch(`${base}/v1/stream`)).text()).toBe('abc');
  });

  it('refuses a duplicate method + path shape and malformed patterns at registration', () => {
    const r = new Router().add({ method: 'GET', path: '/a/:x', handler: () => ({ status: 200 }) });
    expect(() => r.add({ method: 'GET', path: '/a/:y', handler: () => ({ status: 200 }) })).toThrow(/clashes/);
    expect(() => r.add({ method: 'POST', path: '/a/:y', handler: () => ({ status: 200 }) })).not.toThrow();
    expect(() => r.add({ method: 'GET', path: 'no-slash', handler: () => ({ status: 200 }) })).toThrow(/must start with/);
    expect(() => r.add({ method: 'GET', path: '/b/:x/:x', handler: () => ({ status: 200 }) })).toThrow(/bad route parameter/);
    expect(r.list()).toEqual([{ method: 'GET', path: '/a/:x' }, { method: 'POST', path: '/a/:y' }]);
  });
});

describe('bad input gets a 4xx JSON error and the listener keeps serving', () => {
  it('unknown path → 404', async () => {
    expect(await json('/nope')).toMatchObject({ status: 404, body: { error_code: 404, message: 'no route for GET /nope' } });
  });

  it('wrong method → 405 with Allow', async () => {
    const r = await json('/v1/echo', { method: 'PUT', body: '{}' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST, DELETE');
    expect(r.body).toMatchObject({ error_code: 405 });
  });

  it('malformed JSON and an empty body → 400', async () => {
    const bad = await json('/v1/echo', { method: 'POST', body: '{"a":' });
    expect(bad).toMatchObject({ status: 400, body: { error_code: 400 } });
    expect((bad.body as { message: string }).message).toMatch(/not valid JSON/);
    expect(await json('/v1/echo', { method: 'POST' })).toMatchObject({ status: 400, body: { message: 'request body must be JSON, got an empty body' } });
  });

  it('malformed percent-encoding in a :param → 400', async () => {
    expect(await json('/v1/topics/%E0%A4%A')).toMatchObject({ status: 400, body: { error_code: 400 } });
  });

  it('a body past the limit → 413, by Content-Length and when sent chunked', async () => {
    const declared = await json('/v1/echo', { method: 'POST', body: JSON.stringify({ pad: 'x'.repeat(2000) }) });
    expect(declared).toMatchObject({ status: 413, body: { error_code: 413, message: 'request body larger than 1024 bytes' } });
    const chunks = Readable.from([Buffer.alloc(600, 0x20), Buffer.alloc(600, 0x20)]);
    const chunked = await json('/v1/echo', { method: 'POST', body: chunks as unknown as RequestInit['body'], duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('a route error carries its own status and error_code (Confluent style)', async () => {
    expect(await json('/v1/teapot')).toMatchObject({ status: 422, body: { error_code: 42201, message: 'unprocessable thing' } });
  });

  it('a route that throws → 500 JSON, logged, and the next request is served', async () => {
    expect(await json('/v1/bug')).toMatchObject({ status: 500, body: { error_code: 500, message: 'internal server error' } });
    expect(logged).toContain('http route failed');
    expect((await json('/v1/topics/x')).status).toBe(200);
  });

  it('a garbage request line → 400 on that socket only', async () => {
    const answer = await rawRequest('NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect((await json('/v1/topics/x')).status).toBe(200);
  });
});

describe('WebSocket routes', () => {
  it('upgrades on a matching path and passes params and query', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${http.port}/v1/ws/tail?q=7`);
    const messages: string[] = [];
    ws.on('message', (d) => messages.push(String(d)));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send('ping');
    await expect.poll(() => messages, { timeout: 10_000 }).toEqual([JSON.stringify({ hello: 'tail', q: '7' }), 'PING']);
    ws.close();
  });

  it('an unknown WebSocket path is a 404 upgrade refusal; a route that throws closes with 1008', async () => {
    const missing = new WebSocket(`ws://127.0.0.1:${http.port}/v1/nowhere`);
    missing.on('error', () => undefined);
    const status = await new Promise<number>((resolve) =>
      missing.once('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      }),
    );
    expect(status).toBe(404);
    const refused = new WebSocket(`ws://127.0.0.1:${http.port}/v1/ws/refuse`);
    const code = await new Promise<number>((resolve) => refused.once('close', (c) => resolve(c)));
    expect(code).toBe(1008);
  });
});

describe('stop()', () => {
  it('closes open WebSockets with 1001 and frees the port', async () => {
    const router = new Router();
    router.addWebSocket({ path: '/s', onConnection: () => undefined });
    const s = await HttpServer.start({ port: 0, router });
    const port = s.port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/s`);
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    await s.stop();
    expect(await closed).toBe(1001);
    await expect(fetch(`http://127.0.0.1:${port}/s`)).rejects.toThrow();
  });
});
