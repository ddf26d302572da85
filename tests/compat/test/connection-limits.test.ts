// Connection limits over real sockets on a broker with two listeners (SASL_PLAINTEXT and
// PLAINTEXT) and tenants: listener.name.plaintext.max.connections closes the PLAINTEXT listener's
// connections past it on accept (never answered) while the SASL listener keeps accepting, and a
// slot freed by a close is taken again; a tenant's maxConnections (mq.tenants.file) counts a
// connection once SaslAuthenticate proves its principal: past it the authentication is answered
// SASL_AUTHENTICATION_FAILED naming the tenant and the connection closes, other tenants unaffected.
// /metrics counts both (mq_listener_connections*, mq_tenant_connections, refusals). Bad input: a
// limit for a listener that does not exist refuses to start.
import { writeFile } from 'node:fs/promises';
import { type Socket, connect } from 'node:net';
import { join } from 'node:path';
import { startBroker } from '@mq/broker';
import { ApiKey, ErrorCode, decodeResponse, encodeRequest } from '@mq/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, parsePrometheus } from '../src/prometheus-text';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;
const USERS = { 'acme-alice': 'alice-pw', 'globex-carol': 'carol-pw' } as const;
type User = keyof typeof USERS;

/** One raw connection: answers in order, or `closed` once the broker (or we) closed it. */
class Conn {
  private buffered = Buffer.alloc(0);
  private readonly pending: { resolve: (frame: Buffer) => void; reject: (err: Error) => void }[] = [];
  private correlationId = 0;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (b: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, b]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        this.pending.shift()?.resolve(this.buffered.subarray(4, 4 + size));
        this.buffered = this.buffered.subarray(4 + size);
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        for (const p of this.pending.splice(0)) p.reject(new Error('connection closed'));
        resolve();
      }),
    );
  }

  static open(port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(new Conn(s)));
      s.once('error', reject);
    });
  }

  // Decoded response bodies are read field by field in the tests.
  call(apiKey: number, version: number, body: Record<string, unknown>): Promise<any> {
    const frame = encodeRequest(apiKey, version, { correlationId: ++this.correlationId, clientId: 'limits' }, body as never);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve: (f) => resolve(decodeResponse(apiKey, version, f).body), reject });
      this.socket.write(frame);
    });
  }

  /** Whether the broker serves this connection: ApiVersions answered, or the socket closed unanswered. */
  async served(): Promise<boolean> {
    return this.call(ApiKey.ApiVersions, 2, {}).then(
      (r: { errorCode: number }) => r.errorCode === ErrorCode.NONE,
      () => false,
    );
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('connection limits per listener and per tenant', () => {
  let broker: Broker;
  let dir: string;
  let plainPort: number;
  let saslPort: number;
  const open: Conn[] = [];
  const conn = async (port: number) => {
    const c = await Conn.open(port);
    open.push(c);
    return c;
  };
  const scrape = async () => parsePrometheus(await (await fetch(`http://127.0.0.1:${broker.http!.port}/metrics`)).text());
  /** SaslHandshake v1 + SaslAuthenticate (PLAIN) as `user`: the SaslAuthenticate answer. */
  const authenticate = async (c: Conn, user: User) => {
    expect((await c.call(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode).toBe(ErrorCode.NONE);
    return (await c.call(ApiKey.SaslAuthenticate, 1, { authBytes: Buffer.from(`\u0000${user}\u0000${USERS[user]}`) })) as { errorCode: number; errorMessage: string | null };
  };
  const until = async (what: string, cond: () => Promise<boolean>) => {
    for (let i = 0; i < 500; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  beforeAll(async () => {
    dir = await makeTempDir('conn-limits');
    const file = join(dir, 'tenants.json');
    await writeFile(
      file,
      JSON.stringify({
        tenants: [
          { name: 'acme', principalPrefix: 'User:acme-', resourcePrefix: 'acme.', maxConnections: 2 },
          { name: 'globex', principalPrefix: 'User:globex-', resourcePrefix: 'globex.' },
        ],
      }),
    );
    broker = await startBroker({
      http: { port: 0 },
      config: { listenerMaxConnections: { PLAINTEXT: 2 }, connectionFailedAuthenticationDelayMs: 10 },
      security: { listeners: 'SASL_PLAINTEXT://127.0.0.1:0,PLAINTEXT://127.0.0.1:0', saslEnabledMechanisms: ['PLAIN'], plainUsers: { ...USERS }, tenantsFile: file },
    });
    plainPort = broker.listeners.find((l) => l.name === 'PLAINTEXT')!.port;
    saslPort = broker.listeners.find((l) => l.name === 'SASL_PLAINTEXT')!.port;
  }, 60_000);

  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dir);
  });

  it('listener.name.plaintext.max.connections closes the PLAINTEXT listener’s third connection; the SASL listener is not limited', async () => {
    const [a, b] = [await conn(plainPort), await conn(plainPort)];
    expect(await a.served()).toBe(true);
    expect(await b.served()).toBe(true);
    const third = await conn(plainPort);
    expect(await third.served()).toBe(false);
    await third.closed;
    // The other listener has no limit of its own: three connections there are all served.
    const other = [await conn(saslPort), await conn(saslPort), await conn(saslPort)];
    for (const c of other) expect(await c.served()).toBe(true);
    let m = await scrape();
    expect(metricValue(m, 'mq_listener_connections', { listener: 'PLAINTEXT' })).toBe(2);
    expect(metricValue(m, 'mq_listener_connections', { listener: 'SASL_PLAINTEXT' })).toBe(3);
    expect(metricValue(m, 'mq_listener_connections_rejected', { listener: 'PLAINTEXT' })).toBe(1);
    expect(metricValue(m, 'mq_listener_connections_rejected', { listener: 'SASL_PLAINTEXT' })).toBe(0);
    expect(metricValue(m, 'mq_connections_rejected')).toBe(1);
    // A closed connection gives its slot back.
    a.close();
    await until('the PLAINTEXT slot to be released', async () => metricValue(await scrape(), 'mq_listener_connections', { listener: 'PLAINTEXT' }) === 1);
    expect(await (await conn(plainPort)).served()).toBe(true);
    m = await scrape();
    expect(metricValue(m, 'mq_listener_connections_rejected', { listener: 'PLAINTEXT' })).toBe(1);
  });

  it('a tenant’s maxConnections refuses its third authenticated connection, naming the tenant; other tenants and freed slots work', async () => {
    const alice = [await conn(saslPort), await conn(saslPort)];
    for (const c of alice) expect((await authenticate(c, 'acme-alice')).errorCode).toBe(ErrorCode.NONE);
    const extra = await conn(saslPort);
    const refused = await authenticate(extra, 'acme-alice');
    expect(refused.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    expect(refused.errorMessage).toBe('tenant acme is at its connection limit (maxConnections 2)');
    await extra.closed;
    // globex has no limit; an unauthenticated connection counts for no tenant.
    const carol = [await conn(saslPort), await conn(saslPort), await conn(saslPort)];
    for (const c of carol) expect((await authenticate(c, 'globex-carol')).errorCode).toBe(ErrorCode.NONE);
    let m = await scrape();
    expect(metricValue(m, 'mq_tenant_connections', { tenant: 'acme' })).toBe(2);
    expect(metricValue(m, 'mq_tenant_max_connections', { tenant: 'acme' })).toBe(2);
    expect(metricValue(m, 'mq_tenant_connection_refusals_total', { tenant: 'acme' })).toBe(1);
    expect(metricValue(m, 'mq_tenant_connections', { tenant: 'globex' })).toBe(3);
    // The authenticated ones are served as usual.
    expect(await alice[0]!.served()).toBe(true);
    alice[0]!.close();
    await until('acme’s slot to be released', async () => metricValue(await scrape(), 'mq_tenant_connections', { tenant: 'acme' }) === 1);
    expect((await authenticate(await conn(saslPort), 'acme-alice')).errorCode).toBe(ErrorCode.NONE);
    m = await scrape();
    expect(metricValue(m, 'mq_tenant_connections', { tenant: 'acme' })).toBe(2);
    expect(metricValue(m, 'mq_tenant_connection_refusals_total', { tenant: 'acme' })).toBe(1);
  });

  it('refuses to start with a limit for a listener that does not exist', async () => {
    await expect(startBroker({ config: { listenerMaxConnections: { CLIENT: 5 } } })).rejects.toThrow(
      'listener.name.client.max.connections: there is no listener CLIENT (listeners: PLAINTEXT)',
    );
  });
});
