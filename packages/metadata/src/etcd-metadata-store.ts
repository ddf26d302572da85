// The cluster MetadataStore: the image lives in etcd (etcd-keys.ts). load() reads it at one
// revision, a prefix watch from the next revision applies every later change as one delta per etcd
// revision (a txn is one revision, so a commit is one delta on every broker). Writes are etcd txns:
// metadata changes only while this broker holds the controller key (its create revision is the
// guard: a deposed controller's txn fails), producer-id blocks and a leader's ISR change by
// compare-and-swap; keyed entries (ACLs, credentials, quotas) by any broker, each key last-writer-wins
// as Kafka's forwarded admin writes are. etcd unreachable: commits fail with MetadataUnavailableError, the image stays as
// it was, and the watch resumes from its last revision when etcd is back (resync).
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { MetadataImage, PartitionState } from './cluster-image';
import { EMPTY_IMAGE } from './cluster-image';
import { EtcdKeys, recordOf, type StoredTopic } from './etcd-keys';
import {
  FencedLeaderEpochError,
  IneligibleReplicaError,
  InvalidMetadataRecordError,
  InvalidUpdateVersionError,
  MetadataUnavailableError,
  NotControllerError,
  StaleBrokerEpochError,
  StaleMembershipError,
} from './errors';
import { type MembershipBasis, NOT_REGISTERED } from './membership-basis';
import { MetadataDelta, applyRecords } from './metadata-delta';
import type { EntryRecord, MetadataRecord } from './metadata-record';
import type { CommitOptions, MetadataListener, MetadataStore } from './metadata-store';

export interface EtcdMetadataStoreOptions {
  readonly client: Etcd3;
  /** Key prefix of this cluster; default "/mq/". */
  readonly prefix?: string;
  /** This broker (named in NOT_CONTROLLER messages). */
  readonly nodeId: number;
  readonly logger?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
}

/** The leader's ISR proposal (Kafka's AlterPartition): CAS on partitionEpoch. */
export interface AlterPartitionRequest {
  readonly topic: string;
  readonly partition: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly isr: readonly number[];
  /** The leader's broker epoch (its registration's, Kafka's BrokerEpoch); absent or -1: not checked. */
  readonly brokerEpoch?: number;
  /**
   * KIP-841's NewIsrWithEpochs: the broker epoch the leader saw registered for ISR members. A member
   * joining the ISR must still be registered under that epoch (INELIGIBLE_REPLICA otherwise).
   */
  readonly isrWithEpochs?: readonly { readonly brokerId: number; readonly brokerEpoch: number }[];
}

const silent = { warn() {}, error() {}, info() {} };

export class EtcdMetadataStore implements MetadataStore {
  readonly keys: EtcdKeys;
  private readonly client: Etcd3;
  private readonly nodeId: number;
  private readonly logger: NonNullable<EtcdMetadataStoreOptions['logger']>;
  private current: MetadataImage = EMPTY_IMAGE;
  /** Last etcd revision applied to `current`. */
  private revision = 0n;
  /** mod revision per key, for compare-and-swap. */
  private readonly modRevisions = new Map<string, string>();
  private readonly listeners = new Set<MetadataListener>();
  private readonly waiters: { revision: bigint; resolve: (d: MetadataDelta) => void }[] = [];
  private lastDelta: MetadataDelta | undefined;
  private watcher: Watcher | undefined;
  private guard: { createRevision: string } | undefined;
  private closed = false;

  constructor(opts: EtcdMetadataStoreOptions) {
    this.client = opts.client;
    this.keys = new EtcdKeys(opts.prefix);
    this.nodeId = opts.nodeId;
    this.logger = opts.logger ?? silent;
  }

  get image(): MetadataImage {
    return this.current;
  }

  /** The etcd revision the image is at. */
  get appliedRevision(): bigint {
    return this.revision;
  }

