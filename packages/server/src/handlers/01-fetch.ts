// Fetch (key 1), versions 4-17 advertised (RecordBatch v2 only; flexible 12+; topic ids 13+).
// Stored batches go out as the log holds them (no re-encoding). Below min_bytes the request parks
// in the FetchPurgatory until appends bring enough bytes or max_wait_ms expires (no polling).
// max_bytes (capped by the broker's fetch.max.bytes) and partition_max_bytes are honoured exactly
// except that the first batch of the response is always whole (KIP-74), so a consumer can always
// make progress; a later partition whose next batch does not fit gets no records. Only what is
// sent is read, and it counts against queued.max.request.bytes until flushed (less when short).
// Cluster mode (a ReplicaManager in BrokerServices): a fetch with replica_id ≥ 0 (replica_state v15+)
// is a follower's: it is recorded (the follower's log end, ISR, high watermark; from v15 its broker
// epoch, and one older than its registration is refused NOT_LEADER_OR_FOLLOWER) in the dispatch phase
// and reads up to the log end offset; a consumer's reads stop at the high watermark and only the
// leader serves it. current_leader_epoch fences both (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH);
// NOT_LEADER_OR_FOLLOWER carries KIP-951's current_leader (v12+) and node_endpoints (v16+).
// Replication quota (KIP-73): a follower outside the ISR gets no records of a partition in
// leader.replication.throttled.replicas while the leader quota is exceeded, and such a partition
// does not wake its parked fetch; the bytes sent for throttled partitions are recorded on the quota.
// Fetch sessions (KIP-227, v7+, fetch-session-plan.ts): epoch 0 opens one, an incremental fetch
// reads every partition of its session and answers only those with records, an error or a moved
// high watermark / last stable offset / log start. Not implemented: diverging_epoch, preferred read replicas.
// isolation_level read_committed (v4+): consumer reads stop at the last stable offset and carry the
// aborted transactions overlapping what was read (the consumer drops their batches).
import { ApiKey, ErrorCode, kafkaErrorCode } from '@mq/protocol';
import type { Partition } from '@mq/partition';
import { Completion, defineHandler, type RequestContext, type RequestMemory } from '../handler';
import type { FetchSession, SessionPartition } from '../fetch-session';
import { fetchChannel } from '../trace-channels';
import { type SessionFetchRequest, planSession } from './fetch-session-plan';
import { type CurrentLeader, type NodeEndpoint, currentLeaderOf, nodeEndpointsOf, wantsLeaderHint } from './leader-hints';

const READ_COMMITTED = 1;
const EMPTY = Buffer.alloc(0);

interface FetchPartitionRequest {
  partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
  currentLeaderEpoch?: number;
}

interface FetchRequest extends SessionFetchRequest {
  replicaId?: number;
  replicaState?: { replicaId: number; replicaEpoch: bigint };
  maxWaitMs: number;
  minBytes: number;
  maxBytes?: number;
  isolationLevel?: number;
  topics: { topic?: string; topicId?: string; partitions: FetchPartitionRequest[] }[];
}

interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[] | null;
  preferredReadReplica: number;
  records: Buffer | null;
  currentLeader?: CurrentLeader;
}

interface FetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: { topic?: string; topicId?: string; partitions: FetchPartitionResponse[] }[];
  nodeEndpoints?: NodeEndpoint[];
}

/** One requested partition, resolved once; `partition` is undefined when it does not exist. */
interface Target {
  readonly req: FetchPartitionRequest;
  readonly topic: string;
  readonly partition: Partition | undefined;
  readonly unknownCode: number;
  /** What replication decided in the dispatch phase (NONE on a single node). */
  replicationCode: number;
  /** Its entry in the fetch session, when the fetch has one. */
  readonly inSession: SessionPartition | undefined;
}

/** The targets of one topic, as the response names it (by name before v13, by id from v13). */
interface TopicTargets {
  readonly topic?: string;
  readonly topicId?: string;
  readonly targets: Target[];
}

function emptyPartition(index: number, errorCode: number): FetchPartitionResponse {
  return {
    partitionIndex: index,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: EMPTY,
  };
}

/** The aborted transactions a read_committed consumer needs for [from, limit), as Fetch carries them. */
function abortedIn(p: Partition, from: bigint, limit: bigint): { producerId: bigint; firstOffset: bigint }[] {
  return p.abortedTransactions(from, limit).map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }));
}

/**
 * Reads every target once, holding the bytes read in `memory`. Returns the answers, the bytes
 * gathered, and whether any failed.
 */
