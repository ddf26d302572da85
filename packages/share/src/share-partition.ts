// SharePartition: the in-flight window of one (share group, topic-partition) — KIP-932's
// SharePartition. Records between the share-partition start offset (SPSO) and end offset (SPEO)
// each have a state (Available → Acquired → Acknowledged | Archived, or back to Available), a
// delivery count and, while acquired, a member and a lock on the Clock.
// Invariant: every offset in [startOffset, endOffset) has an entry; the entry at startOffset is
// never Acknowledged or Archived (the start moves past those); offsets ≥ endOffset were never delivered.
// Single-threaded by construction: every method runs to completion without awaiting.
import { ErrorCode } from '@mq/protocol';
import type { Cancel, Clock } from '@mq/timerwheel';
import { AcknowledgeType, RecordState, type RecordStateCode, type StateBatch, isAcknowledgeType } from './record-state';
import type { SharePartitionConfig } from './share-config';
import type { ShareStep } from './share-step';
import { MAX_STATE_WINDOW } from './state-ranges';

export interface OffsetRange {
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
}

/** A batch's offsets in the log; `skip`: never delivered (a control batch), archived when reached. */
export interface LogRange extends OffsetRange {
  readonly skip?: boolean;
}

/** A run of records acquired by one fetch, all with the same delivery count (the wire's AcquiredRecords). */
export interface AcquiredRecords extends OffsetRange {
  readonly deliveryCount: number;
}

export interface AcknowledgementBatch extends OffsetRange {
  /** One type for the whole range, or one per offset. */
  readonly acknowledgeTypes: readonly number[];
}

/** Why a record was archived without being accepted (the dead-letter reason). */
export type ArchiveReason = 'rejected' | 'delivery-limit' | 'expired';

export interface ArchivedRecord {
  readonly offset: bigint;
  readonly deliveryCount: number;
  readonly reason: ArchiveReason;
  readonly memberId: string | null;
}

/** How an acquisition picks among the candidates (expiry, priority lanes). */
export interface AcquireOptions {
  /** Offsets whose records expired: archived with reason `expired` instead of acquired. */
  readonly expired?: ReadonlySet<bigint>;
  /** Only these offsets are acquired; the other available ones stay available. */
  readonly only?: ReadonlySet<bigint>;
  /** The window is not extended past this offset. */
  readonly until?: bigint;
}

/** The persisted view of a share-partition: its start offset and state batches (ShareSnapshotValue). */
export interface ShareState {
  readonly startOffset: bigint;
  readonly stateBatches: readonly StateBatch[];
}

export interface SharePartitionEvents {
  /** State changed outside a request (a lock expired): the owner persists drainChanges(). */
  onBackgroundChange?(sp: SharePartition): void;
  /** Records rejected or past the delivery limit, archived (dead-letter candidates). */
  onArchived?(sp: SharePartition, records: readonly ArchivedRecord[]): void;
  /** Record locks were freed (acknowledgement, release, lock expiry, a member leaving): parked fetches may acquire now. */
  onAvailable?(sp: SharePartition): void;
  /** Acquired, acknowledged, timed out or released records (observers: tracing, metrics); absent, nothing is collected. */
  onStep?(sp: SharePartition, step: ShareStep): void;
}

interface InFlightRecord {
  state: RecordStateCode;
  deliveryCount: number;
  memberId: string | null;
  /** Which acquisition (lock) holds it; 0 when not acquired. */
  acquisitionId: number;
}

interface Lock {
  readonly offsets: bigint[];
  readonly cancel: Cancel;
  /** Records still held under it; at 0 the timer is cancelled. */
  remaining: number;
}

const byOffset = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

