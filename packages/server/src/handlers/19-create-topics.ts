// CreateTopics (key 19), versions 0-7 (flexible 5+; v5 returns configs, v7 the topic id).
// Single node: replication factor must be 1 or -1 (default), explicit assignments must name only
// this broker, num_partitions -1 takes num.partitions. validate_only checks without creating.
// Errors per topic: INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
// INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT, INVALID_CONFIG, INVALID_REQUEST (duplicates).
// Not implemented: create-topic policies, timeout_ms (creation is synchronous and quick).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor, kafkaErrorCode } from '@mq/protocol';
import type { ConfigEntry } from '@mq/partition';
import { defineHandler, type RequestContext } from '../handler';
import { ZERO_TOPIC_ID } from '../wire-constants';

interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: { partitionIndex: number; brokerIds: number[] }[];
  configs: { name: string; value: string | null }[];
}

type CreateTopicsRequest = RequestBodyFor<typeof ApiKey.CreateTopics>;

interface CreatableTopicResult {
  name: string;
  topicId: string;
  errorCode: number;
  errorMessage: string | null;
  numPartitions: number;
  replicationFactor: number;
  configs: { name: string; value: string | null; readOnly: boolean; configSource: number; isSensitive: boolean }[] | null;
}

type CreateTopicsResponse = ResponseInputFor<typeof ApiKey.CreateTopics>;

function failed(name: string, errorCode: number, errorMessage: string | null): CreatableTopicResult {
  return { name, topicId: ZERO_TOPIC_ID, errorCode, errorMessage, numPartitions: -1, replicationFactor: -1, configs: null };
}

/** Checks what the topic manager cannot know (replication, assignments); returns the partition count. */
function plan(t: CreatableTopic, ctx: RequestContext): number | CreatableTopicResult {
  const { config, nodeId } = ctx.broker;
  if (t.assignments.length > 0) {
    if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
      return failed(t.name, ErrorCode.INVALID_REQUEST, 'both assignments and num_partitions/replication_factor were given');
    }
    const indexes = t.assignments.map((a) => a.partitionIndex).sort((a, b) => a - b);
    const contiguous = indexes.every((v, i) => v === i);
    const onlyUs = t.assignments.every((a) => a.brokerIds.length === 1 && a.brokerIds[0] === nodeId);
    if (!contiguous || !onlyUs) {
      return failed(t.name, ErrorCode.INVALID_REPLICA_ASSIGNMENT, `assignments must cover partitions 0..n-1 on broker ${nodeId} only`);
    }
    return t.assignments.length;
  }
  const rf = t.replicationFactor === -1 ? config.defaultReplicationFactor : t.replicationFactor;
  if (rf !== 1) {
    return failed(t.name, ErrorCode.INVALID_REPLICATION_FACTOR, `replication factor ${rf} is larger than the 1 available broker`);
  }
  return t.numPartitions === -1 ? config.numPartitions : t.numPartitions;
}

function describeConfigs(entries: ConfigEntry[]): CreatableTopicResult['configs'] {
  return entries.map((e) => ({ name: e.name, value: e.value, readOnly: e.readOnly, configSource: e.source, isSensitive: e.isSensitive }));
}

export const createTopicsHandler = defineHandler<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: ApiKey.CreateTopics,
  minVersion: 0,
  maxVersion: 7,
  async handle(req, ctx) {
    const { topics } = ctx.broker;
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const validateOnly = req.validateOnly === true;
    const results = await Promise.all(
      req.topics.map(async (t): Promise<CreatableTopicResult> => {
        if (counts.get(t.name)! > 1) return failed(t.name, ErrorCode.INVALID_REQUEST, `topic ${t.name} appears more than once`);
        const partitions = plan(t, ctx);
        if (typeof partitions !== 'number') return partitions;
        const configs: Record<string, string> = {};
        for (const c of t.configs) {
          if (c.value === null) return failed(t.name, ErrorCode.INVALID_CONFIG, `config ${c.name} has a null value`);
          configs[c.name] = c.value;
        }
        try {
          const created = await topics.createTopic(t.name, partitions, configs, validateOnly);
          return {
            name: t.name,
            topicId: created?.topicId ?? ZERO_TOPIC_ID,
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            numPartitions: partitions,
            replicationFactor: 1,
            configs: created !== undefined ? describeConfigs(topics.describeConfigs(t.name)) : [],
          };
        } catch (err) {
          return failed(t.name, kafkaErrorCode(err), err instanceof Error ? err.message : null);
        }
      }),
    );
    return { throttleTimeMs: 0, topics: results };
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, topics: (req.topics ?? []).map((t) => failed(t.name, errorCode, null)) };
  },
});