async function readAll(
  targets: readonly TopicTargets[],
  maxBytes: number,
  isolation: number,
  memory: RequestMemory,
  ctx: RequestContext,
  forReplica: boolean,
  replicaId: number,
): Promise<{ answers: FetchPartitionResponse[][]; bytes: number; failed: boolean }> {
  let budget = maxBytes;
  let bytes = 0;
  let failed = false;
  const answers: FetchPartitionResponse[][] = [];
  for (const topic of targets) {
    const out: FetchPartitionResponse[] = [];
    for (const t of topic.targets) {
      const p = t.partition;
      if (p === undefined) {
        failed = true;
        out.push(emptyPartition(t.req.partition, t.unknownCode));
        continue;
      }
      if (t.replicationCode !== ErrorCode.NONE) {
        failed = true;
        out.push(replicationError(t, ctx));
        continue;
      }
      const hw = p.highWatermark;
      const lso = p.lastStableOffset;
      const committedOnly = isolation === READ_COMMITTED && !forReplica;
      const base: FetchPartitionResponse = {
        partitionIndex: t.req.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: hw,
        lastStableOffset: lso,
        logStartOffset: p.logStartOffset,
        abortedTransactions: committedOnly ? [] : null,
        preferredReadReplica: -1,
        records: EMPTY,
      };
      // Held back by the leader quota: the offsets go out, the records wait (Kafka's empty read).
      if (forReplica && ctx.broker.replication!.shouldLeaderThrottle(t.topic, t.req.partition, replicaId)) {
        out.push(base);
        continue;
      }
      // KIP-74: until the response holds a batch, the limits never hide the next whole batch;
      // after that, a batch that does not fit what is left is not sent (nor read). That first
      // batch is reserved at its largest (max.message.bytes) so it cannot overrun the memory
      // budget; when memory is short, only what fits in what was free is read. A reservation is
      // never above the whole budget, so a batch larger than it still goes out once memory is idle.
      const want = Math.max(0, Math.min(t.req.partitionMaxBytes, budget));
      const firstData = bytes === 0;
      const need = firstData ? Math.min(Math.max(want, p.topicConfig.maxMessageBytes), memory.capacity) : want;
      const granted = memory.take(need);
      const minOneBatch = firstData && granted === need;
      const maxRead = minOneBatch ? Math.max(Math.min(want, granted), 1) : Math.min(want, granted);
      if (maxRead <= 0 && !minOneBatch) {
        memory.release(granted);
      } else {
        try {
          const limit = committedOnly ? lso : hw;
          const records = forReplica ? await p.readForReplica(t.req.fetchOffset, maxRead, minOneBatch) : await p.read(t.req.fetchOffset, maxRead, limit, minOneBatch);
          base.records = records;
          if (committedOnly && records.length > 0) base.abortedTransactions = abortedIn(p, t.req.fetchOffset, limit);
          bytes += records.length;
          budget -= records.length;
          if (records.length > granted) memory.charge(records.length - granted);
          else memory.release(granted - records.length);
        } catch (err) {
          memory.release(granted);
          failed = true;
          base.errorCode = kafkaErrorCode(err);
        }
      }
      out.push(base);
    }
    answers.push(out);
  }
  return { answers, bytes, failed };
}

function resolveTargets(req: FetchRequest, ctx: RequestContext): TopicTargets[] {
  const { topics } = ctx.broker;
  const byId = ctx.apiVersion >= 13;
  return req.topics.map((rt) => {
    const topic = byId ? topics.getById(rt.topicId ?? '') : topics.get(rt.topic ?? '');
    const unknownCode = byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    return {
      ...(rt.topic !== undefined ? { topic: rt.topic } : {}),
      ...(rt.topicId !== undefined ? { topicId: rt.topicId } : {}),
      targets: rt.partitions.map((rp) => ({
        req: rp,
        topic: topic?.name ?? rt.topic ?? '',
        partition: topic?.partitions[rp.partition],
        unknownCode: topic === undefined ? unknownCode : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        replicationCode: ErrorCode.NONE,
        inSession: undefined,
      })),
    };
  });
}

/** Every partition of the session, grouped by topic in session order (a topic is named once). */
function sessionTargets(session: FetchSession, ctx: RequestContext): TopicTargets[] {
  const { topics } = ctx.broker;
  const byTopic = new Map<string, TopicTargets>();
  for (const sp of session.partitions()) {
    const topicKey = session.usesTopicIds ? sp.topicId : sp.topic;
    let group = byTopic.get(topicKey);
    if (group === undefined) byTopic.set(topicKey, (group = session.usesTopicIds ? { topicId: sp.topicId, targets: [] } : { topic: sp.topic, targets: [] }));
    const topic = session.usesTopicIds ? topics.getById(sp.topicId) : topics.get(sp.topic);
    group.targets.push({
      req: sp,
      topic: topic?.name ?? sp.topic,
      partition: topic?.partitions[sp.partition],
      unknownCode: topic === undefined && session.usesTopicIds ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      replicationCode: ErrorCode.NONE,
      inSession: sp,
    });
  }
  return [...byTopic.values()];
}

