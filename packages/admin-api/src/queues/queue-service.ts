// The HTTP queue API's core over @mq/share (SQS-like): receive up to N records of a (share group,
// topic) with a long poll — each a message with a signed receipt — and settle receipts (accept,
// release, reject). It reads and changes the same share-partition state as ShareFetch and
// ShareAcknowledge, so one queue is seen alike from Kafka share consumers and from HTTP.
import type { Partition, Topic, TopicManager } from '@mq/partition';
import { ErrorCode } from '@mq/errors';
import { decodeRecordBatch } from '@mq/records';
import { AcknowledgeType, type AcknowledgementBatch, type ShareCoordinator, RecordState } from '@mq/share';
import type { Cancel, Clock } from '@mq/timerwheel';
import { type DataType, type RecordData, encodeData } from '../record-data';
import { PartitionWaiter } from './partition-waiter';
import { QueueErrorCode, queueError, queueErrorForKafkaCode } from './queue-errors';
import { QueueMembers } from './queue-members';
import { type Receipt, ReceiptCodec, ReceiptError } from './receipt';

export interface QueueServiceDeps {
  readonly topics: TopicManager;
  /** The broker's share coordinator once opened (undefined: share groups are off or loading). */
  share(): ShareCoordinator | undefined;
  readonly clock: Clock;
}

export interface ReceiveOptions {
  readonly maxMessages: number;
  /** Long poll: how long to wait when nothing is available now. */
  readonly waitMs: number;
  /** Hold the records at most this long (≤ group.share.record.lock.duration.ms), then release them. */
  readonly lockMs?: number;
  /** The member receiving; default one shared member per group for this broker's HTTP clients. */
  readonly consumerId?: string;
  readonly encoding: DataType;
  readonly clientHost: string;
  /** Ends a long poll early (a WebSocket closed). */
  readonly signal?: AbortSignal;
}

export interface QueueMessage {
  readonly receipt: string;
  readonly topic_name: string;
  readonly partition_id: number;
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly delivery_count: number;
  readonly key: RecordData | null;
  readonly value: RecordData | null;
  readonly headers: readonly { name: string; value: string | null }[];
}

export interface Received {
  readonly consumer_id: string;
  /** Epoch ms when the receipts' locks end (the records then go back to the queue). */
  readonly lock_expires_at: number;
  readonly messages: QueueMessage[];
}

export type Settlement = 'ack' | 'release' | 'reject';

export interface SettleResult {
  readonly receipt: unknown;
  /** 0: settled; else the queue error code (40002 bad receipt, 40901 already settled, 41001 lock expired, …). */
  error_code: number;
  message: string | null;
}

const TYPE_OF: Readonly<Record<Settlement, number>> = { ack: AcknowledgeType.ACCEPT, release: AcknowledgeType.RELEASE, reject: AcknowledgeType.REJECT };

export const MAX_RECEIVE_MESSAGES = 1000;
export const MAX_WAIT_MS = 30_000;
/**
 * While long-polling, how often to look again although nothing woke the poll: appends and freed
 * record locks wake it, but a new assignment or a share-partition reset (offsets admin) push nothing.
 */
const RECHECK_MS = 1000;
const MAX_FETCH_BYTES = 1 << 20;
/** Attempts at a partition's settlement when a concurrent one changed its records in between. */
const SETTLE_ATTEMPTS = 3;

