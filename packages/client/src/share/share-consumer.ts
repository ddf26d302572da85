// The share consumer (KIP-932): a member of a share group (ShareGroupHeartbeat) that fetches the
// records the broker acquires for it (ShareFetch, one share session per leader) and acknowledges
// them one by one — accept, release, reject (renew: keep the lock, v2) — piggybacked on the next ShareFetch, or at once with
// commit() (ShareAcknowledge). acknowledgementMode 'implicit' (Kafka's default) accepts whatever the
// application left unacknowledged when it polls again; 'explicit' leaves those locked until their
// lock expires (then they are redelivered). When the assignment shrinks, the partitions a leader's
// share session no longer needs go as forgotten_topics_data (and their last acknowledgements by
// ShareAcknowledge), so that leader stops acquiring them for this member. When one leader's fetch
// fails, what the others acquired is still handed out (the error comes with the next poll()).
import { ApiKey, ErrorCode, KafkaError, type RequestInputFor, type ResponseBodyFor } from '@mq/protocol';
import type { Cluster } from '../cluster';
import { isRetriable } from '../errors';
import { ClientClosedError, InvalidArgumentError } from '../errors';
import { decodeRecords } from '../consumer/fetcher';
import { batchLastOffset, iterateBatches, readBatchHeader } from '@mq/records';
import { type PartitionAcks, ShareAcknowledgements } from './share-acknowledgements';
import { ShareMembership } from './share-membership';
import type { AcknowledgeFailure, ShareRecord } from './share-record';
import { ShareRecordImpl } from './share-record-impl';

export interface ShareConsumerOptions {
  groupId: string;
  /** Default 'implicit': poll() accepts what the previous poll handed out and was not acknowledged. */
  acknowledgementMode?: 'implicit' | 'explicit';
  /** Most records one poll returns per broker; default 500. */
  maxRecords?: number;
  /** How long the broker may hold a ShareFetch with nothing to acquire; default 500 ms. */
  maxWaitMs?: number;
  maxBytes?: number;
}

/** One share session per leader: its epoch, the partitions the broker's session holds, and a chain keeping its requests in epoch order. */
interface LeaderSession {
  epoch: number;
  /** `topicId:partition` of each partition the last answered ShareFetch left in the session. */
  partitions: Map<string, { topicId: string; partition: number }>;
  chain: Promise<unknown>;
}

interface SharePartitionRef {
  readonly topicId: string;
  readonly topic: string;
  readonly partition: number;
}

/** What one leader's ShareFetch gave: the records to hand out, and what failed after some were acquired. */
interface LeaderFetch {
  readonly records: ShareRecordImpl[];
  readonly error?: unknown;
}

const refKey = (r: { topicId: string; partition: number }): string => `${r.topicId}:${r.partition}`;

const SESSION_ERRORS: ReadonlySet<number> = new Set([ErrorCode.SHARE_SESSION_NOT_FOUND, ErrorCode.INVALID_SHARE_SESSION_EPOCH]);
const MEMBER_ERRORS: ReadonlySet<number> = new Set([ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.FENCED_MEMBER_EPOCH]);
/** Acknowledge type 4 (ShareFetch / ShareAcknowledge v2). */
const RENEW = 4;
const nextEpoch = (e: number): number => (e === 0x7fffffff ? 1 : e + 1);

