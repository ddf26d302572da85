// The connection layer on real sockets: version negotiation, pipelining, timeouts, refused and
// dropped connections.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '@mq/protocol';
import { Connection, ConnectionError, RequestTimeoutError, clientMaxVersion } from '../src/index';
import { type Harness, startHarness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function listen(onSocket: (s: Socket) => void): Promise<Server> {
  return new Promise((resolve) => {
    const srv = createServer(onSocket);
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

describe('Connection', () => {
  it('negotiates min(client max, broker max) per API', async () => {
    const conn = await Connection.connect({ host: h.broker.host, port: h.broker.port, clientId: 't' });
    try {
      for (const key of [ApiKey.Produce, ApiKey.Fetch, ApiKey.Metadata, ApiKey.ListOffsets]) {
        const broker = conn.brokerRange(key)!;
        expect(conn.versionFor(key)).toBe(Math.min(broker.maxVersion, clientMaxVersion(key)));
      }
      // An API the broker does not advertise fails with UNSUPPORTED_VERSION, before any I/O.
      expect(() => conn.versionFor(9999)).toThrow(/does not support API \(key 9999\)/);
    } finally {
      conn.close();
    }
  });

  it('pipelines many in-flight requests and matches every response', async () => {
    const conn = await Connection.connect({ host: h.broker.host, port: h.broker.port, clientId: 't' });
    try {
      const results = await Promise.all(Array.from({ length: 200 }, () => conn.request(ApiKey.Metadata, { topics: [] })));
      expect(results).toHaveLength(200);
      for (const r of results) expect(r.brokers[0]!.port).toBe(h.broker.port);
    } finally {
      conn.close();
    }
  });

  it('reports a refused connection as a ConnectionError', async () => {
    const srv = await listen(() => {});
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const err = await Connection.connect({ host: '127.0.0.1', port, clientId: 't' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(String((err as Error).message)).toMatch(/ECONNREFUSED/);
  });

  it('times out a broker that never answers and fails in-flight requests when it hangs up', async () => {
    const sockets: Socket[] = [];
    const silent = await listen((s) => sockets.push(s));
    const port = (silent.address() as { port: number }).port;
    try {
      const err = await Connection.connect({ host: '127.0.0.1', port, clientId: 't', requestTimeoutMs: 200 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RequestTimeoutError);
      const hangup = await listen((s) => s.once('data', () => s.destroy()));
      const hport = (hangup.address() as { port: number }).port;
      const err2 = await Connection.connect({ host: '127.0.0.1', port: hport, clientId: 't' }).catch((e: unknown) => e);
      expect(err2).toBeInstanceOf(ConnectionError);
      await new Promise<void>((r) => hangup.close(() => r()));
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
