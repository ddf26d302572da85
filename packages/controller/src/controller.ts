// The controller: one broker at a time, elected through etcd — a txn creates the controller key
// under the candidate's broker lease (so it goes when that broker dies) and moves controller-epoch
// on. The key's create revision guards every metadata commit of the EtcdMetadataStore, so a
// deposed controller cannot write. While active it reconciles partition states with membership:
// leaders on dead brokers are re-elected from the ISR (partition-election.ts), reassignments complete
// once their targets are in the ISR, requests brokers left in the store (ElectLeaders, reassignments:
// controller-request.ts) are executed and answered, and — every leader.imbalance.check.interval —
// leadership moves back to preferred replicas (leader-rebalance.ts); one commit per step. Each
// step that depends on membership carries the registrations it was computed from (commit-basis.ts):
// etcd refuses it if one changed meanwhile, and the controller recomputes from the newer image.
import type { Etcd3, IKeyValue, Lease } from 'etcd3';
import {
  InvalidUpdateVersionError,
  MetadataUnavailableError,
  NotControllerError,
  StaleMembershipError,
  type EtcdMetadataStore,
  type MembershipBasis,
  type MetadataDelta,
  type MetadataImage,
  type MetadataRecord,
  type PartitionState,
} from '@mq/metadata';
import { type Cancel, type Clock, repeat } from '@mq/timerwheel';
import { CommitBasis } from './commit-basis';
import { silentLogger, type ControlLogger } from './control-logger';
import { CONTROLLER_REQUESTS, CONTROLLER_RESULTS, type RequestPlan, liveBrokers, pendingRequests, planRequest } from './controller-request';
import { type InternalTopicSpec, internalTopicRecords } from './internal-topic';
import { type LeaderRebalanceConfig, rebalanceElections } from './leader-rebalance';
import { electPartition } from './partition-election';
import { completeReassignment } from './partition-reassignment';

export interface ControllerOptions {
  readonly client: Etcd3;
  readonly store: EtcdMetadataStore;
  readonly nodeId: number;
  /** Broker default of unclean.leader.election.enable (a topic's config overrides it). */
  readonly uncleanLeaderElection?: boolean;
  readonly logger?: ControlLogger;
  /** Internal topics this controller creates once enough brokers are registered (__consumer_offsets, ...). */
  readonly internalTopics?: readonly InternalTopicSpec[];
  /** Runs the leader-imbalance check (with `leaderRebalance`); without it no automatic rebalancing. */
  readonly clock?: Clock;
  readonly leaderRebalance?: LeaderRebalanceConfig;
  /**
   * Fault injection for tests (as kfake's ControlKey): awaited between a step's decision and its
   * commit — where a real controller is slow (a GC pause, a stalled event loop) and membership can
   * change under it.
   */
  readonly beforeCommit?: (records: readonly MetadataRecord[]) => Promise<void>;
}

/** One step of a reconcile pass: the records of one commit, and why (logged with each partition change). */
interface Step {
  readonly records: MetadataRecord[];
  readonly why: string;
  /** Told once the step is committed. */
  readonly committed?: () => void;
  /** The registrations the step was computed from: compared in its txn. */
  readonly basis?: MembershipBasis;
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
  /** The plan of the request being executed (key → plan, changes committed so far): a large one takes several commits. */
  private executing: { key: string; plan: RequestPlan; done: number; basis: MembershipBasis } | undefined;
  private staleRefusals = 0;
  private rebalanceDue = false;
  private stopRebalance: Cancel | undefined;

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

  /** How many of this controller's commits etcd refused as computed from stale registrations (each recomputed). */
  get staleBasisRefusals(): number {
    return this.staleRefusals;
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
    this.executing = undefined;
    this.stopRebalance?.();
    this.stopRebalance = undefined;
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
    this.startRebalanceChecks();
    this.scheduleReconcile();
  }

