// ElectLeaders (key 43), versions 0-2 (flexible 2+; v0 has no election_type — preferred — and no
// top-level error_code). PREFERRED (0) and UNCLEAN (1); null topic_partitions: every partition, and
// then the answer names only those an election was tried for (Kafka). Any broker takes it; the
// controller elects and writes (@mq/controller's ClusterOperations). Per partition:
// ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE,
// UNKNOWN_TOPIC_OR_PARTITION; REQUEST_TIMED_OUT when the controller did not answer in timeout_ms.
// CLUSTER_AUTHORIZATION_FAILED (ALTER on the cluster) comes from the authorization middleware.
import type { PartitionOutcome } from '@mq/controller';
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor, kafkaErrorCode } from '@mq/protocol';
import { defineHandler } from '../handler';
import { outcomesByTopic, requestTimeoutMs } from './controller-outcomes';

type ElectLeadersRequest = RequestBodyFor<typeof ApiKey.ElectLeaders>;
type ElectLeadersResponse = ResponseInputFor<typeof ApiKey.ElectLeaders>;

function response(errorCode: number, outcomes: readonly PartitionOutcome[]): ElectLeadersResponse {
  return {
    throttleTimeMs: 0,
    errorCode,
    replicaElectionResults: outcomesByTopic(outcomes).map(([topic, list]) => ({
      topic,
      partitionResult: list.map((o) => ({ partitionId: o.partition, errorCode: o.errorCode, errorMessage: o.errorMessage })),
    })),
  };
}

function everyAsked(req: ElectLeadersRequest, errorCode: number, errorMessage: string | null): PartitionOutcome[] {
  return (req.topicPartitions ?? []).flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition, errorCode, errorMessage })));
}

export const electLeadersHandler = defineHandler<ElectLeadersRequest, ElectLeadersResponse>({
  apiKey: ApiKey.ElectLeaders,
  minVersion: 0,
  maxVersion: 2,
  async handle(req, ctx) {
    const electionType = ctx.apiVersion >= 1 ? req.electionType : 0;
    if (electionType !== 0 && electionType !== 1) {
      return response(ErrorCode.INVALID_REQUEST, everyAsked(req, ErrorCode.INVALID_REQUEST, `unknown election type ${electionType} (0 preferred, 1 unclean)`));
    }
    const partitions = req.topicPartitions === null ? null : req.topicPartitions.map((t) => ({ topic: t.topic, partitions: t.partitions }));
    try {
      const outcomes = await ctx.broker.clusterOperations.run({ op: 'electLeaders', electionType, partitions }, requestTimeoutMs(req.timeoutMs));
      return response(ErrorCode.NONE, outcomes);
    } catch (err) {
      const code = kafkaErrorCode(err);
      return response(code, everyAsked(req, code, err instanceof Error ? err.message : null));
    }
  },
  errorResponse(req, errorCode) {
    return response(errorCode, everyAsked(req, errorCode, null));
  },
});
