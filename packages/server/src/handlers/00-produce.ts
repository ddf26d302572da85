// Produce (key 0), versions 0-11 (flexible 9+). Only RecordBatch v2 is stored: legacy MessageSet
// v0/v1 (what Produce v0-2 may carry) is answered UNSUPPORTED_FOR_MESSAGE_FORMAT. Min 0 is advertised
// anyway because librdkafka < 2.11 gates gzip/snappy/lz4 on Produce v0 being in the broker's range
// (it then negotiates the highest common version, which carries v2 batches). A failed acks=0
// produce closes the connection (Kafka's way to tell a client that gets no response).
// acks 0 (no response is sent, but appends still finish before the connection reads on), 1 and -1
// (identical on one node: the answer waits for the flush policy). Each partition's batch is
// validated whole by the partition (framing, CRC, every record, as Kafka's LogValidator) and stored
// as it arrived unless the topic's compression.type recompresses it; idempotent retries return the
// original offset. Per-partition failures are data in the response, with Kafka's per-record
// `record_errors` (v8+) for null keys on compacted topics and timestamps out of bounds. Internal
// topics (__consumer_offsets) refuse client produces with INVALID_TOPIC_EXCEPTION, as Kafka.
// Two phases: dispatch resolves the partitions and starts every append synchronously (so pipelined
// produces are appended in request order); the completion awaits them (and the timeout).
// Cluster mode (a ReplicaManager in BrokerServices): a partition not led here is refused
// NOT_LEADER_OR_FOLLOWER before anything is appended, with KIP-951's current_leader and node_endpoints
// (v10+); acks=-1 is refused NOT_ENOUGH_REPLICAS while the ISR is below min.insync.replicas, and
// after the append waits until every ISR member has the batch (NOT_ENOUGH_REPLICAS_AFTER_APPEND if
// the ISR shrank below it meanwhile); acks=1 answers after the leader's own append.
// Topics with broker-side schema validation (confluent.{key,value}.schema.validation) pass each
// batch through ctx.broker.produceChecks (produce-checks.ts): a failing record fails the batch
// INVALID_RECORD with per-record errors, nothing stored.
// Records with delay headers (mq-delay-ms / mq-deliver-at) or on a topic with mq.delay.ms go to the
// delay store instead (./produce-delay.ts): answered baseOffset -1 once they are durable there. In a
// cluster the broker that got them forwards them to their delay partition's leader as a Produce to
// __mq_delayed (DelayStore.scheduleForwarded; with an authorizer only the brokers may write there).
// Transactions: a transactional batch is appended only when its producer's open transaction holds
// the partition (txn-produce-check.ts; INVALID_TXN_STATE, INVALID_PRODUCER_EPOCH when fenced); in a
// cluster a coordinator on another broker is asked first, and the append waits for its answer.
// Not implemented: produce to a topic id (v13).
import { DELAYED_TOPIC } from '@mq/delay';
import { ApiKey, ErrorCode, kafkaErrorCode } from '@mq/protocol';
import type { AppendResult, BatchCheck, Partition } from '@mq/partition';
import type { Cancel } from '@mq/timerwheel';
import { Completion, NO_RESPONSE, defineHandler, type NoResponse, type RequestContext } from '../handler';
import { appendChannel, delayChannel } from '../trace-channels';
import { type CurrentLeader, type NodeEndpoint, currentLeaderOf, nodeEndpointsOf, wantsLeaderHint } from './leader-hints';
import { produceCheckFor } from './produce-checks';
import { type ScheduleDelayed, appendOrDelay } from './produce-delay';
import { type TxnCheck, transactionalCheck } from './txn-produce-check';

interface ProduceRequest {
  transactionalId?: string | null;
  acks: number;
  timeoutMs: number;
  topicData: { name: string; partitionData: { index: number; records: Buffer | null }[] }[];
}

interface PartitionProduceResponse {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  recordErrors: { batchIndex: number; batchIndexErrorMessage: string | null }[];
  errorMessage: string | null;
  currentLeader?: CurrentLeader;
}

interface ProduceResponse {
  responses: { name: string; partitionResponses: PartitionProduceResponse[] }[];
  throttleTimeMs: number;
  nodeEndpoints?: NodeEndpoint[];
}

type RecordErrors = PartitionProduceResponse['recordErrors'];

function partitionResponse(index: number, errorCode: number, errorMessage: string | null = null, recordErrors: RecordErrors = []): PartitionProduceResponse {
  return { index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors, errorMessage };
}