  async load(): Promise<MetadataImage> {
    const res = await this.unavailableAs('reading the cluster metadata', () => this.client.getAll().prefix(this.keys.prefix).exec());
    const records: MetadataRecord[] = [];
    for (const kv of res.kvs) {
      const key = kv.key.toString();
      this.modRevisions.set(key, kv.mod_revision);
      const r = recordOf(this.keys, key, kv.value.toString());
      if (r !== undefined) records.push(r);
    }
    this.current = applyRecords(EMPTY_IMAGE, inApplyOrder(records));
    this.revision = BigInt(res.header.revision);
    this.watcher = await this.client.watch().prefix(this.keys.prefix).startRevision(String(this.revision + 1n)).create();
    this.watcher.on('data', (w) => this.onWatch(w.events.map((e) => ({ type: e.type, kv: e.kv }))));
    this.watcher.on('disconnected', (err) => this.logger.warn({ err: err.message }, 'etcd watch disconnected; brokers keep serving what they have and resync when etcd is back'));
    this.watcher.on('connected', () => this.logger.info({ revision: String(this.revision) }, 'etcd watch connected'));
    this.watcher.on('error', (err) => this.logger.error({ err: err.message }, 'etcd watch failed'));
    return this.current;
  }

  /**
   * Writes go through while `createRevision` is the controller key's create revision (this broker
   * holds it); undefined: this broker is not the controller and metadata commits are refused.
   */
  setControllerGuard(guard: { createRevision: string } | undefined): void {
    this.guard = guard;
  }

  /**
   * The registrations of `nodeIds` as the image holds them, with their keys' mod revisions: the
   * basis of a decision made from this image, for `commit(records, { basis })`.
   */
  membershipBasis(nodeIds: Iterable<number>): MembershipBasis {
    const registrations = new Map<number, string>();
    for (const id of nodeIds) registrations.set(id, this.registrationRevision(id));
    return { registrations };
  }

  private registrationRevision(nodeId: number): string {
    return this.current.brokers.has(nodeId) ? (this.modRevisions.get(this.keys.broker(nodeId)) ?? NOT_REGISTERED) : NOT_REGISTERED;
  }

  async commit(records: readonly MetadataRecord[], opts: CommitOptions = {}): Promise<MetadataDelta> {
    if (this.closed) throw new MetadataUnavailableError('the metadata store is closed');
    // Refused here, before etcd, if it would not apply to the image as this broker knows it.
    applyRecords(this.current, records);
    if (records.every((r) => r.type === 'producerIds')) return this.commitProducerIds(records);
    if (records.every((r) => r.type === 'entry')) return this.commitEntries(records);
    const guard = this.guard;
    if (guard === undefined) {
      const c = this.current.controller;
      throw new NotControllerError(`broker ${this.nodeId} is not the controller${c === undefined ? ' (no controller is elected)' : ` (broker ${c.nodeId} is)`}`);
    }
    const txn = this.client.if(this.keys.controller, 'Create', '==', guard.createRevision);
    for (const [id, rev] of opts.basis?.registrations ?? []) txn.and(this.keys.broker(id), 'Mod', '==', rev);
    const ops: Parameters<typeof txn.then> = [];
    for (const r of records) {
      switch (r.type) {
        case 'topic': {
          txn.and(this.keys.topic(r.name), 'Create', '==', 0);
          ops.push(this.client.put(this.keys.topic(r.name)).value(JSON.stringify({ topicId: r.topicId, configs: r.configs } satisfies StoredTopic)));
          break;
        }
        case 'config': {
          const t = this.current.topics.get(r.topic)!;
          ops.push(this.client.put(this.keys.topic(r.topic)).value(JSON.stringify({ topicId: t.topicId, configs: r.configs } satisfies StoredTopic)));
          break;
        }
        case 'partition': {
          const key = this.keys.partition(r.state.topic, r.state.partition);
          txn.and(key, 'Mod', '==', this.modRevisions.get(key) ?? 0);
          ops.push(this.client.put(key).value(JSON.stringify(storedState(r.state))));
          break;
        }
        case 'removeTopic':
          ops.push(this.client.delete().key(this.keys.topic(r.name)), this.client.delete().prefix(this.keys.partitionsOf(r.name)));
          break;
        case 'producerIds':
          ops.push(this.client.put(this.keys.producerIds).value(r.nextBlockStart.toString()));
          break;
        case 'entry':
          ops.push(this.entryOp(r));
          break;
        case 'controller':
        case 'registerBroker':
        case 'unregisterBroker':
          throw new InvalidMetadataRecordError(`${r.type} records are written by membership and election, not committed`);
      }
    }
    const res = await this.unavailableAs('committing a metadata change', () => txn.then(...ops).commit());
    if (!res.succeeded) {
      const now = await this.unavailableAs('reading the controller key', () => this.client.get(this.keys.controller).exec());
      const holder = now.kvs[0];
      if (holder === undefined || holder.create_revision !== guard.createRevision) {
        throw new NotControllerError(`broker ${this.nodeId} is no longer the controller: its etcd txn was refused (the controller key changed)`);
      }
      if (opts.basis !== undefined) await this.checkBasis(opts.basis);
      throw new InvalidUpdateVersionError('a partition state or topic changed concurrently; the change was not made');
    }
    return this.waitFor(BigInt(res.header.revision));
  }