export class ShareConsumer {
  private membership: ShareMembership | undefined;
  private readonly sessions = new Map<number, LeaderSession>();
  private readonly acks = new ShareAcknowledgements();
  private readonly topicNames = new Map<string, string>();
  private handedOut: ShareRecordImpl[] = [];
  private failures: AcknowledgeFailure[] = [];
  /** A leader's fetch failed while others' records were handed out: the next poll() throws it. */
  private fetchFailure: unknown;
  private closed = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly opts: ShareConsumerOptions,
  ) {
    if (!opts.groupId) throw new InvalidArgumentError('a share consumer needs a groupId');
  }

  get groupId(): string {
    return this.opts.groupId;
  }

  /** The member id this consumer chose (ShareGroupDescribe shows it). */
  get memberId(): string | undefined {
    return this.membership?.memberId;
  }

  /** Joins the share group for these topics on the next poll(). */
  subscribe(topics: readonly string[]): void {
    if (topics.length === 0) throw new InvalidArgumentError('subscribe() needs at least one topic');
    if (this.membership !== undefined) throw new InvalidArgumentError('this share consumer is already subscribed');
    this.membership = new ShareMembership(this.cluster, this.opts.groupId, topics);
  }

  /** Sends the acknowledgements so far and fetches what the broker acquires for this member (waits up to maxWaitMs). */
  async poll(): Promise<ShareRecord[]> {
    const m = this.requireMembership();
    if (m.failure !== undefined) {
      const err = m.failure;
      m.failure = undefined;
      throw err;
    }
    if (!m.isJoined) await m.join();
    if (this.fetchFailure !== undefined) {
      const err = this.fetchFailure;
      this.fetchFailure = undefined;
      throw err;
    }
    this.collect(this.opts.acknowledgementMode !== 'explicit');
    const assigned = await this.assignedByLeader(m);
    // Acknowledgements of partitions no longer assigned go to their leader on their own (ShareAcknowledge):
    // a ShareFetch naming them would put them back in the share session and acquire more of them.
    const assignedKeys = new Set([...assigned.values()].flat().map(refKey));
    const unassigned = this.acks.partitions().filter((a) => !assignedKeys.has(refKey(a)));
    if (unassigned.length > 0) await this.acknowledge(m, false, unassigned);
    // A leader whose share session still holds partitions no longer assigned is told to forget them.
    for (const [leader, s] of this.sessions) if (s.epoch !== 0 && s.partitions.size > 0 && !assigned.has(leader)) assigned.set(leader, []);
    if (assigned.size === 0) {
      // Nothing assigned yet (the topic is not there, or the assignment is on its way): wait as a fetch would.
      await new Promise((r) => setTimeout(r, this.opts.maxWaitMs ?? 500));
      return [];
    }
    const fetched = await Promise.all([...assigned].map(([leader, parts]) => this.fetchFrom(m, leader, parts).then((f): LeaderFetch => f, (error: unknown): LeaderFetch => ({ records: [], error }))));
    const out = fetched.flatMap((f) => f.records);
    const failed = fetched.find((f) => f.error !== undefined);
    this.handedOut.push(...out);
    if (failed !== undefined) {
      // What other leaders acquired is handed out now (it is locked to this member); releases queued
      // for records that could not be handed out go to their leaders at once, not at the next poll.
      await this.acknowledge(m, false, this.acks.partitions().filter((a) => this.acks.hasRelease(a))).catch(() => undefined);
      if (out.length === 0) throw failed.error;
      this.fetchFailure = failed.error;
    }
    return out;
  }

  /**
   * Sends every acknowledgement given so far now (ShareAcknowledge), without fetching; in implicit
   * mode the last poll's unacknowledged records are accepted too. Answers what failed (empty: all done).
   */
  async commit(): Promise<AcknowledgeFailure[]> {
    const m = this.requireMembership();
    this.collect(this.opts.acknowledgementMode !== 'explicit');
    await this.acknowledge(m, false, null);
    const failed = this.failures;
    this.failures = [];
    return failed;
  }

  /** Records until close(), polling as needed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<ShareRecord> {
    while (!this.closed) {
      const records = await this.poll();
      for (const r of records) {
        if (this.closed) return;
        yield r;
      }
    }
  }

  /** Sends the acknowledgements given (implicit mode: accepts the rest of the last poll), closes the sessions and leaves the group. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const m = this.membership;
    if (m === undefined || !m.isJoined) return;
    this.collect(this.opts.acknowledgementMode !== 'explicit');
    await this.acknowledge(m, true, null).catch(() => undefined);
    await m.leave().catch(() => undefined);
  }

  private requireMembership(): ShareMembership {
    if (this.closed) throw new ClientClosedError('share consumer');
    if (this.membership === undefined) throw new InvalidArgumentError('subscribe() before poll()');
    return this.membership;
  }

  /**
   * Moves the handed-out records' acknowledgements into the pending set (implicit: unacknowledged
   * ones as accepted). A renewed record without one sends its renewal and stays handed out.
   */
  private collect(implicit: boolean): void {
    const kept: ShareRecordImpl[] = [];
    for (const r of this.handedOut) {
      const kind = r.acknowledgement ?? (implicit ? 'accept' : undefined);
      if (kind !== undefined) {
        this.acks.add(r.topicId, r.topic, r.partition, r.offset, kind);
        r.sent = true;
      } else if (r.renewRequested) {
        this.acks.add(r.topicId, r.topic, r.partition, r.offset, 'renew');
        r.renewRequested = false;
        kept.push(r);
      }
    }
    this.handedOut = kept;
  }

  private async assignedByLeader(m: ShareMembership): Promise<Map<number, { topicId: string; topic: string; partition: number }[]>> {
    const out = new Map<number, { topicId: string; topic: string; partition: number }[]>();
    for (const [topicId, partitions] of m.assignment) {
      const topic = await this.nameOf(topicId);
      if (topic === undefined) continue;
      for (const partition of partitions) {
        const leader = await this.cluster.leaderFor(topic, partition).catch((err: unknown) => {
          if (isRetriable(err)) return undefined;
          throw err;
        });
        if (leader === undefined) continue;
        const list = out.get(leader) ?? [];
        list.push({ topicId, topic, partition });
        out.set(leader, list);
      }
    }
    return out;
  }

  /** A topic id's name, from the metadata (refreshed once when the id is new). */
  private async nameOf(topicId: string): Promise<string | undefined> {
    const known = this.topicNames.get(topicId);
    if (known !== undefined) return known;
    const md = await this.cluster.refreshMetadata();
    for (const t of md.topics.values()) if (t.topicId !== null) this.topicNames.set(t.topicId, t.name);
    return this.topicNames.get(topicId);
  }

  private session(leader: number): LeaderSession {
    let s = this.sessions.get(leader);
    if (s === undefined) {
      s = { epoch: 0, partitions: new Map(), chain: Promise.resolve() };
      this.sessions.set(leader, s);
    }
    return s;
  }

  /** Runs one request of a leader's session after the previous one, so epochs reach the broker in order. */
  private inSession<T>(leader: number, fn: (s: LeaderSession) => Promise<T>): Promise<T> {
    const s = this.session(leader);
    const run = s.chain.then(() => fn(s));
    s.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * One ShareFetch to a leader for `parts` (its assigned partitions; empty: only forgetting). The
   * partitions its share session holds but `parts` lacks go as forgotten_topics_data, so the broker
   * stops acquiring them for this member. A partition whose records cannot be handed out has its
   * acquired offsets released (queued) and the error is returned beside the others' records.
   */
  private fetchFrom(m: ShareMembership, leader: number, parts: readonly SharePartitionRef[]): Promise<LeaderFetch> {
    return this.inSession(leader, async (s): Promise<LeaderFetch> => {
      // The opening request (epoch 0) may not carry acknowledgements: they wait for the next one.
      const acks = s.epoch === 0 ? [] : this.acks.take(parts);
      const byTopic = new Map<string, { partitionIndex: number; acknowledgementBatches: PartitionAcks['batches'] }[]>();
      for (const p of parts) {
        const list = byTopic.get(p.topicId) ?? [];
        list.push({ partitionIndex: p.partition, acknowledgementBatches: acks.find((a) => a.topicId === p.topicId && a.partition === p.partition)?.batches ?? [] });
        byTopic.set(p.topicId, list);
      }
      // A new session (epoch 0) starts with just `parts`: nothing to forget.
      if (s.epoch === 0) s.partitions.clear();
      const wanted = new Set(parts.map(refKey));
      const forgotten = new Map<string, number[]>();
      for (const [k, p] of s.partitions) if (!wanted.has(k)) forgotten.set(p.topicId, [...(forgotten.get(p.topicId) ?? []), p.partition]);
      // Only forgetting: nothing to wait for.
      const maxWaitMs = parts.length === 0 ? 0 : (this.opts.maxWaitMs ?? 500);
      const req: RequestInputFor<typeof ApiKey.ShareFetch> = {
        groupId: this.opts.groupId,
        memberId: m.memberId,
        shareSessionEpoch: s.epoch,
        maxWaitMs,
        minBytes: 1,
        maxBytes: this.opts.maxBytes ?? 52_428_800,
        maxRecords: this.opts.maxRecords ?? 500,
        batchSize: this.opts.maxRecords ?? 500,
        topics: [...byTopic].map(([topicId, partitions]) => ({ topicId, partitions })),
        forgottenTopicsData: [...forgotten].map(([topicId, partitions]) => ({ topicId, partitions })),
      };
      let res: ResponseBodyFor<typeof ApiKey.ShareFetch>;
      try {
        res = await (await this.cluster.broker(leader, 'fetch')).request(ApiKey.ShareFetch, req, { extraTimeoutMs: maxWaitMs });
      } catch (err) {
        this.acks.restore(acks);
        if (!isRetriable(err)) throw err;
        // The connection dropped: its session is gone with it on the broker side only if it said so; start over.
        s.epoch = 0;
        s.partitions.clear();
        this.cluster.invalidate();
        return { records: [] };
      }
      if (res.errorCode !== ErrorCode.NONE) {
        this.acks.restore(acks);
        this.onSessionError(m, s, res.errorCode);
        return { records: [] };
      }
      s.epoch = nextEpoch(s.epoch);
      s.partitions = new Map(parts.map((p) => [refKey(p), { topicId: p.topicId, partition: p.partition }]));
      const out: ShareRecordImpl[] = [];
      let error: unknown;
      for (const t of res.responses) {
        const topic = this.topicNames.get(t.topicId);
        if (topic === undefined) continue;
        for (const p of t.partitions) {
          if (p.acknowledgeErrorCode !== ErrorCode.NONE) this.noteFailure(acks, t.topicId, topic, p.partitionIndex, p.acknowledgeErrorCode);
          if (p.errorCode !== ErrorCode.NONE) {
            if (isRetriable(new KafkaError(p.errorCode))) this.cluster.invalidate();
            continue;
          }
          try {
            out.push(...(await this.recordsOf(t.topicId, topic, p.partitionIndex, p.records, p.acquiredRecords)));
          } catch (err) {
            // Acquired for this member but never handed out: given back rather than left locked.
            for (const a of p.acquiredRecords) for (let o = BigInt(a.firstOffset); o <= BigInt(a.lastOffset); o++) this.acks.add(t.topicId, topic, p.partitionIndex, o, 'release');
            error ??= err;
          }
        }
      }
      return error === undefined ? { records: out } : { records: out, error };
    });
  }

  private async recordsOf(
    topicId: string,
    topic: string,
    partition: number,
    data: Buffer | null,
    acquired: readonly { firstOffset: bigint | number; lastOffset: bigint | number; deliveryCount: number }[],
  ): Promise<ShareRecordImpl[]> {
    if (acquired.length === 0) return [];
    const ranges = acquired.map((a) => ({ first: BigInt(a.firstOffset), last: BigInt(a.lastOffset), deliveryCount: a.deliveryCount }));
    const { records } = await decodeRecords(topic, partition, data, 0n);
    const out: ShareRecordImpl[] = [];
    const present = new Set<bigint>();
    // Which offsets the returned batches span: only there is a missing offset a gap (compacted away).
    const spans: { first: bigint; last: bigint }[] = [];
    if (data !== null) for (const { batch } of iterateBatches(data, true)) {
      const h = readBatchHeader(batch);
      spans.push({ first: h.baseOffset, last: batchLastOffset(h) });
    }
    for (const r of records) {
      const range = ranges.find((g) => g.first <= r.offset && r.offset <= g.last);
      if (range === undefined) continue;
      present.add(r.offset);
      const record = new ShareRecordImpl(r, topicId, range.deliveryCount);
      record.renewable = this.opts.acknowledgementMode === 'explicit';
      out.push(record);
    }
    // Acquired offsets with no record (compacted away): acknowledged as gaps, as Kafka's consumer does.
    for (const g of ranges) {
      for (let o = g.first; o <= g.last; o++) {
        if (!present.has(o) && spans.some((b) => b.first <= o && o <= b.last)) this.acks.add(topicId, topic, partition, o, 'gap');
      }
    }
    return out;
  }

  /** Sends the acknowledgements of `which` (null: all) by ShareAcknowledge; closing ends every share session. */
  private async acknowledge(m: ShareMembership, closing: boolean, which: readonly { topicId: string; partition: number }[] | null): Promise<void> {
    const byLeader = new Map<number, PartitionAcks[]>();
    for (const a of this.acks.take(which)) {
      const leader = await this.cluster.leaderFor(a.topic, a.partition).catch(() => undefined);
      if (leader === undefined) continue;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), a]);
    }
    const leaders = new Set([...byLeader.keys(), ...(closing ? this.sessions.keys() : [])]);
    await Promise.all(
      [...leaders].map((leader) =>
        this.inSession(leader, async (s) => {
          const acks = byLeader.get(leader) ?? [];
          if (s.epoch === 0) {
            // No session to acknowledge in: the broker released these when the session or member went.
            if (acks.length > 0) for (const a of acks) this.failures.push({ topic: a.topic, partition: a.partition, offsets: a.offsets, errorCode: ErrorCode.SHARE_SESSION_NOT_FOUND });
            return;
          }
          const epoch = closing ? -1 : s.epoch;
          const byTopic = new Map<string, { partitionIndex: number; acknowledgementBatches: PartitionAcks['batches'] }[]>();
          for (const a of acks) byTopic.set(a.topicId, [...(byTopic.get(a.topicId) ?? []), { partitionIndex: a.partition, acknowledgementBatches: a.batches }]);
          const res = await this.cluster.requestBroker(leader, ApiKey.ShareAcknowledge, {
            groupId: this.opts.groupId,
            memberId: m.memberId,
            shareSessionEpoch: epoch,
            // v2: says renewals are among the acknowledgements (v1 has no such field and no renew).
            isRenewAck: acks.some((a) => a.batches.some((b) => b.acknowledgeTypes[0] === RENEW)),
            topics: [...byTopic].map(([topicId, partitions]) => ({ topicId, partitions })),
          });
          if (closing) {
            s.epoch = 0;
            s.partitions.clear();
          } else if (res.errorCode === ErrorCode.NONE) s.epoch = nextEpoch(s.epoch);
          if (res.errorCode !== ErrorCode.NONE) {
            for (const a of acks) this.failures.push({ topic: a.topic, partition: a.partition, offsets: a.offsets, errorCode: res.errorCode });
            if (!closing) this.onSessionError(m, s, res.errorCode);
            return;
          }
          for (const t of res.responses) {
            const topic = this.topicNames.get(t.topicId) ?? t.topicId;
            for (const p of t.partitions) if (p.errorCode !== ErrorCode.NONE) this.noteFailure(acks, t.topicId, topic, p.partitionIndex, p.errorCode);
          }
        }),
      ),
    );
  }

  private noteFailure(acks: readonly PartitionAcks[], topicId: string, topic: string, partition: number, errorCode: number): void {
    const a = acks.find((x) => x.topicId === topicId && x.partition === partition);
    this.failures.push({ topic, partition, offsets: a?.offsets ?? [], errorCode });
  }

  private onSessionError(m: ShareMembership, s: LeaderSession, errorCode: number): void {
    if (SESSION_ERRORS.has(errorCode)) {
      s.epoch = 0;
      s.partitions.clear();
    } else if (MEMBER_ERRORS.has(errorCode)) {
      s.epoch = 0;
      s.partitions.clear();
      m.memberEpoch = 0;
    } else if (!isRetriable(new KafkaError(errorCode))) throw new KafkaError(errorCode, `share group ${this.opts.groupId}`);
  }
}
