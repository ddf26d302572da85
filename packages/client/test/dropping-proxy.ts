// A TCP proxy in front of a broker (advertised as the broker's address) that can drop every
// connection, or cut both sides instead of delivering the next response: faults on real sockets.
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
      let dropNext = false;
      client.on('data', (chunk: Buffer) => {
        // A request frame: int32 size, then the header's int16 api key.
        if (proxy.dropResponseTo !== undefined && chunk.length >= 6 && chunk.readInt16BE(4) === proxy.dropResponseTo) {
          proxy.dropResponseTo = undefined;
          dropNext = true;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        if (proxy.dropNextResponse || dropNext) {
          proxy.dropNextResponse = false;
          dropNext = false;
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(chunk);
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