  /** Throws StaleMembershipError when a registration of `basis` is not what it was. */
  private async checkBasis(basis: MembershipBasis): Promise<void> {
    const { changed, revision } = await this.changedRegistrations(basis.registrations);
    if (changed.length > 0) {
      throw new StaleMembershipError(`the registrations of brokers ${changed.join(',')} changed since the change was computed; it was not made`, revision);
    }
  }

  /**
   * The brokers of `registrations` whose key's mod revision is not the one given, read from etcd
   * (not from the image: the watch may not have brought the change yet), and the revision read at.
   */
  private async changedRegistrations(registrations: ReadonlyMap<number, string>): Promise<{ changed: number[]; revision: bigint }> {
    const res = await this.unavailableAs('reading the broker registrations', () => this.client.getAll().prefix(this.keys.brokersPrefix).exec());
    const now = new Map(res.kvs.map((kv) => [kv.key.toString(), kv.mod_revision]));
    const changed = [...registrations].filter(([id, rev]) => (now.get(this.keys.broker(id)) ?? NOT_REGISTERED) !== rev).map(([id]) => id);
    return { changed, revision: BigInt(res.header.revision) };
  }

  /**
   * A leader's ISR change (Kafka's AlterPartition with KIP-841's checks): accepted when its
   * leaderEpoch and partitionEpoch are current, the leader is registered under the broker epoch it
   * sent (else STALE_BROKER_EPOCH), and every replica joining the ISR is a replica registered now —
   * under the broker epoch the leader saw, when it sent one (else INELIGIBLE_REPLICA). Written by CAS
   * on the partition key that also compares the registrations checked, so a broker that
   * re-registers or dies between the check and the write still fails it. Resolves with the new state.
   */
  async alterPartition(req: AlterPartitionRequest): Promise<PartitionState> {
    const cur = this.current.topics.get(req.topic)?.partitions[req.partition];
    const name = `${req.topic}-${req.partition}`;
    if (cur === undefined) throw new InvalidMetadataRecordError(`unknown partition ${name}`);
    if (req.leaderEpoch !== cur.leaderEpoch) throw new FencedLeaderEpochError(`${name}: leader epoch ${req.leaderEpoch} is not the current ${cur.leaderEpoch}`);
    if (req.partitionEpoch !== cur.partitionEpoch) {
      throw new InvalidUpdateVersionError(`${name}: partition epoch ${req.partitionEpoch} is not the current ${cur.partitionEpoch}`);
    }
    const checked = new Map<number, string>();
    const leaderEpochGiven = req.brokerEpoch !== undefined && req.brokerEpoch >= 0;
    if (leaderEpochGiven) {
      const own = this.current.brokers.get(cur.leader);
      if (own === undefined || Number(own.epoch) !== req.brokerEpoch) {
        throw new StaleBrokerEpochError(`${name}: leader ${cur.leader} sent broker epoch ${req.brokerEpoch}, it is registered ${own === undefined ? 'no more' : `under ${own.epoch}`}`);
      }
      checked.set(cur.leader, this.registrationRevision(cur.leader));
    }
    if (req.isr.length === 0) throw new IneligibleReplicaError(`${name}: an ISR cannot be empty`);
    const seen = new Map((req.isrWithEpochs ?? []).map((e) => [e.brokerId, e.brokerEpoch]));
    for (const id of req.isr.filter((m) => !cur.isr.includes(m))) {
      const why = this.ineligibility(cur, id, seen.get(id));
      if (why !== undefined) throw new IneligibleReplicaError(`${name}: replica ${id} cannot join the ISR ${req.isr}: ${why}`);
      checked.set(id, this.registrationRevision(id));
    }
    const next: PartitionState = { ...storedState(cur), isr: [...req.isr], partitionEpoch: cur.partitionEpoch + 1 };
    const key = this.keys.partition(req.topic, req.partition);
    const txn = this.client.if(key, 'Mod', '==', this.modRevisions.get(key) ?? 0);
    for (const [id, rev] of checked) txn.and(this.keys.broker(id), 'Mod', '==', rev);
    const res = await this.unavailableAs('altering a partition', () => txn.then(this.client.put(key).value(JSON.stringify(next))).commit());
    if (!res.succeeded) {
      const { changed } = await this.changedRegistrations(checked);
      if (leaderEpochGiven && changed.includes(cur.leader)) throw new StaleBrokerEpochError(`${name}: leader ${cur.leader} re-registered or left while its ISR change was in flight`);
      if (changed.length > 0) throw new IneligibleReplicaError(`${name}: brokers ${changed.join(',')} re-registered or left while their joining the ISR was in flight`);
      throw new InvalidUpdateVersionError(`${name}: the partition state changed concurrently`);
    }
    await this.waitFor(BigInt(res.header.revision));
    return this.current.topics.get(req.topic)?.partitions[req.partition] ?? next;
  }

