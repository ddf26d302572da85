// Broker membership: brokers/<nodeId> in etcd under this broker's lease, kept alive by etcd3's
// keepalive stream (every TTL/3). A broker whose lease expires is dead to the controller. A lost
// lease (etcd down longer than the TTL, or this process stalled) is re-granted and the broker
// re-registers as a new incarnation (epoch = lease id) as soon as etcd answers again.
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
  /** Told each time a new lease holds the registration (the controller campaigns with it). */
  readonly onLease?: (lease: Lease, leaseId: string) => void;
  /** Told when the lease is lost (the controller must stop writing at once). */
  readonly onLeaseLost?: () => void;
}

const RETRY_MS = 250;

export class BrokerMembership {
  private readonly opts: BrokerMembershipOptions;
  private readonly logger: ControlLogger;
  private lease: Lease | undefined;
  private leaseId: string | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  /**
   * A lease given up as lost that etcd may still hold: an etcd restart renews every lease it had, so
   * without a revoke the old registration — and a controller key held with it — would linger a TTL
   * after etcd returns, naming a controller that no longer acts (metadata changes refused meanwhile).
   */
  private lostLeaseId: string | undefined;

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
    if (this.lostLeaseId !== undefined) {
      // Fails while etcd is unreachable (the retry comes back here); "not found" means it expired.
      await client.leaseClient.leaseRevoke({ ID: this.lostLeaseId }).catch((err: Error) => {
        if (!/not found/i.test(err.message)) throw err;
      });
      this.logger.info({ nodeId, lease: this.lostLeaseId }, 'dropped the lost lease (revoked, or expired already)');
      this.lostLeaseId = undefined;
    }
    const lease = client.lease(ttlSeconds, { autoKeepAlive: true });
    lease.on('lost', (err) => {
      if (this.lease !== lease) return;
      this.lostLeaseId = this.leaseId;
      this.lease = undefined;
      this.leaseId = undefined;
      this.logger.warn({ nodeId, err: err.message }, 'broker lease lost; re-registering when etcd answers');
      this.opts.onLeaseLost?.();
      this.scheduleRetry();
    });
    let id: string | undefined;
    try {
      id = await lease.grant();
      const registration: BrokerRegistration = { nodeId, host, port, ...(rack !== undefined ? { rack } : {}), ...(listeners !== undefined ? { listeners } : {}), epoch: Number(BigInt(id) & 0xfffffffffffffn) };
      await lease.put(keys.broker(nodeId)).value(JSON.stringify(registration));
    } catch (err) {
      // A half-made registration: its keepalives would keep the lease (and a put that went through
      // without its answer) alive for ever. Stop them and revoke it before the next attempt.
      lease.release();
      if (id !== undefined) this.lostLeaseId = id;
      throw err;
    }
    if (this.stopped) {
      await lease.revoke().catch(() => undefined);
      return;
    }
    this.lease = lease;
    this.leaseId = id;
    this.logger.info({ nodeId, lease: id, ttlSeconds }, 'broker registered in etcd');
    this.opts.onLease?.(lease, id);
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