export class SharePartition {
  private start: bigint;
  private end: bigint;
  private readonly records = new Map<bigint, InFlightRecord>();
  private readonly locks = new Map<number, Lock>();
  private readonly acquiredByMember = new Map<string, number>();
  /** Members with a ShareFetch in progress here (parked ones included), with how many: they share the locks. */
  private readonly fetchingMembers = new Map<string, number>();
  private acquired = 0;
  private nextAcquisitionId = 1;
  /** Offsets changed since the last drainChanges(), and whether the start moved. */
  private dirty = new Set<bigint>();
  private startMoved = false;
  private closed = false;

  constructor(
    readonly groupId: string,
    readonly topicId: string,
    readonly partition: number,
    private readonly config: SharePartitionConfig,
    private readonly clock: Clock,
    startOffset: bigint,
    private readonly events: SharePartitionEvents = {},
  ) {
    this.start = startOffset;
    this.end = startOffset;
  }

  /** Rebuilds a share-partition from its persisted state: what was acquired is available again (or archived at the limit). */
  static fromState(
    groupId: string,
    topicId: string,
    partition: number,
    config: SharePartitionConfig,
    clock: Clock,
    state: ShareState,
    events?: SharePartitionEvents,
  ): SharePartition {
    const sp = new SharePartition(groupId, topicId, partition, config, clock, state.startOffset, events);
    const archived: ArchivedRecord[] = [];
    for (const b of state.stateBatches) {
      if (b.lastOffset < sp.start || b.lastOffset < b.firstOffset || b.lastOffset - sp.start >= MAX_STATE_WINDOW) continue;
      const recordState: RecordStateCode =
        b.deliveryState === RecordState.ACKNOWLEDGED ? RecordState.ACKNOWLEDGED : b.deliveryState === RecordState.ARCHIVED ? RecordState.ARCHIVED : RecordState.AVAILABLE;
      for (let o = b.firstOffset < sp.start ? sp.start : b.firstOffset; o <= b.lastOffset; o++) {
        sp.records.set(o, { state: recordState, deliveryCount: b.deliveryCount, memberId: null, acquisitionId: 0 });
      }
      if (b.lastOffset + 1n > sp.end) sp.end = b.lastOffset + 1n;
    }
    for (let o = sp.start; o < sp.end; o++) {
      const rec = sp.records.get(o);
      if (rec === undefined) sp.records.set(o, { state: RecordState.AVAILABLE, deliveryCount: 0, memberId: null, acquisitionId: 0 });
      else if (rec.state === RecordState.AVAILABLE && rec.deliveryCount >= config.deliveryCountLimit) {
        // Acquired for the last time when the broker stopped: that delivery counts, so it is done.
        rec.state = RecordState.ARCHIVED;
        sp.dirty.add(o);
        archived.push({ offset: o, deliveryCount: rec.deliveryCount, reason: 'delivery-limit', memberId: null });
      }
    }
    sp.advanceStart();
    if (archived.length > 0) events?.onArchived?.(sp, archived);
    return sp;
  }

  /** SPSO: every offset below it is acknowledged or archived. */
  get startOffset(): bigint {
    return this.start;
  }

  /** SPEO: the first offset never delivered. */
  get endOffset(): bigint {
    return this.end;
  }

  /** Records acquired now (all members). */
  get acquiredRecordCount(): number {
    return this.acquired;
  }

  acquiredBy(memberId: string): number {
    return this.acquiredByMember.get(memberId) ?? 0;
  }

  /** State of one offset (for tests and describe): undefined below the start (done) or at/after the end (never delivered). */
  recordState(offset: bigint): { state: RecordStateCode; deliveryCount: number; memberId: string | null } | undefined {
    const r = this.records.get(offset);
    return r === undefined ? undefined : { state: r.state, deliveryCount: r.deliveryCount, memberId: r.memberId };
  }

  /** Where a fetch should read from: the first available offset in the window, else the end. */
  nextFetchOffset(): bigint {
    for (let o = this.start; o < this.end; o++) if (this.records.get(o)?.state === RecordState.AVAILABLE) return o;
    return this.end;
  }