  /** Why broker `id` may not join `cur`'s ISR (KIP-841), or undefined; `epochSeen`: the broker epoch the leader saw. */
  private ineligibility(cur: PartitionState, id: number, epochSeen: number | undefined): string | undefined {
    if (!cur.replicas.includes(id)) return 'not a replica';
    const reg = this.current.brokers.get(id);
    if (reg === undefined) return 'its broker is not registered (dead or not started)';
    if (epochSeen !== undefined && epochSeen >= 0 && Number(reg.epoch) !== epochSeen) return `registered under broker epoch ${reg.epoch}, the leader saw ${epochSeen}`;
    return undefined;
  }

  watch(listener: MetadataListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.watcher?.cancel().catch(() => undefined);
  }

  /** Any broker may take a block: CAS on the producer-ids key, so two never take the same one. */
  private async commitProducerIds(records: readonly MetadataRecord[]): Promise<MetadataDelta> {
    const last = records[records.length - 1] as Extract<MetadataRecord, { type: 'producerIds' }>;
    const key = this.keys.producerIds;
    const res = await this.unavailableAs('taking a producer-id block', () =>
      this.client.if(key, 'Mod', '==', this.modRevisions.get(key) ?? 0).then(this.client.put(key).value(last.nextBlockStart.toString())).commit(),
    );
    if (!res.succeeded) throw new InvalidUpdateVersionError('another broker took a producer-id block at the same time; retry');
    return this.waitFor(BigInt(res.header.revision));
  }

  /** Entries need no controller: any broker writes them, in one txn so a change is one delta everywhere. */
  private async commitEntries(records: readonly MetadataRecord[]): Promise<MetadataDelta> {
    const ops = records.map((r) => this.entryOp(r as EntryRecord));
    // etcd3's txn builder needs one comparison: a key's version is never negative, so this one always holds.
    const res = await this.unavailableAs('writing metadata entries', () => this.client.if(this.keys.prefix, 'Version', '>', -1).then(...ops).commit());
    return this.waitFor(BigInt(res.header.revision));
  }

  private entryOp(r: EntryRecord): Parameters<ReturnType<Etcd3['if']>['then']>[number] {
    const key = this.keys.entry(r.namespace, r.key);
    return r.value === null ? this.client.delete().key(key) : this.client.put(key).value(r.value);
  }