/** Old clients do not know INVALID_RECORD (added with v8): Kafka answers them CORRUPT_MESSAGE. */
function wireCode(code: number, ctx: RequestContext): number {
  return code === ErrorCode.INVALID_RECORD && ctx.apiVersion < 8 ? ErrorCode.CORRUPT_MESSAGE : code;
}

/** The per-record errors a validation failure carries (@mq/log's RecordError), as Produce v8+ sends them. */
function recordErrorsOf(err: unknown): RecordErrors {
  const list = (err as { recordErrors?: unknown }).recordErrors;
  if (!Array.isArray(list)) return [];
  return (list as { batchIndex: number; message: string }[]).map((e) => ({ batchIndex: e.batchIndex, batchIndexErrorMessage: e.message }));
}

/** A partition refused by replication (or failed by it after the append), with the leader hint v10+ carries. */
function replicationError(index: number, topic: string, errorCode: number, ctx: RequestContext): PartitionProduceResponse {
  const r = partitionResponse(index, errorCode);
  if (ctx.apiVersion >= 10 && wantsLeaderHint(errorCode)) {
    const leader = currentLeaderOf(ctx, topic, index);
    if (leader !== undefined) r.currentLeader = leader;
  }
  return r;
}

function append(partition: Partition, topic: string, records: Buffer, ctx: RequestContext, check: BatchCheck | undefined): Promise<AppendResult> {
  if (!appendChannel.hasSubscribers) return partition.append(records, check);
  return appendChannel.tracePromise(() => partition.append(records, check), { topic, partition: partition.index, bytes: records.length, records, session: ctx.session });
}

function scheduler(partition: Partition, topic: string, records: Buffer, ctx: RequestContext): ScheduleDelayed {
  return (plan) => {
    const store = ctx.broker.delayed!;
    if (!delayChannel.hasSubscribers) return store.schedule(plan);
    return delayChannel.tracePromise(() => store.schedule(plan), { topic, partition: partition.index, records, messages: plan, session: ctx.session });
  };
}

/** The completion phase: waits for the appends the dispatch phase started (or the timeout). */
async function complete(
  req: ProduceRequest,
  ctx: RequestContext,
  answers: PartitionProduceResponse[][],
  pending: Promise<void>[] | undefined,
): Promise<ProduceResponse | NoResponse> {
  const acks = req.acks;
  if (pending !== undefined) {
    const settled = pending.length === 1 ? pending[0]! : Promise.all(pending);
    if (req.timeoutMs > 0 && acks !== 0) {
      let cancel: Cancel | undefined;
      const timedOut = new Promise<void>((resolve) => {
        cancel = ctx.broker.clock.schedule(req.timeoutMs, resolve);
      });
      await Promise.race([settled, timedOut]);
      cancel?.();
    } else {
      await settled;
    }
  }
  if (acks === 0) {
    // No response to carry the error: like Kafka, close the connection so the client notices.
    const failed = answers.flat().find((p) => p.errorCode !== ErrorCode.NONE);
    if (failed !== undefined) ctx.closeConnection(`acks=0 produce failed with error ${failed.errorCode}`);
    return NO_RESPONSE;
  }
  const out: ProduceResponse = {
    responses: req.topicData.map((td, t) => ({ name: td.name, partitionResponses: answers[t]!.slice() })),
    throttleTimeMs: 0,
  };
  if (ctx.broker.replication !== undefined && ctx.apiVersion >= 10) {
    const hints = answers.flat().flatMap((p) => (p.currentLeader === undefined ? [] : [p.currentLeader]));
    if (hints.length > 0) out.nodeEndpoints = nodeEndpointsOf(ctx, hints);
  }
  return out;
}