export class QueueService {
  private readonly members: QueueMembers;
  private readonly waiter: PartitionWaiter;
  private readonly lockTimers = new Set<Cancel>();
  /** Per group: the next partition to start from, so one partition cannot starve the others. */
  private readonly cursor = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly deps: QueueServiceDeps,
    private readonly receipts: ReceiptCodec = new ReceiptCodec(),
  ) {
    this.members = new QueueMembers(deps.topics, deps.clock);
    this.waiter = new PartitionWaiter(deps.topics, deps.clock);
  }

  /** The member HTTP clients of this broker share when they name none. */
  static defaultConsumerId(groupId: string): string {
    return `mq-http-${groupId}`;
  }

  get lockDurationMs(): number {
    return this.shareOrThrow().config.recordLockDurationMs;
  }

  /** group.share.heartbeat.interval.ms: how often an idle subscription refreshes its member. */
  get heartbeatIntervalMs(): number {
    return this.deps.share()?.config.heartbeatIntervalMs ?? 5000;
  }

  /** The topic a queue reads (404 for an unknown or internal one). */
  queueTopic(topicName: string): Topic {
    const topic = this.deps.topics.get(topicName);
    if (topic === undefined || topic.isInternal) throw queueError(QueueErrorCode.TOPIC_NOT_FOUND, `topic ${topicName} not found`);
    return topic;
  }

  /** Refreshes a member's session without receiving (a subscription waiting for credit). */
  keepAlive(groupId: string, memberId: string, topicName: string, clientHost: string): void {
    const share = this.deps.share();
    if (share !== undefined && !this.closed) this.members.touch(share, groupId, memberId, topicName, clientHost);
  }

  async receive(groupId: string, topicName: string, o: ReceiveOptions): Promise<Received> {
    const share = this.shareOrThrow();
    const topic = this.queueTopic(topicName);
    const lockDuration = share.config.recordLockDurationMs;
    if (o.lockMs !== undefined && (o.lockMs < 1 || o.lockMs > lockDuration)) {
      throw queueError(QueueErrorCode.BAD_REQUEST, `lock_ms must be from 1 to group.share.record.lock.duration.ms (${lockDuration}), got ${o.lockMs}`);
    }
    const memberId = o.consumerId ?? QueueService.defaultConsumerId(groupId);
    const deadline = this.deps.clock.now() + o.waitMs;
    const messages: QueueMessage[] = [];
    let lockStart = this.deps.clock.now();
    for (;;) {
      // A heartbeat per pass: a long poll keeps its member alive, and picks up a new assignment.
      const assigned = this.members.touch(share, groupId, memberId, topicName, o.clientHost);
      const partitions = assigned.flatMap((i) => (topic.partition(i) === undefined ? [] : [topic.partition(i)!]));
      const first = (this.cursor.get(groupId) ?? 0) % Math.max(1, partitions.length);
      this.cursor.set(groupId, first + 1);
      lockStart = this.deps.clock.now();
      const indexes = partitions.map((p) => p.index);
      // Parked from before the pass, so locks freed on a partition the pass already looked at wake it.
      let parked = share.parkUntilFreed(groupId, topic.topicId, indexes);
      try {
        for (let i = 0; i < partitions.length && messages.length < o.maxMessages; i++) {
          const p = partitions[(first + i) % partitions.length]!;
          messages.push(...(await this.acquire(share, groupId, memberId, topicName, p, o.maxMessages - messages.length, o.encoding)));
        }
        const now = this.deps.clock.now();
        if (messages.length > 0 || now >= deadline || this.closed || o.signal?.aborted === true) break;
        if (parked.signal.aborted) continue;
        // Again over every share-partition: the pass may have loaded some.
        const before = parked;
        parked = share.parkUntilFreed(groupId, topic.topicId, indexes);
        before.unpark();
        await this.waiter.wait(partitions, Math.min(deadline - now, RECHECK_MS), o.signal === undefined ? [parked.signal] : [parked.signal, o.signal]);
      } finally {
        parked.unpark();
      }
    }
    const lockMs = o.lockMs ?? lockDuration;
    if (o.lockMs !== undefined && o.lockMs < lockDuration && messages.length > 0) this.releaseAfter(o.lockMs, messages);
    return { consumer_id: memberId, lock_expires_at: lockStart + lockMs, messages };
  }

  /** Settles each receipt; the results are in the receipts' order (a bad one fails alone). */
  async settle(how: Settlement, groupId: string, topicName: string, rawReceipts: readonly unknown[], clientHost: string): Promise<SettleResult[]> {
    const share = this.shareOrThrow();
    const results: SettleResult[] = rawReceipts.map((receipt) => ({ receipt, error_code: 0, message: null }));
    const byPartition = new Map<string, { receipt: Receipt; result: SettleResult }[]>();
    const seen = new Set<string>();
    for (let i = 0; i < rawReceipts.length; i++) {
      const result = results[i]!;
      let r: Receipt;
      try {
        r = this.receipts.decode(rawReceipts[i]);
      } catch (err) {
        if (!(err instanceof ReceiptError)) throw err;
        fail(result, QueueErrorCode.BAD_RECEIPT, err.message);
        continue;
      }
      if (r.groupId !== groupId || r.topic !== topicName) {
        fail(result, QueueErrorCode.BAD_RECEIPT, `the receipt is for group ${r.groupId}, topic ${r.topic}, not group ${groupId}, topic ${topicName}`);
        continue;
      }
      const recordKey = `${r.partition}:${r.offset}`;
      if (seen.has(recordKey)) {
        fail(result, QueueErrorCode.ALREADY_SETTLED, `${topicName}-${r.partition}@${r.offset} is settled twice in one request`);
        continue;
      }
      seen.add(recordKey);
      const k = `${r.memberId}\u0000${r.partition}`;
      const list = byPartition.get(k) ?? [];
      list.push({ receipt: r, result });
      byPartition.set(k, list);
    }
    const refreshed = new Set<string>();
    for (const entries of byPartition.values()) {
      const { memberId, partition } = entries[0]!.receipt;
      if (!refreshed.has(memberId)) {
        refreshed.add(memberId);
        this.members.refresh(share, groupId, memberId, clientHost);
      }
      await this.settlePartition(share, TYPE_OF[how], groupId, topicName, memberId, partition, entries);
    }
    return results;
  }

  /** The member leaves its group now; what it holds goes back to the queue. */
  leave(groupId: string, memberId: string): void {
    this.members.leave(this.shareOrThrow(), groupId, memberId);
  }

  /** Stops lock timers and wakes long polls (the listener is closing). */
  close(): void {
    this.closed = true;
    for (const cancel of this.lockTimers) cancel();
    this.lockTimers.clear();
    this.waiter.close();
  }

  private shareOrThrow(): ShareCoordinator {
    const share = this.deps.share();
    if (share === undefined || this.closed) throw queueError(QueueErrorCode.UNAVAILABLE, 'share groups are not available on this broker');
    return share;
  }

  private async acquire(share: ShareCoordinator, groupId: string, memberId: string, topic: string, p: Partition, max: number, encoding: DataType): Promise<QueueMessage[]> {
    const got = await share.acquire(groupId, memberId, topic, p.index, max, MAX_FETCH_BYTES);
    if (got.errorCode !== ErrorCode.NONE) throw queueErrorForKafkaCode(got.errorCode, `receive from ${topic}-${p.index}`);
    if (got.acquired.length === 0) return [];
    const countOf = (offset: bigint): number | undefined => got.acquired.find((a) => a.firstOffset <= offset && offset <= a.lastOffset)?.deliveryCount;
    const out: QueueMessage[] = [];
    const present = new Set<bigint>();
    const spans: { first: bigint; last: bigint }[] = [];
    for (const batch of got.records) {
      const decoded = await decodeRecordBatch(batch);
      spans.push({ first: decoded.header.baseOffset, last: decoded.header.baseOffset + BigInt(decoded.header.lastOffsetDelta) });
      for (const r of decoded.records) {
        const deliveryCount = countOf(r.offset);
        if (deliveryCount === undefined) continue;
        present.add(r.offset);
        out.push({
          receipt: this.receipts.encode({ groupId, topic, partition: p.index, offset: r.offset, deliveryCount, memberId }),
          topic_name: topic,
          partition_id: p.index,
          offset: r.offset,
          timestamp: r.timestamp,
          delivery_count: deliveryCount,
          key: encodeData(r.key, encoding),
          value: encodeData(r.value, encoding),
          headers: r.headers.map((h) => ({ name: h.key, value: h.value === null ? null : h.value.toString('base64') })),
        });
      }
    }
    // Offsets acquired without a record inside a returned batch (compacted away): acknowledged as gaps, as
    // Kafka clients do, so they do not come back until the delivery limit.
    const gaps: AcknowledgementBatch[] = [];
    for (const a of got.acquired) {
      for (let o = a.firstOffset; o <= a.lastOffset; o++) {
        if (!present.has(o) && spans.some((b) => b.first <= o && o <= b.last)) gaps.push({ firstOffset: o, lastOffset: o, acknowledgeTypes: [AcknowledgeType.GAP] });
      }
    }
    if (gaps.length > 0) await share.acknowledge(groupId, memberId, topic, p.index, gaps, false);
    return out;
  }

  private async settlePartition(
    share: ShareCoordinator,
    type: number,
    groupId: string,
    topicName: string,
    memberId: string,
    partition: number,
    entries: readonly { receipt: Receipt; result: SettleResult }[],
  ): Promise<void> {
    const topic = this.deps.topics.get(topicName);
    for (let attempt = 1; ; attempt++) {
      const sp = topic === undefined ? undefined : share.sharePartitionOf(groupId, topic.topicId, partition);
      if (sp === undefined) {
        for (const e of entries) fail(e.result, QueueErrorCode.LOCK_EXPIRED, `${topicName}-${partition} has no acquisitions in group ${groupId} (the topic or the group's state was deleted)`);
        return;
      }
      // Checked here, synchronously, so each receipt gets its own reason; the coordinator checks again.
      const held: { receipt: Receipt; result: SettleResult }[] = [];
      for (const e of entries) {
        const why = staleness(e.receipt, sp.startOffset, sp.recordState(e.receipt.offset));
        if (why === undefined) held.push(e);
        else fail(e.result, why.code, why.message);
      }
      if (held.length === 0) return;
      const code = await share.acknowledge(groupId, memberId, topicName, partition, runsOf(held.map((e) => e.receipt.offset), type), false);
      if (code === ErrorCode.NONE) return;
      // INVALID_RECORD_STATE: a lock expired or another request settled one of them meanwhile.
      if (code !== ErrorCode.INVALID_RECORD_STATE || attempt >= SETTLE_ATTEMPTS) {
        const err = queueErrorForKafkaCode(code, `settling ${topicName}-${partition}`);
        for (const e of held) fail(e.result, err.errorCode, err.message);
        return;
      }
      entries = held;
    }
  }

  /** lock_ms shorter than the group's lock: what is still held under these receipts is released then. */
  private releaseAfter(ms: number, messages: readonly QueueMessage[]): void {
    const cancel = this.deps.clock.schedule(ms, () => {
      this.lockTimers.delete(cancel);
      const share = this.deps.share();
      if (share === undefined || this.closed) return;
      const byGroup = new Map<string, Receipt[]>();
      for (const m of messages) {
        const r = this.receipts.decode(m.receipt);
        const k = `${r.groupId}\u0000${r.memberId}\u0000${r.partition}`;
        byGroup.set(k, [...(byGroup.get(k) ?? []), r]);
      }
      for (const rs of byGroup.values()) {
        const { groupId, memberId, topic, partition } = rs[0]!;
        const entries = rs.map((receipt) => ({ receipt, result: { receipt: null, error_code: 0, message: null } as SettleResult }));
        void this.settlePartition(share, AcknowledgeType.RELEASE, groupId, topic, memberId, partition, entries).catch(() => undefined);
      }
    });
    this.lockTimers.add(cancel);
  }
}

