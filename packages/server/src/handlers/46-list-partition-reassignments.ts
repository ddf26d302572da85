// ListPartitionReassignments (key 46), version 0 (flexible): the reassignments in progress, read from
// this broker's metadata image (the controller keeps them in the partition states, KIP-455): the
// replica set (target ∪ original), adding and removing replicas. topics null: every partition;
// named partitions without a reassignment (or unknown) are left out, as Kafka does.
import { isReassigning } from '@mq/controller';
import type { PartitionState } from '@mq/metadata';
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { clusterImage } from '../cluster-view';
import { defineHandler } from '../handler';

type ListPartitionReassignmentsRequest = RequestBodyFor<typeof ApiKey.ListPartitionReassignments>;
type ListPartitionReassignmentsResponse = ResponseInputFor<typeof ApiKey.ListPartitionReassignments>;

export const listPartitionReassignmentsHandler = defineHandler<ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse>({
  apiKey: ApiKey.ListPartitionReassignments,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const image = clusterImage(ctx.broker);
    const asked: [string, (PartitionState | undefined)[]][] =
      req.topics === null
        ? [...image.topics.values()].map((t) => [t.name, [...t.partitions]])
        : req.topics.map((t) => [t.name, t.partitionIndexes.map((i) => image.topics.get(t.name)?.partitions[i])]);
    const topics = asked
      .map(([name, states]) => ({
        name,
        partitions: states
          .filter((s): s is PartitionState => s !== undefined && isReassigning(s))
          .map((s) => ({ partitionIndex: s.partition, replicas: [...s.replicas], addingReplicas: [...(s.addingReplicas ?? [])], removingReplicas: [...(s.removingReplicas ?? [])] })),
      }))
      .filter((t) => t.partitions.length > 0);
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, topics };
  },
  errorResponse(_req, errorCode) {
    return { throttleTimeMs: 0, errorCode, errorMessage: null, topics: [] };
  },
});