  /** A ShareFetch of `memberId` begins using this share-partition (until endFetch): it counts for the fair share. */
  beginFetch(memberId: string): void {
    this.fetchingMembers.set(memberId, (this.fetchingMembers.get(memberId) ?? 0) + 1);
  }

  endFetch(memberId: string): void {
    const left = (this.fetchingMembers.get(memberId) ?? 0) - 1;
    if (left > 0) this.fetchingMembers.set(memberId, left);
    else this.fetchingMembers.delete(memberId);
  }

  /**
   * The locks one member may hold while others compete: group.share.partition.max.record.locks
   * divided among the members that hold locks here or have a ShareFetch in progress (the asking one
   * included), rounded up; the whole cap for a member alone. Without it a member whose ShareFetch
   * acknowledges and acquires again in one request takes back every lock it just freed.
   */
  fairShare(memberId: string): number {
    let competing = 1;
    for (const m of this.fetchingMembers.keys()) if (m !== memberId) competing++;
    for (const m of this.acquiredByMember.keys()) if (m !== memberId && !this.fetchingMembers.has(m)) competing++;
    return Math.ceil(this.config.partitionMaxRecordLocks / competing);
  }

  /** How many more records `memberId` may acquire now: the partition cap, its fair share and the configured per-member cap. */
  acquirable(memberId: string): number {
    const partitionRoom = this.config.partitionMaxRecordLocks - this.acquired;
    const memberCap = this.config.memberMaxRecordLocks > 0 ? Math.min(this.config.memberMaxRecordLocks, this.fairShare(memberId)) : this.fairShare(memberId);
    return Math.max(0, Math.min(partitionRoom, memberCap - this.acquiredBy(memberId)));
  }

  /**
   * Acquires up to `maxRecords` available records for `memberId` among `candidates` — the offset
   * ranges of the log's batches from nextFetchOffset() on, in order; offsets between them are not
   * in the log (compacted away, control batches) and are archived. Each acquired record's delivery
   * count rises and it is locked for record.lock.duration.ms. `opts.expired` records are archived
   * (reason `expired`) instead; with `opts.only` just those offsets are acquired (priority lanes),
   * the others stay available, and the window grows no further than `opts.until`.
   */
  acquire(memberId: string, candidates: Iterable<LogRange>, maxRecords: number, opts: AcquireOptions = {}): AcquiredRecords[] {
    let budget = Math.min(maxRecords, this.acquirable(memberId));
    const out: { firstOffset: bigint; lastOffset: bigint; deliveryCount: number }[] = [];
    if (budget <= 0 || this.closed) return out;
    const id = this.nextAcquisitionId++;
    const offsets: bigint[] = [];
    const archived: ArchivedRecord[] = [];
    const { expired, only, until } = opts;
    scan: for (const range of candidates) {
      if (until !== undefined && range.firstOffset > until) break;
      if (range.skip === true) {
        if (range.lastOffset >= this.end) {
          for (let o = this.end; o <= range.lastOffset; o++) this.put(o, RecordState.ARCHIVED, 0);
          this.end = range.lastOffset + 1n;
        }
        continue;
      }
      for (let o = range.firstOffset < this.start ? this.start : range.firstOffset; o <= range.lastOffset && budget > 0; o++) {
        if (until !== undefined && o > until) break scan;
        let rec = this.records.get(o);
        if (o >= this.end) {
          for (let gap = this.end; gap < o; gap++) this.put(gap, RecordState.ARCHIVED, 0);
          rec = this.put(o, RecordState.AVAILABLE, 0);
          this.end = o + 1n;
        }
        if (rec === undefined || rec.state !== RecordState.AVAILABLE) continue;
        if (expired?.has(o) === true) {
          rec.state = RecordState.ARCHIVED;
          this.dirty.add(o);
          archived.push({ offset: o, deliveryCount: rec.deliveryCount, reason: 'expired', memberId: null });
          continue;
        }
        if (only !== undefined && !only.has(o)) continue;
        rec.state = RecordState.ACQUIRED;
        rec.deliveryCount++;
        rec.memberId = memberId;
        rec.acquisitionId = id;
        this.dirty.add(o);
        offsets.push(o);
        budget--;
        const last = out[out.length - 1];
        if (last !== undefined && last.lastOffset + 1n === o && last.deliveryCount === rec.deliveryCount) last.lastOffset = o;
        else out.push({ firstOffset: o, lastOffset: o, deliveryCount: rec.deliveryCount });
      }
      if (budget <= 0) break;
    }
    if (offsets.length > 0) {
      this.lock(id, offsets);
      this.acquired += offsets.length;
      this.acquiredByMember.set(memberId, this.acquiredBy(memberId) + offsets.length);
    }
    this.advanceStart();
    if (out.length > 0) this.events.onStep?.(this, { kind: 'acquired', memberId, records: out });
    if (archived.length > 0) this.events.onArchived?.(this, archived);
    return out;
  }

