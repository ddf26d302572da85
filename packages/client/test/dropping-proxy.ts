// A TCP proxy in front of a broker (advertised as the broker's address) that can drop every
// connection, cut both sides instead of delivering the next response, or hold the broker's answers
// back until released (a slow broker on demand): faults on real sockets. It counts the requests
// it forwards by API key.
import { createServer, connect, type Server, type Socket } from 'node:net';

export class DroppingProxy {
  private readonly sockets = new Set<Socket>();
  target = 0;
  /** When set, the next bytes from the broker are not delivered: both sides are cut instead. */
  dropNextResponse = false;
  /**
   * When set to an api key: the response to the next request with that key is not delivered (both
   * sides are cut instead). Unlike dropNextResponse it cannot hit another connection's response,
   * such as a metadata refresh in flight at that moment.
   */
  dropResponseTo: number | undefined = undefined;
  /** While set, the broker's bytes are kept back (in order) until release(). */
  holdResponses = false;
  /** Requests forwarded to the broker, by API key. */
  readonly requests = new Map<number, number>();
  private readonly held: Array<{ to: Socket; chunk: Buffer }> = [];
  constructor(readonly server: Server) {}

  static async start(): Promise<DroppingProxy> {
    const server = createServer();
    const proxy = new DroppingProxy(server);
    server.on('connection', (client) => {
      const upstream = connect({ host: '127.0.0.1', port: proxy.target });
      for (const s of [client, upstream]) {
        proxy.sockets.add(s);
        s.on('close', () => proxy.sockets.delete(s));
        s.on('error', () => {});
      }
      let pending = Buffer.alloc(0);
      let dropNext = false;
      client.on('data', (chunk: Buffer) => {
        upstream.write(chunk);
        // Size-prefixed frames; the API key is the first field of every request header.
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 6 && pending.length >= 4 + pending.readInt32BE(0)) {
          const apiKey = pending.readInt16BE(4);
          proxy.requests.set(apiKey, (proxy.requests.get(apiKey) ?? 0) + 1);
          if (apiKey === proxy.dropResponseTo) {
            proxy.dropResponseTo = undefined;
            dropNext = true;
          }
          pending = pending.subarray(4 + pending.readInt32BE(0));
        }
      });
      upstream.on('data', (chunk: Buffer) => {
        if (proxy.dropNextResponse || dropNext) {
          proxy.dropNextResponse = false;
          dropNext = false;
          client.destroy();
          upstream.destroy();
          return;
        }
        if (proxy.holdResponses) proxy.held.push({ to: client, chunk });
        else client.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  /** Delivers every held answer and stops holding. */
  release(): void {
    this.holdResponses = false;
    for (const { to, chunk } of this.held.splice(0)) if (!to.destroyed) to.write(chunk);
  }

  dropAll(): number {
    const n = this.sockets.size;
    for (const s of this.sockets) s.destroy();
    return n;
  }

  close(): Promise<void> {
    this.dropAll();
    return new Promise((r) => this.server.close(() => r()));
  }
}
