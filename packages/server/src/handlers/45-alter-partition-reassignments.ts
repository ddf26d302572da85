// AlterPartitionReassignments (key 45), version 0 (flexible). Starts (a target replica list) or
// cancels (null) KIP-455 reassignments; the controller carries them out (@mq/controller): it adds the
// target's new replicas, waits until every target replica is in the ISR, then moves leadership if
// needed and drops the leaving replicas. The answer comes once the controller has started them.
// Per partition: INVALID_REPLICA_ASSIGNMENT (empty, duplicate or unknown broker ids),
// NO_REASSIGNMENT_IN_PROGRESS (cancel), UNKNOWN_TOPIC_OR_PARTITION, INVALID_REQUEST (a partition
// twice); REQUEST_TIMED_OUT when the controller did not answer in timeout_ms.
import type { PartitionOutcome, PartitionTarget } from '@mq/controller';
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor, kafkaErrorCode } from '@mq/protocol';
import { defineHandler } from '../handler';
import { outcomesByTopic, requestTimeoutMs } from './controller-outcomes';

type AlterPartitionReassignmentsRequest = RequestBodyFor<typeof ApiKey.AlterPartitionReassignments>;
type AlterPartitionReassignmentsResponse = ResponseInputFor<typeof ApiKey.AlterPartitionReassignments>;

function response(errorCode: number, errorMessage: string | null, outcomes: readonly PartitionOutcome[]): AlterPartitionReassignmentsResponse {
  return {
    throttleTimeMs: 0,
    errorCode,
    errorMessage,
    responses: outcomesByTopic(outcomes).map(([name, list]) => ({
      name,
      partitions: list.map((o) => ({ partitionIndex: o.partition, errorCode: o.errorCode, errorMessage: o.errorMessage })),
    })),
  };
}

function asked(req: AlterPartitionReassignmentsRequest): PartitionTarget[] {
  return req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas })));
}

export const alterPartitionReassignmentsHandler = defineHandler<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse>({
  apiKey: ApiKey.AlterPartitionReassignments,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const all = asked(req);
    const seen = new Map<string, number>();
    for (const t of all) seen.set(`${t.topic}\u0000${t.partition}`, (seen.get(`${t.topic}\u0000${t.partition}`) ?? 0) + 1);
    const twice = (t: PartitionTarget) => seen.get(`${t.topic}\u0000${t.partition}`)! > 1;
    const refused: PartitionOutcome[] = all.filter(twice).map((t) => ({ ...t, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `${t.topic}-${t.partition} appears more than once` }));
    const partitions = all.filter((t) => !twice(t));
    if (partitions.length === 0) return response(ErrorCode.NONE, null, refused);
    try {
      const outcomes = await ctx.broker.clusterOperations.run({ op: 'alterReassignments', partitions }, requestTimeoutMs(req.timeoutMs));
      return response(ErrorCode.NONE, null, [...outcomes, ...refused]);
    } catch (err) {
      const code = kafkaErrorCode(err);
      const message = err instanceof Error ? err.message : null;
      return response(code, message, [...partitions.map((t) => ({ topic: t.topic, partition: t.partition, errorCode: code, errorMessage: message })), ...refused]);
    }
  },
  errorResponse(req, errorCode) {
    return response(errorCode, null, asked(req).map((t) => ({ topic: t.topic, partition: t.partition, errorCode, errorMessage: null })));
  },
});