  /** Whether the record at `offset` could be acquired now: available in the window, or past its end (never delivered). */
  isCandidate(offset: bigint): boolean {
    if (offset < this.start) return false;
    return offset >= this.end || this.records.get(offset)?.state === RecordState.AVAILABLE;
  }

  /**
   * Applies a member's acknowledgements, all or nothing: NONE, INVALID_REQUEST (malformed batch,
   * unknown type, renew where the version has none) or INVALID_RECORD_STATE (an offset this member
   * does not hold acquired).
   */
  acknowledge(memberId: string, batches: readonly AcknowledgementBatch[], allowRenew = false): number {
    for (const b of batches) {
      if (b.lastOffset < b.firstOffset) return ErrorCode.INVALID_REQUEST;
      const n = b.lastOffset - b.firstOffset + 1n;
      if (b.acknowledgeTypes.length !== 1 && BigInt(b.acknowledgeTypes.length) !== n) return ErrorCode.INVALID_REQUEST;
      if (!b.acknowledgeTypes.every((t) => isAcknowledgeType(t, allowRenew))) return ErrorCode.INVALID_REQUEST;
    }
    for (const b of batches) {
      if (b.firstOffset < this.start || b.lastOffset >= this.end) return ErrorCode.INVALID_RECORD_STATE;
      for (let o = b.firstOffset; o <= b.lastOffset; o++) {
        const rec = this.records.get(o);
        if (rec === undefined || rec.state !== RecordState.ACQUIRED || rec.memberId !== memberId) return ErrorCode.INVALID_RECORD_STATE;
      }
    }
    const archived: ArchivedRecord[] = [];
    const renewed: bigint[] = [];
    let freed = false;
    // Offsets per acknowledgement type, collected only when someone observes the steps.
    const steps = this.events.onStep === undefined ? undefined : { accepted: [] as bigint[], released: [] as bigint[], rejected: [] as bigint[] };
    for (const b of batches) {
      const single = b.acknowledgeTypes.length === 1;
      for (let o = b.firstOffset, i = 0; o <= b.lastOffset; o++, i++) {
        const type = single ? b.acknowledgeTypes[0] : b.acknowledgeTypes[i];
        const rec = this.records.get(o)!;
        if (rec.state !== RecordState.ACQUIRED) continue; // the same offset twice in one request
        if (type === AcknowledgeType.RENEW) {
          renewed.push(o);
          continue;
        }
        this.unlockOne(rec);
        this.dirty.add(o);
        freed = true;
        if (type === AcknowledgeType.ACCEPT) {
          rec.state = RecordState.ACKNOWLEDGED;
          steps?.accepted.push(o);
        } else if (type === AcknowledgeType.RELEASE) {
          this.releaseOne(o, rec, archived);
          steps?.released.push(o);
        } else {
          rec.state = RecordState.ARCHIVED;
          if (type === AcknowledgeType.REJECT) {
            archived.push({ offset: o, deliveryCount: rec.deliveryCount, reason: 'rejected', memberId });
            steps?.rejected.push(o);
          }
        }
      }
    }
    if (renewed.length > 0) {
      const id = this.nextAcquisitionId++;
      for (const o of renewed) {
        const rec = this.records.get(o)!;
        this.leaveLock(rec.acquisitionId);
        rec.acquisitionId = id;
      }
      this.lock(id, renewed);
    }
    this.advanceStart();
    if (steps !== undefined) {
      for (const kind of ['accepted', 'released', 'rejected'] as const) {
        if (steps[kind].length > 0) this.events.onStep!(this, { kind, memberId, offsets: steps[kind] });
      }
    }
    if (archived.length > 0) this.events.onArchived?.(this, archived);
    if (freed) this.events.onAvailable?.(this);
    return ErrorCode.NONE;
  }