function fail(result: SettleResult, errorCode: number, message: string): void {
  result.error_code = errorCode;
  result.message = message;
}

/** Why a receipt no longer holds its record; undefined while it does. */
function staleness(
  r: Receipt,
  startOffset: bigint,
  state: { state: number; deliveryCount: number; memberId: string | null } | undefined,
): { code: number; message: string } | undefined {
  const at = `${r.topic}-${r.partition}@${r.offset}`;
  if (state === undefined) {
    return r.offset < startOffset
      ? { code: QueueErrorCode.ALREADY_SETTLED, message: `${at} is already settled (accepted, rejected or archived)` }
      : { code: QueueErrorCode.LOCK_EXPIRED, message: `${at} is not acquired (the share-partition was reset)` };
  }
  if (state.state === RecordState.ACKNOWLEDGED || state.state === RecordState.ARCHIVED) {
    return { code: QueueErrorCode.ALREADY_SETTLED, message: `${at} is already settled (accepted, rejected or archived)` };
  }
  if (state.state === RecordState.AVAILABLE) return { code: QueueErrorCode.LOCK_EXPIRED, message: `${at}'s lock ended (expired or released): it is back in the queue` };
  if (state.memberId !== r.memberId || state.deliveryCount !== r.deliveryCount) {
    return { code: QueueErrorCode.LOCK_EXPIRED, message: `${at}'s lock ended: it was redelivered (delivery ${state.deliveryCount}, this receipt is delivery ${r.deliveryCount})` };
  }
  return undefined;
}

/** Offsets (any order) as acknowledgement batches of consecutive runs, one type each. */
function runsOf(offsets: readonly bigint[], type: number): AcknowledgementBatch[] {
  const sorted = [...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: { firstOffset: bigint; lastOffset: bigint; acknowledgeTypes: number[] }[] = [];
  for (const o of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.lastOffset + 1n === o) last.lastOffset = o;
    else out.push({ firstOffset: o, lastOffset: o, acknowledgeTypes: [type] });
  }
  return out;
}
