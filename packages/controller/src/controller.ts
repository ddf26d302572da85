// The controller: one broker at a time, elected through etcd — a txn creates the controller key
// under the candidate's broker lease (so it goes when that broker dies) and moves controller-epoch
// on. The key's create revision guards every metadata commit of the EtcdMetadataStore, so a
// deposed controller cannot write. While active it reconciles partition states with membership:
// leaders on dead brokers are re-elected from the ISR (partition-election.ts), one commit per pass.
import type { Etcd3, IKeyValue, Lease } from 'etcd3';
import {
  InvalidUpdateVersionError,
  MetadataUnavailableError,
  NotControllerError,
  type EtcdMetadataStore,
  type MetadataDelta,
  type MetadataImage,
  type MetadataRecord,
} from '@mq/metadata';
import { silentLogger, type ControlLogger } from './control-logger';
import { type InternalTopicSpec, internalTopicRecords } from './internal-topic';
import { electPartition } from './partition-election';

export interface ControllerOptions {
  readonly client: Etcd3;
  readonly store: EtcdMetadataStore;
  readonly nodeId: number;
  /** Broker default of unclean.leader.election.enable (a topic's config overrides it). */
  readonly uncleanLeaderElection?: boolean;
  readonly logger?: ControlLogger;
  /** Internal topics this controller creates once enough brokers are registered (__consumer_offsets, ...). */
  readonly internalTopics?: readonly InternalTopicSpec[];
}

/** etcd's default limit of operations in one txn is 128; the guard compares take some. */
const MAX_CHANGES_PER_COMMIT = 60;
const RETRY_MS = 200;

export class Controller {
  private readonly opts: ControllerOptions;
  private readonly logger: ControlLogger;
  private lease: Lease | undefined;
  private leaseId: string | undefined;
  private active: { createRevision: string; epoch: number } | undefined;
  private campaigning: Promise<void> | undefined;
  private campaignAgain = false;
  private reconciling = false;
  private again = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private readonly unwatch: () => void;
  /** Internal topics already reported as waiting for brokers (logged once each). */
  private readonly waiting = new Set<string>();

  constructor(opts: ControllerOptions) {
    this.opts = opts;
    this.logger = opts.logger ?? silentLogger;
    this.unwatch = opts.store.watch((d) => this.onDelta(d));
  }

  /** Whether this broker is the controller now (its guard is set). */
  get isActive(): boolean {
    return this.active !== undefined;
  }

  get epoch(): number | undefined {
    return this.active?.epoch;
  }

  /** The broker's lease (membership): campaign with it. */
  useLease(lease: Lease, leaseId: string): void {
    this.lease = lease;
    this.leaseId = leaseId;
    void this.campaign();
  }

  /** The lease is gone: so is the controller key held with it. Stop writing at once. */
  leaseLost(): void {
    this.lease = undefined;
    this.leaseId = undefined;
    this.resign('broker lease lost');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unwatch();
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.resign('stopping');
    await this.campaigning;
  }

  private resign(why: string): void {
    if (this.active === undefined) return;
    this.logger.info({ nodeId: this.opts.nodeId, epoch: this.active.epoch, why }, 'no longer the controller');
    this.active = undefined;
    this.opts.store.setControllerGuard(undefined);
  }

  /**
   * One election attempt at a time; a trigger arriving while one runs (a new lease, the key's
   * deletion seen by the watch) runs another after it — the running one may already have read the
   * key that is now gone, and dropping the trigger left the cluster without a controller.
   */
  private campaign(): Promise<void> {
    if (this.campaigning !== undefined) {
      this.campaignAgain = true;
      return this.campaigning;
    }
    this.campaigning = this.tryElection().finally(() => {
      this.campaigning = undefined;
      if (this.campaignAgain) {
        this.campaignAgain = false;
        void this.campaign();
      }
    });
    return this.campaigning;
  }

