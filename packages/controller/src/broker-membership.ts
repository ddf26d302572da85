// Broker membership: brokers/<nodeId> in etcd under this broker's lease, kept alive by etcd3's
// keepalive stream (every TTL/3). A broker whose lease expires is dead to the controller. A lost
// lease (etcd down longer than the TTL, or this process stalled) is re-granted and the broker
// re-registers as a new incarnation (epoch = lease id) as soon as etcd answers again — the new
// registration replaces the old one before the lost lease is revoked, so a broker that never
// died never looks dead (after an etcd restart the controller would drop it from every ISR).
import type { Etcd3, Lease } from 'etcd3';
import type { BrokerRegistration, EtcdKeys } from '@mq/metadata';
import { silentLogger, type ControlLogger } from './control-logger';

export interface BrokerMembershipOptions {
  readonly client: Etcd3;
  readonly keys: EtcdKeys;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack?: string | undefined;
  /** Every advertised listener by name (host / port: the inter-broker one's). */
  readonly listeners?: BrokerRegistration['listeners'];
  /** Lease TTL in seconds (etcd's unit; ≥ 1). */
  readonly ttlSeconds: number;
  readonly logger?: ControlLogger;
  /** Told each time a new lease holds the registration (the controller campaigns with it); `revision`: etcd's revision of that registration. */
  readonly onLease?: (lease: Lease, leaseId: string, revision: bigint) => void;
  /** Told when the lease is lost (the controller must stop writing at once). */
  readonly onLeaseLost?: () => void;
}

const RETRY_MS = 250;

export class BrokerMembership {
  private readonly opts: BrokerMembershipOptions;
  private readonly logger: ControlLogger;
  private lease: Lease | undefined;
  private leaseId: string | undefined;
  private epoch: number | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  /**
   * Leases given up as lost that etcd may still hold: an etcd restart renews every lease it had, so
   * without a revoke a controller key held with one would linger a TTL after etcd returns, naming a
   * controller that no longer acts (metadata changes refused meanwhile). Revoked once the
   * registration is under a new lease (revoking first would delete the registration itself).
   */
  private readonly lostLeaseIds = new Set<string>();

  constructor(opts: BrokerMembershipOptions) {
    this.opts = opts;
    this.logger = opts.logger ?? silentLogger;
  }

  /** Registers (first attempt awaited: a broker that cannot reach etcd at start fails to start). */
  async start(): Promise<void> {
    await this.register();
  }

  get currentLeaseId(): string | undefined {
    return this.leaseId;
  }

  /** The broker epoch of the registration held now (derived from its lease id); undefined while none is. */
  get currentEpoch(): number | undefined {
    return this.leaseId === undefined ? undefined : this.epoch;
  }

  /** Revokes the lease: the registration (and a controller key held with it) goes at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry !== undefined) clearTimeout(this.retry);
    const lease = this.lease;
    this.lease = undefined;
    if (lease !== undefined) await lease.revoke().catch(() => lease.release());
  }

  /**
   * Stops the keepalives without revoking: the lease (and the registration) lapses after its TTL,
   * as it does when the process is killed. For tests of broker death in one process.
   */
  abandon(): void {
    this.stopped = true;
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.lease?.release();
    this.lease = undefined;
  }

  private async register(): Promise<void> {
    const { client, keys, nodeId, host, port, rack, listeners, ttlSeconds } = this.opts;
    const lease = client.lease(ttlSeconds, { autoKeepAlive: true });
    lease.on('lost', (err) => {
      if (this.lease !== lease) return;
      if (this.leaseId !== undefined) this.lostLeaseIds.add(this.leaseId);
      this.lease = undefined;
      this.leaseId = undefined;
      this.logger.warn({ nodeId, err: err.message }, 'broker lease lost; re-registering when etcd answers');
      this.opts.onLeaseLost?.();
      this.scheduleRetry();
    });
    let id: string | undefined;
    let revision: bigint;
    let epoch: number;
    try {
      id = await lease.grant();
      epoch = Number(BigInt(id) & 0xfffffffffffffn);
      const registration: BrokerRegistration = { nodeId, host, port, ...(rack !== undefined ? { rack } : {}), ...(listeners !== undefined ? { listeners } : {}), epoch };
      // A put under the new lease moves the key off the lost one: the registration never vanishes.
      const put = await lease.put(keys.broker(nodeId)).value(JSON.stringify(registration));
      revision = BigInt(put.header.revision);
    } catch (err) {
      // A half-made registration: its keepalives would keep the lease (and a put that went through
      // without its answer) alive for ever. Stop them and revoke it once a registration holds.
      lease.release();
      if (id !== undefined) this.lostLeaseIds.add(id);
      throw err;
    }
    if (this.stopped) {
      await lease.revoke().catch(() => undefined);
      return;
    }
    await this.revokeLostLeases();
    this.lease = lease;
    this.leaseId = id;
    this.epoch = epoch;
    this.logger.info({ nodeId, lease: id, ttlSeconds }, 'broker registered in etcd');
    this.opts.onLease?.(lease, id, revision);
  }

  /**
   * Revokes the leases given up as lost (what they still hold: a controller key, nothing else).
   * "Not found": expired already. Another failure keeps the id for the next registration; nobody
   * keeps such a lease alive, so it lapses by itself meanwhile.
   */
  private async revokeLostLeases(): Promise<void> {
    const { client, nodeId } = this.opts;
    for (const id of [...this.lostLeaseIds]) {
      try {
        await client.leaseClient.leaseRevoke({ ID: id });
      } catch (err) {
        if (!/not found/i.test((err as Error).message)) {
          this.logger.warn({ nodeId, lease: id, err: (err as Error).message }, 'revoking a lost lease failed; it lapses by itself');
          continue;
        }
      }
      this.lostLeaseIds.delete(id);
      this.logger.info({ nodeId, lease: id }, 'dropped the lost lease (revoked, or expired already)');
    }
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.stopped || this.lease !== undefined) return;
      this.register().catch((err: unknown) => {
        this.logger.warn({ err: (err as Error).message }, 'broker registration failed; retrying');
        this.scheduleRetry();
      });
    }, RETRY_MS);
    this.retry.unref();
  }
}