  /** Makes every record `memberId` holds available again (it left, was fenced or closed its session). */
  releaseMember(memberId: string): number {
    if (this.acquiredBy(memberId) === 0) return 0;
    const archived: ArchivedRecord[] = [];
    const offsets: bigint[] | undefined = this.events.onStep === undefined ? undefined : [];
    let count = 0;
    for (let o = this.start; o < this.end; o++) {
      const rec = this.records.get(o)!;
      if (rec.state !== RecordState.ACQUIRED || rec.memberId !== memberId) continue;
      this.unlockOne(rec);
      this.dirty.add(o);
      this.releaseOne(o, rec, archived);
      offsets?.push(o);
      count++;
    }
    this.advanceStart();
    if (offsets !== undefined && offsets.length > 0) this.events.onStep!(this, { kind: 'member-released', memberId, offsets });
    if (archived.length > 0) this.events.onArchived?.(this, archived);
    if (count > 0) this.events.onAvailable?.(this);
    return count;
  }

  /**
   * Moves the start to `offset` with an empty window (AlterShareGroupOffsets; the log start passing
   * the window). Records acquired below it are dropped with their locks.
   */
  resetTo(offset: bigint): void {
    for (const lock of this.locks.values()) lock.cancel();
    this.locks.clear();
    this.records.clear();
    this.acquiredByMember.clear();
    this.acquired = 0;
    this.dirty.clear();
    this.start = offset;
    this.end = offset;
    this.startMoved = true;
  }

  /** Archives everything below `offset` (the log no longer has it). */
  archiveBefore(offset: bigint): void {
    if (offset <= this.start) return;
    if (offset >= this.end) {
      this.resetTo(offset);
      return;
    }
    for (let o = this.start; o < offset; o++) {
      const rec = this.records.get(o)!;
      if (rec.state === RecordState.ACQUIRED) this.unlockOne(rec);
      if (rec.state !== RecordState.ACKNOWLEDGED) rec.state = RecordState.ARCHIVED;
    }
    this.advanceStart();
  }

  /** What changed since the last call, as a ShareUpdate would carry it; undefined when nothing did. */
  drainChanges(): ShareState | undefined {
    if (this.dirty.size === 0 && !this.startMoved) return undefined;
    const offsets = [...this.dirty].filter((o) => o >= this.start).sort(byOffset);
    this.dirty = new Set();
    this.startMoved = false;
    return { startOffset: this.start, stateBatches: this.batchesOf(offsets) };
  }

  /** The whole window as a ShareSnapshot carries it (acquired records as available with their count). */
  snapshot(): ShareState {
    const offsets: bigint[] = [];
    for (let o = this.start; o < this.end; o++) offsets.push(o);
    return { startOffset: this.start, stateBatches: this.batchesOf(offsets) };
  }

  /** Cancels every lock timer (the share-partition is unloaded or deleted). */
  close(): void {
    this.closed = true;
    for (const lock of this.locks.values()) lock.cancel();
    this.locks.clear();
  }

  private put(offset: bigint, state: RecordStateCode, deliveryCount: number): InFlightRecord {
    const rec: InFlightRecord = { state, deliveryCount, memberId: null, acquisitionId: 0 };
    this.records.set(offset, rec);
    this.dirty.add(offset);
    return rec;
  }

