// Broker reports: each broker's latest value of something it measures (a tenant's bytes on the
// partitions it leads), one etcd key per broker (`<prefix><nodeId>`) under a lease of its own, and
// every other broker's as a watch of the prefix keeps them. The key lives only as long as the lease:
// a broker that dies (SIGKILL, a stall past the TTL) stops counting once etcd expires it, without
// anyone deleting anything. Not metadata: the prefix lies outside the metadata image's (EtcdKeys
// .reportsPrefix), so a report never becomes a delta, and nothing orders it against metadata changes.
import type { Etcd3, IKeyValue, Lease, Watcher } from 'etcd3';
import { silentLogger, type ControlLogger } from './control-logger';

export interface BrokerReportsOptions {
  readonly client: Etcd3;
  /** The keys' common prefix, ending in "/" (EtcdKeys.reportsPrefix(kind)). */
  readonly prefix: string;
  readonly nodeId: number;
  /** Lease TTL in seconds (etcd's unit; ≥ 1): how long a dead broker's report outlives it. */
  readonly ttlSeconds: number;
  readonly logger?: ControlLogger;
}

const RETRY_MS = 250;

export class BrokerReports {
  private readonly opts: BrokerReportsOptions;
  private readonly logger: ControlLogger;
  private readonly others = new Map<number, string>();
  private readonly listeners = new Set<() => void>();
  private watcher: Watcher | undefined;
  private lease: Lease | undefined;
  /** The value this broker last asked to publish (put again under a new lease after a loss). */
  private latest: string | undefined;
  private publishing: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(opts: BrokerReportsOptions) {
    if (!opts.prefix.endsWith('/')) throw new RangeError(`BrokerReports: prefix ${opts.prefix} must end in "/"`);
    this.opts = opts;
    this.logger = opts.logger ?? silentLogger;
  }

  /** Reads the other brokers' reports and watches them from that revision on. */
  async start(): Promise<void> {
    const { client, prefix } = this.opts;
    const res = await client.getAll().prefix(prefix).exec();
    for (const kv of res.kvs) this.onEvent('Put', kv);
    const watcher = await client.watch().prefix(prefix).startRevision(String(BigInt(res.header.revision) + 1n)).create();
    watcher.on('data', (w) => {
      for (const e of w.events) this.onEvent(e.type, e.kv);
      for (const fn of this.listeners) fn();
    });
    watcher.on('error', (err) => this.logger.warn({ err: err.message, prefix }, 'broker reports watch failed; etcd3 reconnects it'));
    this.watcher = watcher;
    if (this.closed) await watcher.cancel();
  }

  /** The latest report of every other broker whose lease is alive, by node id. */
  reports(): ReadonlyMap<number, string> {
    return this.others;
  }

  /** Told after every change of another broker's report (a put, or its key expired with its lease). */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Puts `value` as this broker's report, under its lease (granted at the first publish, and again
   * after a loss, when the latest value is put anew). Resolves once etcd has it; publishes run one
   * at a time in order, so the key always ends at the latest value.
   */
  publish(value: string): Promise<void> {
    this.latest = value;
    this.publishing = this.publishing.then(() => this.put()).catch((err: unknown) => {
      // A lease in an unknown state (its grant or the put failed): given up, a new one next time;
      // the key under it, if any, lapses by itself.
      this.lease?.release();
      this.lease = undefined;
      this.logger.warn({ err: (err as Error).message, nodeId: this.opts.nodeId }, 'publishing a broker report failed; retrying');
      this.scheduleRetry();
    });
    return this.publishing;
  }

  /** Revokes the lease (the report goes at once) and stops watching. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry !== undefined) clearTimeout(this.retry);
    await this.publishing;
    const lease = this.lease;
    this.lease = undefined;
    if (lease !== undefined) await lease.revoke().catch(() => lease.release());
    await this.watcher?.cancel();
  }

  /** Stops the keepalives without revoking, as a killed process does: the report lapses after the TTL. For tests of broker death in one process. */
  abandon(): void {
    this.closed = true;
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.lease?.release();
    this.lease = undefined;
    void this.watcher?.cancel();
  }

  private async put(): Promise<void> {
    const value = this.latest;
    if (this.closed || value === undefined) return;
    const lease = this.lease ?? this.grant();
    await lease.put(this.key(this.opts.nodeId)).value(value);
  }

  private grant(): Lease {
    const lease = this.opts.client.lease(this.opts.ttlSeconds, { autoKeepAlive: true });
    lease.on('lost', (err) => {
      if (this.lease !== lease) return;
      this.lease = undefined;
      this.logger.warn({ err: err.message, nodeId: this.opts.nodeId }, 'broker report lease lost; publishing again under a new one');
      this.scheduleRetry();
    });
    this.lease = lease;
    return lease;
  }

  private scheduleRetry(): void {
    if (this.closed || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.latest !== undefined) void this.publish(this.latest);
    }, RETRY_MS);
    this.retry.unref();
  }

  private key(nodeId: number): string {
    return `${this.opts.prefix}${nodeId}`;
  }

  private onEvent(type: string, kv: IKeyValue): void {
    const nodeId = Number(kv.key.toString().slice(this.opts.prefix.length));
    if (!Number.isInteger(nodeId) || nodeId === this.opts.nodeId) return;
    if (type === 'Delete') this.others.delete(nodeId);
    else this.others.set(nodeId, kv.value.toString());
  }
}