  private async tryElection(): Promise<void> {
    const { client, store, nodeId } = this.opts;
    const lease = this.lease;
    const leaseId = this.leaseId;
    if (this.stopped || lease === undefined || leaseId === undefined || this.active !== undefined) return;
    const keys = store.keys;
    try {
      const current = (await client.get(keys.controller).exec()).kvs[0];
      if (current !== undefined) {
        if (current.lease === leaseId) return this.resume(current);
        // Someone holds it: its deletion (watch) brings us back — unless its holder is gone.
        if (!(await this.removeOrphanedKey(current))) return;
      }
      const epochKv = (await client.get(keys.controllerEpoch).exec()).kvs[0];
      const epoch = (epochKv === undefined ? 0 : Number(epochKv.value.toString())) + 1;
      const res = await client
        .if(keys.controller, 'Create', '==', 0)
        .and(keys.controllerEpoch, 'Mod', '==', epochKv?.mod_revision ?? 0)
        .then(client.put(keys.controller).value(JSON.stringify({ nodeId, epoch })).lease(leaseId), client.put(keys.controllerEpoch).value(String(epoch)))
        .commit();
      if (!res.succeeded || this.lease !== lease) return;
      this.activate(res.header.revision, epoch, 'became the controller');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'controller election failed (etcd unavailable?); retrying');
      this.later(() => void this.campaign());
    }
  }

  /**
   * The key is held under this broker's own lease but it does not act as the controller: its
   * election txn went through and the answer was lost (etcd killed, a deadline). Nobody else can
   * take a key whose lease this broker keeps alive, so it resumes the role it was given.
   */
  private resume(kv: IKeyValue): void {
    const { epoch } = JSON.parse(kv.value.toString()) as { epoch: number };
    this.activate(kv.create_revision, epoch, 'resumed as the controller (its key is held under this broker’s lease)');
  }

  /**
   * A controller key whose holder is not registered under the key's lease belongs to an
   * incarnation that is gone (a broker restarted before its old lease expired, or a lease etcd
   * renewed on its own restart): no live controller writes with it, so it is deleted (guarded by
   * its create revision: a newer key is never touched) rather than waited out. True: deleted.
   */
  private async removeOrphanedKey(kv: IKeyValue): Promise<boolean> {
    const { client, store } = this.opts;
    const { nodeId } = JSON.parse(kv.value.toString()) as { nodeId: number };
    const registration = (await client.get(store.keys.broker(nodeId)).exec()).kvs[0];
    if (registration !== undefined && registration.lease === kv.lease) return false;
    const res = await client.if(store.keys.controller, 'Create', '==', kv.create_revision).then(client.delete().key(store.keys.controller)).commit();
    if (res.succeeded) this.logger.info({ nodeId: this.opts.nodeId, holder: nodeId, lease: kv.lease }, 'deleted a controller key whose holder is not registered under its lease');
    return res.succeeded;
  }

  private activate(createRevision: string, epoch: number, why: string): void {
    this.active = { createRevision, epoch };
    this.opts.store.setControllerGuard({ createRevision });
    this.logger.info({ nodeId: this.opts.nodeId, epoch }, why);
    this.scheduleReconcile();
  }

  private onDelta(d: MetadataDelta): void {
    if (this.stopped) return;
    const c = d.image.controller;
    if (this.active !== undefined && (c === undefined || c.nodeId !== this.opts.nodeId || c.epoch !== this.active.epoch)) this.resign('the controller key changed');
    // No key, or one naming this broker while it does not act (its election's answer was lost, or
    // the key outlived the lease it was elected with): campaign — tryElection resumes or replaces it.
    if (this.active === undefined && (c === undefined || c.nodeId === this.opts.nodeId)) void this.campaign();
    if (this.active !== undefined && (d.brokersChanged() || d.partitionsChanged().length > 0 || d.previous.controller !== c)) this.scheduleReconcile();
  }

  private scheduleReconcile(): void {
    if (this.reconciling) {
      this.again = true;
      return;
    }
    this.reconciling = true;
    void this.reconcile().finally(() => {
      this.reconciling = false;
      if (this.again && this.active !== undefined) {
        this.again = false;
        this.scheduleReconcile();
      }
    });
  }

  /** One pass: every partition whose leader or ISR names a dead broker gets its new state. */
  private async reconcile(): Promise<void> {
    const { store } = this.opts;
    for (;;) {
      if (this.active === undefined) return;
      const image = store.image;
      const live = new Set(image.brokers.keys());
      const changes: MetadataRecord[] = [];
      for (const t of image.topics.values()) {
        const unclean = (t.configs['unclean.leader.election.enable'] ?? String(this.opts.uncleanLeaderElection ?? false)) === 'true';
        for (const s of t.partitions) {
          const next = electPartition(s, live, unclean);
          if (next !== undefined) changes.push({ type: 'partition', state: next });
          if (changes.length === MAX_CHANGES_PER_COMMIT) break;
        }
        if (changes.length === MAX_CHANGES_PER_COMMIT) break;
      }
      if (changes.length === 0) changes.push(...this.nextInternalTopic(image));
      if (changes.length === 0) return;
      try {
        await store.commit(changes);
        for (const r of changes) {
          if (r.type !== 'partition') continue;
          const s = r.state;
          this.logger.info({ topic: s.topic, partition: s.partition, leader: s.leader, leaderEpoch: s.leaderEpoch, isr: s.isr }, 'partition state changed by the controller');
        }
      } catch (err) {
        if (err instanceof NotControllerError) return this.resign(err.message);
        if (err instanceof InvalidUpdateVersionError) {
          // A leader's ISR change won the race: its delta (not yet seen) brings us back.
          this.later(() => this.scheduleReconcile());
          return;
        }
        if (err instanceof MetadataUnavailableError) {
          this.logger.warn({ err: err.message }, 'controller cannot reach etcd; retrying');
          this.later(() => this.scheduleReconcile());
          return;
        }
        this.logger.error({ err }, 'controller pass failed');
        return;
      }
    }
  }

  /** The records creating the first missing internal topic that has enough brokers (or none). */
  private nextInternalTopic(image: MetadataImage): MetadataRecord[] {
    for (const spec of this.opts.internalTopics ?? []) {
      const records = internalTopicRecords(image, spec);
      if (records !== undefined) {
        this.logger.info({ topic: spec.name, partitions: spec.numPartitions, replicationFactor: spec.replicationFactor }, 'creating internal topic');
        return records;
      }
      if (!image.topics.has(spec.name) && !this.waiting.has(spec.name)) {
        this.waiting.add(spec.name);
        this.logger.info(
          { topic: spec.name, replicationFactor: spec.replicationFactor, brokers: image.brokers.size },
          `internal topic ${spec.name} waits for ${spec.replicationFactor} registered brokers (its replication factor)`,
        );
      }
    }
    return [];
  }

  private later(fn: () => void): void {
    if (this.stopped || this.retry !== undefined) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      fn();
    }, RETRY_MS);
    this.retry.unref();
  }
}
