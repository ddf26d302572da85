// OffsetDelete (key 47), version 0 (KIP-496): deletes a group's committed offsets of the named
// partitions. Group level: GROUP_ID_NOT_FOUND (no such group), NON_EMPTY_GROUP (a live classic group
// not using the consumer protocol), INVALID_GROUP_ID (""), NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS.
// Per partition: GROUP_SUBSCRIBED_TO_TOPIC while a member of the group subscribes to the topic, as
// Kafka; otherwise NONE (also for partitions that had no offset). Offsets go as tombstones through
// __consumer_offsets.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';

type OffsetDeleteRequest = RequestBodyFor<typeof ApiKey.OffsetDelete>;

type OffsetDeleteResponse = ResponseInputFor<typeof ApiKey.OffsetDelete>;

export const offsetDeleteHandler = defineHandler<OffsetDeleteRequest, OffsetDeleteResponse>({
  apiKey: ApiKey.OffsetDelete,
  minVersion: 0,
  maxVersion: 0,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    if (groups === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    const res = await groups.deleteOffsets(
      req.groupId,
      req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionIndex) })),
    );
    return { errorCode: res.errorCode, throttleTimeMs: 0, topics: res.topics };
  },
  errorResponse(_req, errorCode) {
    return { errorCode, throttleTimeMs: 0, topics: [] };
  },
});
