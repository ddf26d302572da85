// The network of a startCluster() cluster, made of LinkProxy links so a test can partition it
// without killing or pausing anything: each broker reaches etcd through its own proxy (`--etcd`),
// and each broker's listener is advertised at a proxy in front of it (`advertised.port`), so every
// broker-to-broker connection (replica fetches, inter-broker requests) and every client connection
// after bootstrap crosses one. A proxy names each connection's source by the process holding its
// other end (socket-owner.ts), so the link from one broker to another is cut on its own.
import { type ClusterBroker, type RunningCluster, type StartClusterOptions, startCluster } from '@mq/broker';
import { type LinkSource, LinkProxy } from './link-proxy';
import { socketOwner } from './socket-owner';

export class ClusterNetwork {
  private readonly brokers = new Map<number, ClusterBroker>();
  /** In front of broker i's listener (what it advertises). */
  private readonly listeners = new Map<number, LinkProxy>();
  /** Broker i's link to etcd. */
  private readonly etcdLinks = new Map<number, LinkProxy>();
  private etcdPort: number | undefined;

  private constructor() {}

  /** Proxies for `brokers` brokers (node ids 1..n), before the cluster starts. */
  static async create(brokers: number): Promise<ClusterNetwork> {
    const net = new ClusterNetwork();
    for (let id = 1; id <= brokers; id++) {
      net.listeners.set(id, await LinkProxy.start({ target: () => net.brokers.get(id)?.port, identify: (local, proxy) => net.identify(local, proxy) }));
      net.etcdLinks.set(id, await LinkProxy.start({ target: () => net.etcdPort, identify: async () => id }));
    }
    return net;
  }

  /** What startCluster() needs to put every broker behind these proxies. */
  clusterOptions(): Pick<StartClusterOptions, 'perBroker' | 'onListening'> {
    return {
      perBroker: (nodeId, etcdEndpoint) => {
        this.etcdPort = Number(new URL(etcdEndpoint).port);
        return { etcd: `http://127.0.0.1:${this.etcdLinks.get(nodeId)!.port}`, config: { 'advertised.port': String(this.listeners.get(nodeId)!.port) } };
      },
      onListening: (broker) => this.brokers.set(broker.nodeId, broker),
    };
  }

  /**
   * A real partition of broker `nodeId`: its etcd link cut, and every link between it and another
   * broker, both ways. `clients` too: test clients can no longer reach it either (by default they can,
   * as an application beside a broker that lost its network to the rest of the cluster).
   */
  isolate(nodeId: number, opts: { clients?: boolean } = {}): void {
    this.etcdLinks.get(nodeId)!.cut();
    const others = [...this.listeners.keys()].filter((id) => id !== nodeId);
    this.listeners.get(nodeId)!.cut([...others, ...(opts.clients === true ? (['client'] as const) : [])]);
    for (const id of others) this.listeners.get(id)!.cut([nodeId]);
  }

  /** Cuts the links between brokers `a` and `b`, both ways (each still reaches etcd and the others). */
  cutBetween(a: number, b: number): void {
    this.listeners.get(a)!.cut([b]);
    this.listeners.get(b)!.cut([a]);
  }

  /** Cuts broker `nodeId`'s link to etcd only. */
  cutFromEtcd(nodeId: number): void {
    this.etcdLinks.get(nodeId)!.cut();
  }

  /** Every link whole again. */
  heal(): void {
    for (const p of [...this.listeners.values(), ...this.etcdLinks.values()]) p.heal();
  }

  /** Sources with a live (not cut) connection to broker `nodeId`'s listener. */
  linksInto(nodeId: number): LinkSource[] {
    return this.listeners.get(nodeId)!.openLinks();
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners.values(), ...this.etcdLinks.values()].map((p) => p.close()));
  }

  private async identify(localPort: number, proxyPort: number): Promise<LinkSource> {
    const pids = new Map<number, number>();
    for (const b of this.brokers.values()) if (b.pid !== undefined) pids.set(b.pid, b.nodeId);
    const pid = await socketOwner(localPort, proxyPort, [...pids.keys()]);
    return pid === undefined ? 'client' : pids.get(pid)!;
  }
}

/** A startCluster() cluster with every broker behind a ClusterNetwork; stop() ends the brokers, then the proxies. */
export async function startNetworkedCluster(opts: Omit<StartClusterOptions, 'perBroker' | 'onListening'> = {}): Promise<{ cluster: RunningCluster; network: ClusterNetwork; stop(): Promise<void> }> {
  const network = await ClusterNetwork.create(opts.brokers ?? 3);
  const cluster = await startCluster({ ...opts, ...network.clusterOptions() }).catch(async (err: unknown) => {
    await network.close();
    throw err;
  });
  return {
    cluster,
    network,
    stop: async () => {
      await cluster.stop();
      await network.close();
    },
  };
}