export const produceHandler = defineHandler<ProduceRequest, ProduceResponse>({
  apiKey: ApiKey.Produce,
  minVersion: 0,
  maxVersion: 11,
  dispatch(req, ctx) {
    const { topics } = ctx.broker;
    const acks = req.acks;
    if (acks !== 0 && acks !== 1 && acks !== -1) {
      return Completion.now(this.errorResponse(req, ErrorCode.INVALID_REQUIRED_ACKS, ctx));
    }
    // Start every append synchronously, in request order (the partition queues them in call order).
    // `answers` starts at REQUEST_TIMED_OUT for each append and fills in as appends settle; on
    // timeout, whatever is still pending keeps that code. No timer or Promise.all when nothing waits.
    const answers: PartitionProduceResponse[][] = [];
    let pending: Promise<void>[] | undefined;
    const replication = ctx.broker.replication;
    let txn: TxnCheck;
    for (const td of req.topicData) {
      const topic = topics.get(td.name);
      // Broker-side schema validation, when the topic asks for it (run by the partition after its own checks).
      const check = topic === undefined ? undefined : produceCheckFor(topic, ctx.broker);
      const row: PartitionProduceResponse[] = [];
      answers.push(row);
      for (let i = 0; i < td.partitionData.length; i++) {
        const pd = td.partitionData[i]!;
        const partition = topic?.partitions[pd.index];
        const refused = partition === undefined || replication === undefined ? ErrorCode.NONE : replication.checkProduce(td.name, pd.index, acks);
        if (partition === undefined) {
          row.push(partitionResponse(pd.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
        } else if (td.name === DELAYED_TOPIC && ctx.broker.delayed !== undefined && replication !== undefined && pd.records !== null) {
          // Another broker forwards a delayed produce to this delay partition's leader (cluster mode).
          row.push(partitionResponse(pd.index, ErrorCode.REQUEST_TIMED_OUT));
          const settle = ctx.broker.delayed.scheduleForwarded(pd.index, pd.records).then(
            (baseOffset) => {
              row[i] = { ...partitionResponse(pd.index, ErrorCode.NONE), baseOffset };
            },
            (err: unknown) => {
              row[i] = partitionResponse(pd.index, kafkaErrorCode(err), err instanceof Error ? err.message : null);
            },
          );
          (pending ??= []).push(settle);
        } else if (topic!.isInternal) {
          // Kafka: "Cannot append to internal topic" — only the broker's coordinators write there.
          row.push(partitionResponse(pd.index, ErrorCode.INVALID_TOPIC_EXCEPTION, `${td.name} is an internal topic`));
        } else if (refused !== ErrorCode.NONE) {
          row.push(replicationError(pd.index, td.name, refused, ctx));
        } else if (pd.records === null || pd.records.length === 0) {
          row.push(partitionResponse(pd.index, wireCode(ErrorCode.INVALID_RECORD, ctx), 'no record batch'));
        } else if ((txn = transactionalCheck(ctx, req.transactionalId, td.name, partition, pd.records)) !== undefined && !(txn instanceof Promise)) {
          row.push(partitionResponse(pd.index, wireCode(txn.code, ctx), txn.message));
        } else {
          row.push(partitionResponse(pd.index, ErrorCode.REQUEST_TIMED_OUT));
          const records = pd.records;
          const start = (): Promise<void> => {
            const appended = appendOrDelay(ctx.broker.delayed, td.name, partition, records, ctx.broker.clock.now(), check, () => append(partition, td.name, records, ctx, check), scheduler(partition, td.name, records, ctx));
            return appended.then(
              (r: AppendResult): void | Promise<void> => {
                const ok: PartitionProduceResponse = {
                  index: pd.index,
                  errorCode: ErrorCode.NONE,
                  baseOffset: r.baseOffset,
                  logAppendTimeMs: r.logAppendTime,
                  logStartOffset: r.logStartOffset,
                  recordErrors: [],
                  errorMessage: null,
                };
                // A delayed batch (baseOffset -1) is not in this partition: nothing for the ISR to wait for.
                if (acks !== -1 || replication === undefined || r.baseOffset < 0n) {
                  row[i] = ok;
                  return;
                }
                // acks=all: the answer waits in the replication purgatory until the ISR has the batch.
                return replication.awaitIsr(td.name, pd.index, r.lastOffset, req.timeoutMs).then((code) => {
                  row[i] = code === ErrorCode.NONE ? ok : replicationError(pd.index, td.name, code, ctx);
                });
              },
              (err: unknown) => {
                const code = kafkaErrorCode(err);
                if (code === ErrorCode.UNKNOWN_SERVER_ERROR) ctx.logger.error({ err, topic: td.name, partition: pd.index }, 'append failed');
                row[i] = partitionResponse(pd.index, wireCode(code, ctx), err instanceof Error ? err.message : null, recordErrorsOf(err));
              },
            );
          };
          // A remote verification first (the batch waits for the coordinator's answer), else at once.
          const settle =
            txn === undefined
              ? start()
              : txn.then((refused) => {
                  if (refused === undefined) return start();
                  row[i] = partitionResponse(pd.index, wireCode(refused.code, ctx), refused.message);
                });
          (pending ??= []).push(settle);
        }
      }
    }
    return Completion.later(complete(req, ctx, answers, pending));
  },
  errorResponse(req, errorCode) {
    return {
      responses: (req.topicData ?? []).map((td) => ({
        name: td.name,
        partitionResponses: td.partitionData.map((pd) => partitionResponse(pd.index, errorCode)),
      })),
      throttleTimeMs: 0,
    };
  },
});