  private lock(id: number, offsets: bigint[]): void {
    const cancel = this.clock.schedule(this.config.recordLockDurationMs, () => this.expire(id));
    this.locks.set(id, { offsets, cancel, remaining: offsets.length });
  }

  /** A lock ran out: what its member still holds becomes available again (or archived at the limit). */
  private expire(id: number): void {
    const lock = this.locks.get(id);
    if (lock === undefined || this.closed) return;
    this.locks.delete(id);
    const archived: ArchivedRecord[] = [];
    const timedOut: bigint[] | undefined = this.events.onStep === undefined ? undefined : [];
    let memberId: string | null = null;
    let freed = false;
    for (const o of lock.offsets) {
      const rec = this.records.get(o);
      if (rec === undefined || rec.state !== RecordState.ACQUIRED || rec.acquisitionId !== id) continue;
      memberId = rec.memberId;
      this.unlockOne(rec);
      this.dirty.add(o);
      this.releaseOne(o, rec, archived);
      freed = true;
      timedOut?.push(o);
    }
    this.advanceStart();
    if (timedOut !== undefined && timedOut.length > 0) this.events.onStep!(this, { kind: 'lock-timeout', memberId: memberId ?? '', offsets: timedOut });
    if (archived.length > 0) this.events.onArchived?.(this, archived);
    this.events.onBackgroundChange?.(this);
    if (freed) this.events.onAvailable?.(this);
  }

  /** Drops an acquired record's member and counts (its lock timer ends when its last record leaves). */
  private unlockOne(rec: InFlightRecord): void {
    const member = rec.memberId;
    if (member !== null) {
      const left = this.acquiredBy(member) - 1;
      if (left > 0) this.acquiredByMember.set(member, left);
      else this.acquiredByMember.delete(member);
    }
    this.acquired--;
    this.leaveLock(rec.acquisitionId);
    rec.memberId = null;
    rec.acquisitionId = 0;
  }

  private leaveLock(id: number): void {
    const lock = this.locks.get(id);
    if (lock === undefined || --lock.remaining > 0) return;
    lock.cancel();
    this.locks.delete(id);
  }

  /** Available again, or archived when it has been delivered delivery.count.limit times. */
  private releaseOne(offset: bigint, rec: InFlightRecord, archived: ArchivedRecord[]): void {
    if (rec.deliveryCount >= this.config.deliveryCountLimit) {
      rec.state = RecordState.ARCHIVED;
      archived.push({ offset, deliveryCount: rec.deliveryCount, reason: 'delivery-limit', memberId: null });
      return;
    }
    rec.state = RecordState.AVAILABLE;
  }

  private advanceStart(): void {
    while (this.start < this.end) {
      const rec = this.records.get(this.start);
      if (rec === undefined || (rec.state !== RecordState.ACKNOWLEDGED && rec.state !== RecordState.ARCHIVED)) break;
      this.records.delete(this.start);
      this.dirty.delete(this.start);
      this.start++;
      this.startMoved = true;
    }
  }

  private batchesOf(sortedOffsets: readonly bigint[]): StateBatch[] {
    const out: { firstOffset: bigint; lastOffset: bigint; deliveryState: number; deliveryCount: number }[] = [];
    for (const o of sortedOffsets) {
      const rec = this.records.get(o);
      if (rec === undefined) continue;
      const deliveryState = rec.state === RecordState.ACQUIRED ? RecordState.AVAILABLE : rec.state;
      const last = out[out.length - 1];
      if (last !== undefined && last.lastOffset + 1n === o && last.deliveryState === deliveryState && last.deliveryCount === rec.deliveryCount) last.lastOffset = o;
      else out.push({ firstOffset: o, lastOffset: o, deliveryState, deliveryCount: rec.deliveryCount });
    }
    return out;
  }
}
