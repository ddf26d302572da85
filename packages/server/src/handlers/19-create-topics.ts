// CreateTopics (key 19), versions 0-7 (flexible 5+; v5 returns configs, v7 the topic id).
// replication_factor (-1: default.replication.factor) is placed over the live brokers (racks
// spread; one node: only 1 fits); explicit assignments must cover partitions 0..n-1 with distinct,
// live brokers; num_partitions -1 takes num.partitions. validate_only checks without creating. In a
// cluster only the controller creates: elsewhere NOT_CONTROLLER (clients retry on the controller).
// Errors per topic: INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS,
// INVALID_REPLICATION_FACTOR, INVALID_REPLICA_ASSIGNMENT, INVALID_CONFIG, INVALID_REQUEST (duplicates),
// NOT_CONTROLLER, REQUEST_TIMED_OUT (etcd unreachable: nothing was created), THROTTLING_QUOTA_EXCEEDED
// (v6+, controller_mutation_rate: see ../mutation-quota.ts).
// Not implemented: create-topic policies, timeout_ms (creation is synchronous and quick).
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor, kafkaErrorCode } from '@mq/protocol';
import type { ConfigEntry } from '@mq/partition';
import { clusterBrokers } from '../cluster-view';
import { defineHandler, type RequestContext } from '../handler';
import { THROTTLED_TOPIC, mutationQuotaOf, throttledForMutations } from '../mutation-quota';
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

interface Plan {
  readonly partitions: number;
  readonly replicationFactor?: number;
  readonly assignments?: number[][];
}

/** Checks the request's shape and assignments (placement is the topic manager's); returns the plan. */
function plan(t: CreatableTopic, ctx: RequestContext): Plan | CreatableTopicResult {
  const { config } = ctx.broker;
  if (t.assignments.length > 0) {
    if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
      return failed(t.name, ErrorCode.INVALID_REQUEST, 'both assignments and num_partitions/replication_factor were given');
    }
    const byIndex = [...t.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
    const live = new Set(clusterBrokers(ctx.broker).map((e) => e.nodeId));
    const contiguous = byIndex.every((a, i) => a.partitionIndex === i);
    const bad = byIndex.find((a) => a.brokerIds.length === 0 || new Set(a.brokerIds).size !== a.brokerIds.length || a.brokerIds.some((id) => !live.has(id)));
    if (!contiguous || bad !== undefined) {
      return failed(t.name, ErrorCode.INVALID_REPLICA_ASSIGNMENT, `assignments must cover partitions 0..n-1, each with distinct live brokers (${[...live].join(', ')})`);
    }
    return { partitions: byIndex.length, assignments: byIndex.map((a) => [...a.brokerIds]) };
  }
  const rf = t.replicationFactor === -1 ? config.defaultReplicationFactor : t.replicationFactor;
  return { partitions: t.numPartitions === -1 ? config.numPartitions : t.numPartitions, replicationFactor: rf };
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
    const quota = validateOnly ? undefined : mutationQuotaOf(ctx);
    const results = await Promise.all(
      req.topics.map(async (t): Promise<CreatableTopicResult> => {
        if (counts.get(t.name)! > 1) return failed(t.name, ErrorCode.INVALID_REQUEST, `topic ${t.name} appears more than once`);
        const p = plan(t, ctx);
        if (!('partitions' in p)) return p;
        const partitions = p.partitions;
        const configs: Record<string, string> = {};
        for (const c of t.configs) {
          if (c.value === null) return failed(t.name, ErrorCode.INVALID_CONFIG, `config ${c.name} has a null value`);
          configs[c.name] = c.value;
        }
        // Taken before the first await, so the topics of one request see each other's use; given back if creation fails.
        if (quota?.refused() === true) return failed(t.name, THROTTLED_TOPIC.errorCode, THROTTLED_TOPIC.errorMessage);
        quota?.record(partitions);
        try {
          const replicas = p.assignments !== undefined ? { assignments: p.assignments } : { replicationFactor: p.replicationFactor ?? 1 };
          const created = await topics.createTopic(t.name, partitions, configs, validateOnly, replicas);
          return {
            name: t.name,
            topicId: created?.topicId ?? ZERO_TOPIC_ID,
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            numPartitions: partitions,
            replicationFactor: p.assignments?.[0]?.length ?? p.replicationFactor ?? 1,
            configs: created !== undefined ? describeConfigs(topics.describeConfigs(t.name)) : [],
          };
        } catch (err) {
          quota?.record(-partitions);
          return failed(t.name, kafkaErrorCode(err), err instanceof Error ? err.message : null);
        }
      }),
    );
    return throttledForMutations({ throttleTimeMs: 0, topics: results }, quota, ctx);
  },
  errorResponse(req, errorCode) {
    return { throttleTimeMs: 0, topics: (req.topics ?? []).map((t) => failed(t.name, errorCode, null)) };
  },
});