  private onDelta(d: MetadataDelta): void {
    if (this.stopped) return;
    const c = d.image.controller;
    if (this.active !== undefined && (c === undefined || c.nodeId !== this.opts.nodeId || c.epoch !== this.active.epoch)) this.resign('the controller key changed');
    // No key, or one naming this broker while it does not act (its election's answer was lost, or
    // the key outlived the lease it was elected with): campaign — tryElection resumes or replaces it.
    if (this.active === undefined && (c === undefined || c.nodeId === this.opts.nodeId)) void this.campaign();
    const requested = () => d.entriesChanged().some((e) => e.namespace === CONTROLLER_REQUESTS && e.value !== null);
    if (this.active !== undefined && (d.brokersChanged() || d.partitionsChanged().length > 0 || d.previous.controller !== c || requested())) this.scheduleReconcile();
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

  /** One pass, step by step until nothing is left to do (each step one commit). */
  private async reconcile(): Promise<void> {
    const { store } = this.opts;
    for (;;) {
      if (this.active === undefined) return;
      const step = this.nextStep(store.image);
      if (step === undefined) return;
      try {
        await this.opts.beforeCommit?.(step.records);
        await store.commit(step.records, step.basis !== undefined ? { basis: step.basis } : {});
        step.committed?.();
        for (const r of step.records) {
          if (r.type !== 'partition') continue;
          const s = r.state;
          this.logger.info(
            { topic: s.topic, partition: s.partition, leader: s.leader, leaderEpoch: s.leaderEpoch, isr: s.isr, replicas: s.replicas, why: step.why },
            'partition state changed by the controller',
          );
        }
      } catch (err) {
        if (err instanceof NotControllerError) return this.resign(err.message);
        if (err instanceof StaleMembershipError) {
          // Computed from registrations that changed since: nothing was written. Recompute once the
          // image has what etcd had when it refused (a later delta schedules a pass as well).
          this.staleRefusals++;
          this.executing = undefined;
          this.logger.info({ err: err.message, why: step.why, revision: String(err.revision) }, 'controller change refused: broker registrations changed under it; recomputing');
          void store.caughtUp(err.revision).then(() => this.scheduleReconcile());
          return;
        }
        if (err instanceof InvalidUpdateVersionError) {
          // A leader's ISR change won the race: its delta (not yet seen) brings us back.
          this.executing = undefined;
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

  /** Failover first, then reassignments that can complete, requests, the rebalance check, internal topics. */
  private nextStep(image: MetadataImage): Step | undefined {
    const store = this.opts.store;
    const live = liveBrokers(image, this.opts.nodeId);
    const batch = new CommitBasis(MAX_CHANGES_PER_COMMIT);
    let completed = 0;
    scan: for (const t of image.topics.values()) {
      const unclean = (t.configs['unclean.leader.election.enable'] ?? String(this.opts.uncleanLeaderElection ?? false)) === 'true';
      for (const s of t.partitions) {
        const elected = electPartition(s, live, unclean);
        const done = completeReassignment(elected ?? s, live);
        const next = done ?? elected;
        if (next === undefined) continue;
        if (!batch.tryAdd(next, s)) break scan;
        if (done !== undefined) completed++;
      }
    }
    if (batch.changes.length > 0) {
      return { records: partitionRecords(batch.changes), basis: batch.basis(store), why: completed > 0 ? 'reassignment completed / broker membership changed' : 'broker membership changed' };
    }
    const request = this.requestStep(image, live);
    if (request !== undefined) return request;
    if (this.rebalanceDue) {
      const moves = new CommitBasis(MAX_CHANGES_PER_COMMIT);
      for (const next of rebalanceElections(image, live, this.opts.leaderRebalance?.imbalancePercentage ?? 10, MAX_CHANGES_PER_COMMIT)) if (!moves.tryAdd(next)) break;
      if (moves.changes.length > 0) return { records: partitionRecords(moves.changes), basis: moves.basis(store), why: 'automatic leader rebalance (preferred replica)' };
      this.rebalanceDue = false;
    }
    const internal = this.nextInternalTopic(image);
    if (internal.length === 0) return undefined;
    // Placed over every registered broker: all of them are the basis.
    const placed = new CommitBasis(0);
    placed.addBrokers(image.brokers.keys());
    return { records: internal, basis: placed.basis(store), why: 'internal topic created' };
  }

  /** The next commit of the oldest pending request: its changes in chunks, the last with its answer (and the request's removal). */
  private requestStep(image: MetadataImage, live: ReadonlySet<number>): Step | undefined {
    const pending = pendingRequests(image)[0];
    if (pending === undefined) return undefined;
    let ex = this.executing;
    if (ex?.key !== pending.key) {
      const plan: RequestPlan = pending.request === undefined ? { changes: [], outcomes: [], why: 'unreadable request' } : planRequest(image, pending.request, live);
      // The plan's basis is taken with it: later chunks commit against the membership it was made from.
      const all = new CommitBasis(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
      for (const next of plan.changes) all.tryAdd(next, image.topics.get(next.topic)?.partitions[next.partition]);
      ex = { key: pending.key, plan, done: 0, basis: all.basis(this.opts.store) };
      this.executing = ex;
    }
    const run = ex;
    const batch = new CommitBasis(MAX_CHANGES_PER_COMMIT);
    for (const next of run.plan.changes.slice(run.done)) if (!batch.tryAdd(next, image.topics.get(next.topic)?.partitions[next.partition])) break;
    const chunk = batch.changes;
    const last = run.done + chunk.length >= run.plan.changes.length;
    const records: MetadataRecord[] = partitionRecords(chunk);
    if (last) {
      records.push(
        { type: 'entry', namespace: CONTROLLER_REQUESTS, key: run.key, value: null },
        { type: 'entry', namespace: CONTROLLER_RESULTS, key: run.key, value: JSON.stringify(run.plan.outcomes) },
      );
    }
    return {
      records,
      basis: batch.restrict(run.basis),
      why: run.plan.why,
      committed: () => {
        run.done += chunk.length;
        if (last && this.executing === run) this.executing = undefined;
      },
    };
  }

  /** auto.leader.rebalance.enable: every leader.imbalance.check.interval the next pass checks the balance. */
  private startRebalanceChecks(): void {
    const { clock, leaderRebalance } = this.opts;
    if (clock === undefined || leaderRebalance === undefined || !leaderRebalance.enabled) return;
    this.stopRebalance?.();
    this.stopRebalance = repeat(clock, leaderRebalance.checkIntervalMs, () => {
      if (this.active === undefined) return;
      this.rebalanceDue = true;
      this.scheduleReconcile();
    });
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

function partitionRecords(states: readonly PartitionState[]): MetadataRecord[] {
  return states.map((state) => ({ type: 'partition', state }));
}