/**
 * Records what the response tells the session's client; in an incremental fetch, drops the
 * partitions with nothing new (no records, no error, the same offsets as last sent).
 */
function throughSession(groups: readonly TopicTargets[], answers: FetchPartitionResponse[][], session: FetchSession, incremental: boolean): FetchPartitionResponse[][] {
  return groups.map((g, i) =>
    (answers[i] ?? []).filter((a, j) => {
      const sp = g.targets[j]?.inSession;
      if (sp === undefined) return true;
      const news =
        a.errorCode !== ErrorCode.NONE ||
        (a.records !== null && a.records.length > 0) ||
        sp.sentHighWatermark !== a.highWatermark ||
        sp.sentLastStableOffset !== a.lastStableOffset ||
        sp.sentLogStartOffset !== a.logStartOffset;
      if (!news && incremental) return false;
      sp.sentHighWatermark = a.highWatermark;
      sp.sentLastStableOffset = a.lastStableOffset;
      sp.sentLogStartOffset = a.logStartOffset;
      if (a.records !== null && a.records.length > 0) session.moveToEnd(sp);
      return true;
    }),
  );
}

/** The follower's node id, or -1 for a consumer (replica_id until v14, replica_state from v15). */
function replicaIdOf(req: FetchRequest, version: number): number {
  return version >= 15 ? (req.replicaState?.replicaId ?? -1) : (req.replicaId ?? -1);
}

/**
 * Cluster mode, in the dispatch phase: a follower's fetch is recorded per partition (its log end,
 * the ISR and HW move with it); a consumer's needs the leader. Returns whether it is a follower's.
 */
function checkReplication(targets: readonly TopicTargets[], req: FetchRequest, ctx: RequestContext): boolean {
  const replication = ctx.broker.replication;
  if (replication === undefined) return false;
  const replicaId = replicaIdOf(req, ctx.apiVersion);
  // KIP-903: from v15 the follower names its broker epoch (-1: none); the leader refuses a stale one and proposes it for the ISR under it.
  const replicaEpoch = ctx.apiVersion >= 15 ? Number(req.replicaState?.replicaEpoch ?? -1n) : undefined;
  for (const topic of targets) {
    for (const t of topic.targets) {
      if (t.partition === undefined) continue;
      const epoch = t.req.currentLeaderEpoch ?? -1;
      t.replicationCode =
        replicaId >= 0
          ? replication.recordFollowerFetch(t.topic, t.req.partition, replicaId, t.req.fetchOffset, epoch, replicaEpoch)
          : replication.checkLeader(t.topic, t.req.partition, epoch);
    }
  }
  return replicaId >= 0;
}

function replicationError(t: Target, ctx: RequestContext): FetchPartitionResponse {
  const r = emptyPartition(t.req.partition, t.replicationCode);
  if (ctx.apiVersion >= 12 && wantsLeaderHint(t.replicationCode)) {
    const leader = currentLeaderOf(ctx, t.topic, t.req.partition);
    if (leader !== undefined) r.currentLeader = leader;
  }
  return r;
}

function respond(groups: readonly TopicTargets[], answers: FetchPartitionResponse[][], sessionId: number, ctx: RequestContext): FetchResponse {
  const out: FetchResponse = {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    sessionId,
    responses: groups.map((g, i) => ({
      ...(g.topic !== undefined ? { topic: g.topic } : {}),
      ...(g.topicId !== undefined ? { topicId: g.topicId } : {}),
      partitions: answers[i] ?? [],
    })),
  };
  if (ctx.broker.replication !== undefined && ctx.apiVersion >= 16) {
    const hints = answers.flat().flatMap((p) => (p.currentLeader === undefined ? [] : [p.currentLeader]));
    if (hints.length > 0) out.nodeEndpoints = nodeEndpointsOf(ctx, hints);
  }
  return out;
}

/** A request-level error (a fetch session problem, an exception): no partitions, no session. */
function errorOnly(errorCode: number): FetchResponse {
  return { throttleTimeMs: 0, errorCode, sessionId: 0, responses: [] };
}

/** The completion phase: reads, parks below min_bytes, reads again. */
async function serve(req: FetchRequest, ctx: RequestContext, targets: readonly TopicTargets[], forReplica: boolean, session: FetchSession | undefined, incremental: boolean): Promise<FetchResponse> {
  const answers = await readUntilMinBytes(req, ctx, targets, forReplica);
  if (forReplica) recordReplicaReads(targets, answers, ctx);
  if (session === undefined) return respond(targets, answers, 0, ctx);
  return respond(targets, throughSession(targets, answers, session, incremental), session.id, ctx);
}

