// Feeds a MessageTracer from the server's tracing channels (mq:append, mq:fetch, mq:group) and,
// in a cluster, from high-watermark moves: the broker's handlers are not touched. The channels are
// process-wide, so only sessions this broker's middleware has seen count (two brokers in a process).
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ApiKey, ErrorCode } from '@mq/protocol';
import type { Partition, TopicManager } from '@mq/partition';
import { iterateBatches, readBaseOffset, readLastOffsetDelta } from '@mq/records';
import { APPEND_CHANNEL, type AppendTrace, FETCH_CHANNEL, type FetchTrace, GROUP_CHANNEL, type GroupTrace, type Session } from '@mq/server';
import type { ConsumerInfo, MessageTracer } from '@mq/trace';
import { producedTraceContexts } from './produced-trace-contexts';

/** Epoch milliseconds with sub-millisecond precision: steps of one message often share a millisecond. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

interface FetchedPartition {
  readonly partitionIndex: number;
  readonly errorCode: number;
  readonly records?: Buffer | null;
}
interface FetchShape {
  readonly replicaId?: number;
  readonly replicaState?: { readonly replicaId: number };
  readonly topics?: readonly { readonly topic?: string; readonly topicId?: string; readonly partitions: readonly { partition: number; fetchOffset: bigint }[] }[];
}
interface FetchResultShape {
  readonly responses?: readonly { readonly topic?: string; readonly topicId?: string; readonly partitions: readonly FetchedPartition[] }[];
}
interface CommitShape {
  readonly topics?: readonly { readonly name?: string; readonly topicId?: string; readonly partitions: readonly { partitionIndex: number; committedOffset: bigint }[] }[];
}
interface CommitResultShape {
  readonly topics?: readonly { readonly name?: string; readonly topicId?: string; readonly partitions: readonly { partitionIndex: number; errorCode: number }[] }[];
}
interface MemberResultShape {
  readonly errorCode?: number;
  readonly memberId?: string | null;
}

export interface TraceFeedOptions {
  readonly tracer: MessageTracer;
  readonly topics: TopicManager;
  /** Sessions of this broker (its middleware adds each one it sees). */
  readonly owns: (session: Session) => boolean;
  /** Cluster mode: the replicated step is fed from high-watermark moves. */
  readonly replicated: boolean;
  readonly onError: (err: unknown) => void;
}

