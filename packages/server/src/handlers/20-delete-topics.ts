// DeleteTopics (key 20), versions 0-6 (flexible 4+; v6 names topics by name or topic id).
// Deletion is synchronous: data and metadata are gone when the response is sent.
// Errors per topic: UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID, INVALID_REQUEST (both name and id
// given; a topic named twice, by name, by id or once each — every such entry, nothing deleted, as
// Kafka's ControllerApis.deleteTopics), THROTTLING_QUOTA_EXCEEDED (v5+, controller_mutation_rate). Not implemented: delete.topic.enable (always allowed), timeout_ms.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor, kafkaErrorCode } from '@mq/protocol';
import { defineHandler } from '../handler';
import { THROTTLED_TOPIC, mutationQuotaOf, throttledForMutations } from '../mutation-quota';
import { duplicateKeys } from './duplicates';
import { ZERO_TOPIC_ID } from '../wire-constants';

type DeleteTopicsRequest = RequestBodyFor<typeof ApiKey.DeleteTopics>;

interface DeletableTopicResult {
  name: string | null;
  topicId: string;
  errorCode: number;
  errorMessage: string | null;
}

type DeleteTopicsResponse = ResponseInputFor<typeof ApiKey.DeleteTopics>;

function requested(req: DeleteTopicsRequest): { name: string | null; topicId: string }[] {
  // Decoded bodies hold every field: topics is [] (not undefined) below v6, where topicNames is used.
  return req.topics?.length ? req.topics : (req.topicNames ?? []).map((name) => ({ name, topicId: ZERO_TOPIC_ID }));
}

export const deleteTopicsHandler = defineHandler<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: ApiKey.DeleteTopics,
  minVersion: 0,
  maxVersion: 6,
  async handle(req, ctx) {
    const { topics } = ctx.broker;
    const entries = requested(req);
    // The topic an entry names, whichever way: the same topic by name and by id is a duplicate too.
    const target = (t: { name: string | null; topicId: string }): string => {
      if (t.topicId === ZERO_TOPIC_ID) return `name:${t.name ?? ''}`;
      const known = topics.getById(t.topicId);
      return known !== undefined ? `name:${known.name}` : `id:${t.topicId}`;
    };
    const dups = duplicateKeys(entries, target);
    const quota = mutationQuotaOf(ctx);
    const responses = await Promise.all(
      entries.map(async (t): Promise<DeletableTopicResult> => {
        const byId = t.topicId !== ZERO_TOPIC_ID;
        if (byId && t.name !== null && t.name !== '') {
          return { ...t, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'give a topic name or a topic id, not both' };
        }
        if (dups.has(target(t))) {
          return { ...t, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: byId ? 'Duplicate topic id.' : 'Duplicate topic name.' };
        }
        const topic = byId ? topics.getById(t.topicId) : topics.get(t.name ?? '');
        if (topic === undefined) {
          return { ...t, errorCode: byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null };
        }
        // Taken before the first await, so the topics of one request see each other's use; given back if deletion fails.
        if (quota?.refused() === true) return { name: topic.name, topicId: topic.topicId, ...THROTTLED_TOPIC };
        const partitions = topic.partitions.length;
        quota?.record(partitions);
        try {
          await topics.deleteTopic(topic.name);
          return { name: topic.name, topicId: topic.topicId, errorCode: ErrorCode.NONE, errorMessage: null };
        } catch (err) {
          quota?.record(-partitions);
          return { name: topic.name, topicId: topic.topicId, errorCode: kafkaErrorCode(err), errorMessage: err instanceof Error ? err.message : null };
        }
      }),
    );
    return throttledForMutations({ throttleTimeMs: 0, responses }, quota, ctx);
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, responses: requested(req).map((t) => ({ ...t, errorCode, errorMessage: null })) };
  },
});
