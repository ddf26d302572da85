// A TCP proxy on 127.0.0.1 (port 0) standing for the network in front of one destination (a
// broker's listener, etcd): the fault injector of the network-partition tests. Each accepted
// connection is named by who opened it (`identify`: a broker's node id, or "client"), so links can
// be cut per source: a cut source's open connections go silent (bytes both ways are dropped, as
// on a partitioned wire — nothing is reset, the peers find out by their own timeouts) and its new
// connections are accepted and then never answered (a blackhole: a connect succeeds, nothing
// flows). heal() destroys those silent connections (their byte streams lost data mid-frame, as a
// TCP connection that timed out across a partition is gone) and forwards new ones again.
import { type Server, type Socket, connect, createServer } from 'node:net';

/** Who opened a connection: a broker's node id or "client" (anything else: test clients, kcat). */
export type LinkSource = number | 'client';

export interface LinkProxyOptions {
  /** Where connections go: the destination's current port (undefined while it is not listening: refused). */
  readonly target: () => number | undefined;
  /** Names the process that opened a connection, from its local (ephemeral) port. */
  readonly identify: (remotePort: number, proxyPort: number) => Promise<LinkSource>;
}

interface Link {
  readonly source: LinkSource;
  readonly downstream: Socket;
  upstream: Socket | undefined;
  silent: boolean;
}

export class LinkProxy {
  private readonly server: Server;
  private readonly opts: LinkProxyOptions;
  private readonly links = new Set<Link>();
  private readonly cutSources = new Set<LinkSource>();
  private everyone = false;

  private constructor(server: Server, opts: LinkProxyOptions) {
    this.server = server;
    this.opts = opts;
    server.on('connection', (socket) => void this.accept(socket));
  }

  static async start(opts: LinkProxyOptions): Promise<LinkProxy> {
    const server = createServer({ pauseOnConnect: true });
    const proxy = new LinkProxy(server, opts);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    const addr = this.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('link proxy not listening');
    return addr.port;
  }

  /** Cuts the link from `sources` (none given: from everyone) to this destination. */
  cut(sources?: readonly LinkSource[]): void {
    if (sources === undefined) this.everyone = true;
    else for (const s of sources) this.cutSources.add(s);
    for (const link of this.links) if (this.isCut(link.source)) link.silent = true;
  }

  /** Restores every link; the connections that went silent are destroyed. */
  heal(): void {
    this.everyone = false;
    this.cutSources.clear();
    for (const link of [...this.links]) if (link.silent) this.drop(link);
  }

  /** Open connections through this proxy, by source (what a test can assert was cut). */
  openLinks(): LinkSource[] {
    return [...this.links].filter((l) => !l.silent).map((l) => l.source);
  }

  async close(): Promise<void> {
    for (const link of [...this.links]) this.drop(link);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private isCut(source: LinkSource): boolean {
    return this.everyone || this.cutSources.has(source);
  }

  private async accept(downstream: Socket): Promise<void> {
    downstream.on('error', () => undefined);
    // Unknown once the connecting process has gone: nothing to forward for.
    const source = await this.opts.identify(downstream.remotePort ?? 0, this.port).catch((): LinkSource => 'client');
    const link: Link = { source, downstream, upstream: undefined, silent: this.isCut(source) };
    this.links.add(link);
    downstream.on('close', () => this.drop(link));
    downstream.on('data', (d: Buffer) => {
      if (!link.silent && link.upstream !== undefined && !link.upstream.write(d)) {
        downstream.pause();
        link.upstream.once('drain', () => downstream.resume());
      }
    });
    if (link.silent) {
      downstream.resume();
      return;
    }
    const port = this.opts.target();
    if (port === undefined || downstream.destroyed) {
      this.drop(link);
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port });
    link.upstream = upstream;
    upstream.on('error', () => this.drop(link));
    upstream.on('close', () => this.drop(link));
    upstream.on('data', (d: Buffer) => {
      if (!link.silent && !downstream.write(d)) {
        upstream.pause();
        downstream.once('drain', () => upstream.resume());
      }
    });
    upstream.once('connect', () => downstream.resume());
  }

  private drop(link: Link): void {
    if (!this.links.delete(link)) return;
    link.downstream.destroy();
    link.upstream?.destroy();
  }
}