/** Resolves after `ms` on the broker's clock, or at once when shutdown begins. */
function pause(clock: RequestContext['broker']['clock'], ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      cancel();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const cancel = clock.schedule(ms, done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** What a follower's fetch was sent: replication bytes out, and against the leader quota for partitions it throttles. */
function recordReplicaReads(targets: readonly TopicTargets[], answers: FetchPartitionResponse[][], ctx: RequestContext): void {
  for (const [i, g] of targets.entries()) {
    for (const [j, t] of g.targets.entries()) {
      const records = answers[i]?.[j]?.records;
      if (records !== null && records !== undefined && records.length > 0) ctx.broker.replication!.recordReplicaRead(t.topic, t.req.partition, records.length);
    }
  }
}

/** Reads, parks below min_bytes, reads again. */
async function readUntilMinBytes(req: FetchRequest, ctx: RequestContext, targets: readonly TopicTargets[], forReplica: boolean): Promise<FetchPartitionResponse[][]> {
  const asked = ctx.apiVersion >= 3 && req.maxBytes !== undefined && req.maxBytes > 0 ? req.maxBytes : 0x7fffffff;
  const maxBytes = Math.min(asked, ctx.broker.config.fetchMaxBytes);
  const isolation = req.isolationLevel ?? 0;
  const replicaId = forReplica ? replicaIdOf(req, ctx.apiVersion) : -1;
  const first = await readAll(targets, maxBytes, isolation, ctx.memory, ctx, forReplica, replicaId);
  const maxWait = Math.min(req.maxWaitMs, ctx.broker.config.fetchMaxWaitMsCap);
  if (first.failed || first.bytes >= req.minBytes || maxWait <= 0 || ctx.broker.shutdownSignal.aborted) return first.answers;
  // The first answer is dropped: a parked fetch holds no record bytes while it waits.
  ctx.memory.release(first.bytes);
  // A partition the leader quota holds back would wake the fetch only to answer it empty (Kafka's DelayedFetch skips it too).
  const held = (t: Target) => forReplica && ctx.broker.replication!.shouldLeaderThrottle(t.topic, t.req.partition, replicaId);
  let heldBack = 0;
  const watched = targets.flatMap((g) =>
    g.targets.flatMap((t) => {
      if (t.partition === undefined) return [];
      if (!held(t)) return [t.partition];
      heldBack++;
      return [];
    }),
  );
  const { clock, fetchPurgatory, shutdownSignal } = ctx.broker;
  const deadline = clock.monotonic() + maxWait;
  // Every partition held back: wait out max_wait_ms all the same, or the follower asks again at once.
  if (watched.length === 0 && heldBack > 0) await pause(clock, maxWait, shutdownSignal);
  else await fetchPurgatory.park(watched, req.minBytes - first.bytes, maxWait, shutdownSignal);
  let second = await readAll(targets, maxBytes, isolation, ctx.memory, ctx, forReplica, replicaId);
  // A replicated leader wakes a consumer's fetch on the append, before the ISR has it and the HW
  // moves: until something is readable, park again for what is left of max_wait_ms.
  while (ctx.broker.replication !== undefined && !forReplica && !second.failed && second.bytes === 0 && !shutdownSignal.aborted) {
    const left = deadline - clock.monotonic();
    if (left <= 0) break;
    await fetchPurgatory.park(watched, req.minBytes, left, shutdownSignal);
    second = await readAll(targets, maxBytes, isolation, ctx.memory, ctx, forReplica, replicaId);
  }
  return second.answers;
}

export const fetchHandler = defineHandler<FetchRequest, FetchResponse>({
  apiKey: ApiKey.Fetch,
  minVersion: 4,
  maxVersion: 17,
  dispatch(req, ctx) {
    const plan = planSession(req, ctx);
    if (plan.kind === 'error') return Completion.now(errorOnly(plan.errorCode));
    // Partitions are resolved in the dispatch phase, in request order (session order with a session).
    const session = plan.session;
    const targets = session === undefined ? resolveTargets(req, ctx) : sessionTargets(session, ctx);
    const incremental = plan.kind === 'incremental';
    const forReplica = checkReplication(targets, req, ctx);
    if (!fetchChannel.hasSubscribers) return Completion.later(serve(req, ctx, targets, forReplica, session, incremental));
    return Completion.later(fetchChannel.tracePromise(() => serve(req, ctx, targets, forReplica, session, incremental), { session: ctx.session, request: req }));
  },
  errorResponse(req, errorCode) {
    // Every requested partition carries the error (what clients act on); no session survives it.
    return {
      ...errorOnly(ErrorCode.NONE),
      responses: (req.topics ?? []).map((rt) => ({
        ...(rt.topic !== undefined ? { topic: rt.topic } : {}),
        ...(rt.topicId !== undefined ? { topicId: rt.topicId } : {}),
        partitions: rt.partitions.map((rp) => emptyPartition(rp.partition, errorCode)),
      })),
    };
  },
});
