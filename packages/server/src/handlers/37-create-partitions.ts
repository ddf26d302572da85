// CreatePartitions (key 37), versions 0-3 (flexible 2+). Grows a topic to `count` partitions.
// Errors per topic: UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS (not larger / too many),
// INVALID_REPLICA_ASSIGNMENT (assignments naming another broker), INVALID_REQUEST (duplicates),
// THROTTLING_QUOTA_EXCEEDED (v3+, controller_mutation_rate).
// Not implemented: timeout_ms (synchronous).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor, kafkaErrorCode } from '@mq/protocol';
import { defineHandler } from '../handler';
import { THROTTLED_TOPIC, mutationQuotaOf, throttledForMutations } from '../mutation-quota';

type CreatePartitionsRequest = RequestBodyFor<typeof ApiKey.CreatePartitions>;

type CreatePartitionsResponse = ResponseInputFor<typeof ApiKey.CreatePartitions>;

export const createPartitionsHandler = defineHandler<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: ApiKey.CreatePartitions,
  minVersion: 0,
  maxVersion: 3,
  async handle(req, ctx) {
    const { topics, nodeId } = ctx.broker;
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const quota = req.validateOnly ? undefined : mutationQuotaOf(ctx);
    const results = await Promise.all(
      req.topics.map(async (t) => {
        if (counts.get(t.name)! > 1) {
          return { name: t.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `topic ${t.name} appears more than once` };
        }
        if (t.assignments?.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== nodeId)) {
          return { name: t.name, errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: `assignments may name only broker ${nodeId}` };
        }
        // Taken before the first await, so the topics of one request see each other's use; given back if growing fails.
        if (quota?.refused() === true) return { name: t.name, ...THROTTLED_TOPIC };
        const added = Math.max(0, t.count - (topics.get(t.name)?.partitions.length ?? 0));
        quota?.record(added);
        try {
          await topics.createPartitions(t.name, t.count, req.validateOnly);
          return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
        } catch (err) {
          quota?.record(-added);
          return { name: t.name, errorCode: kafkaErrorCode(err), errorMessage: err instanceof Error ? err.message : null };
        }
      }),
    );
    return throttledForMutations({ throttleTimeMs: 0, results }, quota, ctx);
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, results: (req.topics ?? []).map((t) => ({ name: t.name, errorCode, errorMessage: null })) };
  },
});