  /** Resolves once the image has applied etcd's `revision` (a write this broker made, seen back through the watch). */
  async caughtUp(revision: bigint): Promise<void> {
    await this.waitFor(revision);
  }

  private waitFor(revision: bigint): Promise<MetadataDelta> {
    if (this.revision >= revision && this.lastDelta !== undefined) return Promise.resolve(this.lastDelta);
    return new Promise((resolve) => this.waiters.push({ revision, resolve }));
  }

  private onWatch(events: readonly { type: string; kv: IKeyValue }[]): void {
    // One delta per etcd revision: a txn's events share one.
    const byRevision = new Map<string, { type: string; kv: IKeyValue }[]>();
    for (const e of events) {
      const list = byRevision.get(e.kv.mod_revision) ?? [];
      list.push(e);
      byRevision.set(e.kv.mod_revision, list);
    }
    for (const [rev, group] of [...byRevision].sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1))) this.applyRevision(BigInt(rev), group);
  }

  private applyRevision(revision: bigint, events: readonly { type: string; kv: IKeyValue }[]): void {
    if (revision <= this.revision) return;
    const records: MetadataRecord[] = [];
    for (const e of events) {
      const key = e.kv.key.toString();
      const deleted = e.type === 'Delete';
      if (deleted) this.modRevisions.delete(key);
      else this.modRevisions.set(key, e.kv.mod_revision);
      let r = recordOf(this.keys, key, deleted ? undefined : e.kv.value.toString());
      if (r?.type === 'topic' && this.current.topics.get(r.name)?.topicId === r.topicId) r = { type: 'config', topic: r.name, configs: r.configs };
      if (r !== undefined) records.push(r);
    }
    const previous = this.current;
    try {
      this.current = applyRecords(previous, inApplyOrder(records));
    } catch (err) {
      this.logger.error({ err, revision: String(revision) }, 'an etcd change does not apply to the metadata image; it is skipped');
      return;
    } finally {
      this.revision = revision;
    }
    const delta = new MetadataDelta(previous, this.current, records);
    this.lastDelta = delta;
    for (const fn of this.listeners) {
      try {
        fn(delta);
      } catch (err) {
        this.logger.error({ err }, 'a metadata listener failed');
      }
    }
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.revision <= revision) {
        this.waiters.splice(i, 1);
        w.resolve(delta);
      }
    }
  }

  private async unavailableAs<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new MetadataUnavailableError(`etcd is unavailable (${what}): ${(err as Error).message}`, { cause: err });
    }
  }
}

/** Removals first, then topics, then partitions in index order: the order applyRecords needs. */
function inApplyOrder(records: readonly MetadataRecord[]): MetadataRecord[] {
  const rank = (r: MetadataRecord): number => (r.type === 'removeTopic' ? 0 : r.type === 'topic' ? 1 : r.type === 'partition' ? 2 : 3);
  return [...records].sort((a, b) => {
    const d = rank(a) - rank(b);
    if (d !== 0 || a.type !== 'partition' || b.type !== 'partition') return d;
    return a.state.topic === b.state.topic ? a.state.partition - b.state.partition : a.state.topic < b.state.topic ? -1 : 1;
  });
}

/** What is stored: the state without offlineReplicas (derived from membership); adding/removing only while reassigning. */
function storedState(s: PartitionState): PartitionState {
  const stored = { topicId: s.topicId, topic: s.topic, partition: s.partition, leader: s.leader, leaderEpoch: s.leaderEpoch, partitionEpoch: s.partitionEpoch, replicas: [...s.replicas], isr: [...s.isr] };
  // A reassignment in progress is partition state as Kafka keeps it: every broker sees it, and a new controller resumes it.
  if ((s.addingReplicas?.length ?? 0) === 0 && (s.removingReplicas?.length ?? 0) === 0) return stored;
  return { ...stored, addingReplicas: [...(s.addingReplicas ?? [])], removingReplicas: [...(s.removingReplicas ?? [])] };
}
