// max.connections and max.connections.per.ip (Kafka's ConnectionQuotas): counts open connections
// broker-wide and per remote address, so a few clients cannot open enough sockets to exhaust memory.

export class ConnectionQuotas {
  private total = 0;
  private readonly perIp = new Map<string, number>();
  private rejectedCount = 0;

  constructor(
    readonly maxConnections: number,
    readonly maxConnectionsPerIp: number,
  ) {}

  /** Connections refused so far because a limit was reached. */
  get rejected(): number {
    return this.rejectedCount;
  }

  /**
   * Counts a new connection from `ip`, or returns which limit refuses it (the caller closes it);
   * every accepted connection must be given back with release().
   */
  tryAcquire(ip: string): 'max.connections' | 'max.connections.per.ip' | undefined {
    if (this.total >= this.maxConnections) {
      this.rejectedCount++;
      return 'max.connections';
    }
    const fromIp = this.perIp.get(ip) ?? 0;
    if (fromIp >= this.maxConnectionsPerIp) {
      this.rejectedCount++;
      return 'max.connections.per.ip';
    }
    this.total++;
    this.perIp.set(ip, fromIp + 1);
    return undefined;
  }

  release(ip: string): void {
    const fromIp = this.perIp.get(ip) ?? 0;
    if (fromIp <= 1) this.perIp.delete(ip);
    else this.perIp.set(ip, fromIp - 1);
    this.total--;
  }
}