/** Subscribes; returns the unsubscribe. */
export function subscribeTraceFeed(opts: TraceFeedOptions): () => void {
  const { tracer, topics, owns } = opts;
  const started = new WeakMap<object, number>();
  const members = new GroupMembers();
  const start = (ctx: object): void => {
    started.set(ctx, preciseNow());
  };
  const startOf = (ctx: object, fallback: number): number => started.get(ctx) ?? fallback;
  const topicName = (name: string | undefined, id: string | undefined): string | undefined => name ?? (id === undefined ? undefined : topics.getById(id)?.name);

  const append = {
    start,
    asyncEnd(ctx: AppendTrace): void {
      const r = ctx.result;
      if (ctx.error !== undefined || r === undefined || r.duplicate || !owns(ctx.session)) return;
      const end = preciseNow();
      const begin = startOf(ctx, end);
      const record = (contexts: Parameters<MessageTracer['produced']>[2]['contexts']): void => {
        const batch = { baseOffset: r.baseOffset, recordCount: Number(r.lastOffset - r.baseOffset) + 1, contexts };
        tracer.produced(ctx.topic, ctx.partition, batch, begin, end, ctx.session.clientId ?? undefined);
        // acks=all and a fast follower: the high watermark may have passed before this ran.
        if (opts.replicated) replicatedTo(ctx.topic, ctx.partition);
      };
      const contexts = producedTraceContexts(ctx.records);
      if (contexts instanceof Promise) contexts.then(record, opts.onError);
      else record(contexts);
    },
  };
  const replicatedTo = (topic: string, partition: number): void => {
    const p = topics.get(topic)?.partitions[partition];
    if (p !== undefined) tracer.replicated(topic, partition, p.highWatermark, preciseNow());
  };

  const fetch = {
    start,
    asyncEnd(ctx: FetchTrace): void {
      const req = ctx.request as FetchShape;
      if (ctx.error !== undefined || (req.replicaId ?? -1) >= 0 || (req.replicaState?.replicaId ?? -1) >= 0 || !owns(ctx.session)) return;
      const responses = (ctx.result as FetchResultShape | undefined)?.responses;
      if (responses === undefined) return;
      const end = preciseNow();
      const consumer: ConsumerInfo = { clientId: ctx.session.clientId ?? undefined, ...members.of(ctx.session) };
      for (const t of responses) {
        const topic = topicName(t.topic, t.topicId);
        if (topic === undefined) continue;
        for (const p of t.partitions) {
          if (p.errorCode !== ErrorCode.NONE || p.records == null || p.records.length === 0 || !tracer.store.hasMessages(topic, p.partitionIndex)) continue;
          const range = fetchedRange(p.records, fetchOffsetOf(req, t.topic, t.topicId, p.partitionIndex));
          if (range !== undefined) tracer.fetched(topic, p.partitionIndex, range.first, range.last, startOf(ctx, end), end, consumer);
        }
      }
    },
  };

  const group = {
    start,
    asyncEnd(ctx: GroupTrace): void {
      if (ctx.error !== undefined || !owns(ctx.session)) return;
      const result = ctx.result as MemberResultShape | undefined;
      if (ctx.apiKey === ApiKey.OffsetCommit) {
        const end = preciseNow();
        committed(ctx.groupId, ctx.request as CommitShape, ctx.result as CommitResultShape | undefined, startOf(ctx, end), end);
      } else if (ctx.apiKey === ApiKey.LeaveGroup) {
        members.left(ctx.session);
      } else if (result?.errorCode === ErrorCode.NONE) {
        // JoinGroup and KIP-848 heartbeats answer with the member id; SyncGroup and Heartbeat name it.
        const memberId = typeof result.memberId === 'string' && result.memberId !== '' ? result.memberId : ctx.memberId;
        if (memberId !== undefined && memberId !== '') members.seen(ctx.session, ctx.groupId, memberId);
      }
    },
  };

  const committed = (groupId: string, req: CommitShape, res: CommitResultShape | undefined, begin: number, end: number): void => {
    (req.topics ?? []).forEach((t, ti) => {
      const topic = topicName(t.name, t.topicId);
      if (topic === undefined) return;
      t.partitions.forEach((p, pi) => {
        if (res?.topics?.[ti]?.partitions[pi]?.errorCode !== ErrorCode.NONE) return;
        if (tracer.store.hasMessages(topic, p.partitionIndex)) tracer.committedOffset(groupId, topic, p.partitionIndex, p.committedOffset, begin, end);
      });
    });
  };

  // The start and asyncEnd sub-channels of Node's tracing channels, by name.
  const subscriptions: [string, (message: unknown) => void][] = [];
  for (const [name, handlers] of [
    [APPEND_CHANNEL, append],
    [FETCH_CHANNEL, fetch],
    [GROUP_CHANNEL, group],
  ] as const) {
    subscriptions.push([`tracing:${name}:start`, handlers.start as (m: unknown) => void]);
    subscriptions.push([`tracing:${name}:asyncEnd`, handlers.asyncEnd as (m: unknown) => void]);
  }
  for (const [name, fn] of subscriptions) subscribe(name, fn);
  const onChange = (p: Partition): void => tracer.replicated(p.topic, p.index, p.highWatermark, preciseNow());
  const unobserve = opts.replicated ? topics.onPartitionChange(onChange) : undefined;
  return () => {
    for (const [name, fn] of subscriptions) unsubscribe(name, fn);
    unobserve?.();
  };
}

/** At most this many client id + address pairs remembered (the oldest forgotten first). */
const MAX_CLIENTS = 10_000;

/**
 * Which group member a fetching connection is. Fetch names no group, and clients (kafkajs,
 * librdkafka) fetch on another connection than the one they heartbeat on: the member is the one
 * that last joined or heartbeated on the same connection, else from the same client id and address.
 */
class GroupMembers {
  private readonly bySession = new WeakMap<Session, { groupId: string; memberId: string }>();
  private readonly byClient = new Map<string, { groupId: string; memberId: string }>();

  seen(session: Session, groupId: string, memberId: string): void {
    const member = { groupId, memberId };
    this.bySession.set(session, member);
    const key = clientKey(session);
    this.byClient.delete(key); // re-inserted last: the Map's order is the eviction order
    this.byClient.set(key, member);
    if (this.byClient.size > MAX_CLIENTS) this.byClient.delete(this.byClient.keys().next().value!);
  }

  left(session: Session): void {
    this.bySession.delete(session);
    this.byClient.delete(clientKey(session));
  }

  of(session: Session): { groupId: string; memberId: string } | undefined {
    return this.bySession.get(session) ?? this.byClient.get(clientKey(session));
  }
}

const clientKey = (s: Session): string => `${s.clientId ?? ''}\u0000${s.remoteAddress}`;

function fetchOffsetOf(req: FetchShape, topic: string | undefined, topicId: string | undefined, partition: number): bigint {
  const t = req.topics?.find((x) => (topic !== undefined ? x.topic === topic : x.topicId === topicId));
  return t?.partitions.find((p) => p.partition === partition)?.fetchOffset ?? 0n;
}

/** The offsets a consumer got: from its fetch offset (inside the first batch) to the last whole batch's end. */
function fetchedRange(records: Buffer, fetchOffset: bigint): { first: bigint; last: bigint } | undefined {
  let last: bigint | undefined;
  for (const { batch } of iterateBatches(records, false)) last = readBaseOffset(batch) + BigInt(readLastOffsetDelta(batch));
  if (last === undefined) return undefined;
  const base = readBaseOffset(records);
  return { first: fetchOffset > base ? fetchOffset : base, last };
}
