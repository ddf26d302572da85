// Metadata (key 3), versions 0-12 (flexible 9+; topic ids from v10; topics by id from v10).
// One broker leads every partition (leaderEpoch 0, replicas = isr = [this node]). Unknown topics
// are auto-created when auto.create.topics.enable and the request allows it (always before v4),
// and returned at once (creation is synchronous here, so no LEADER_NOT_AVAILABLE retry round).
// A name Kafka's Topic.validate rejects ("", ".", "..", > 249 chars, other characters) is answered
// INVALID_TOPIC_EXCEPTION in its entry; v10-11 with a null name or a topic id is INVALID_REQUEST
// (Kafka: ids are only served from v12), and entries below v12 never carry a null name.
// Authorized operations: when include_topic/cluster_authorized_operations ask, every operation the
// resource supports (no authorizer; authorized-operations.ts), else -2147483648. Not implemented: racks.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor, TopicAlreadyExistsError, kafkaErrorCode } from '@mq/protocol';
import { validateTopicName, type Topic } from '@mq/partition';
import { defineHandler, type RequestContext } from '../handler';
import { AUTHORIZED_OPS_NOT_REQUESTED, ZERO_TOPIC_ID } from '../wire-constants';
import { clusterAuthorizedOperations, topicAuthorizedOperations } from '../authorized-operations';

type MetadataRequest = RequestBodyFor<typeof ApiKey.Metadata>;

interface PartitionMetadata {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  leaderEpoch: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
}

interface TopicMetadata {
  errorCode: number;
  name: string | null;
  topicId: string;
  isInternal: boolean;
  partitions: PartitionMetadata[];
  topicAuthorizedOperations: number;
}

type MetadataResponse = ResponseInputFor<typeof ApiKey.Metadata>;

function describeTopic(t: Topic, nodeId: number): TopicMetadata {
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.topicId,
    isInternal: t.isInternal,
    partitions: t.partitions.map((p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p.index,
      leaderId: nodeId,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: [nodeId],
      isrNodes: [nodeId],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED,
  };
}

function topicError(name: string | null, topicId: string, errorCode: number): TopicMetadata {
  return { errorCode, name, topicId, isInternal: false, partitions: [], topicAuthorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED };
}

function envelope(ctx: RequestContext, topics: TopicMetadata[]): MetadataResponse {
  const b = ctx.broker;
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: b.nodeId, host: b.advertisedHost, port: b.advertisedPort, rack: null }],
    clusterId: b.clusterId,
    controllerId: b.nodeId,
    topics,
    clusterAuthorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED,
  };
}

async function resolveByName(name: string, autoCreate: boolean, ctx: RequestContext): Promise<TopicMetadata> {
  const { topics, config, nodeId } = ctx.broker;
  const existing = topics.get(name);
  if (existing !== undefined) return describeTopic(existing, nodeId);
  try {
    validateTopicName(name);
  } catch (err) {
    return topicError(name, ZERO_TOPIC_ID, kafkaErrorCode(err));
  }
  if (!autoCreate) return topicError(name, ZERO_TOPIC_ID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  try {
    const created = await topics.createTopic(name, config.numPartitions);
    ctx.logger.info({ topic: name }, 'topic auto-created');
    return describeTopic(created!, nodeId);
  } catch (err) {
    if (err instanceof TopicAlreadyExistsError) {
      const raced = topics.get(name);
      if (raced !== undefined) return describeTopic(raced, nodeId);
    }
    return topicError(name, ZERO_TOPIC_ID, kafkaErrorCode(err));
  }
}

/** As Kafka: every topic entry of the answer (errors included) gets the bitfield when asked. */
function withAuthorizedOperations(req: MetadataRequest, res: MetadataResponse): MetadataResponse {
  const topicOps = topicAuthorizedOperations(req.includeTopicAuthorizedOperations);
  return {
    ...res,
    topics: res.topics.map((t) => ({ ...t, topicAuthorizedOperations: topicOps })),
    clusterAuthorizedOperations: clusterAuthorizedOperations(req.includeClusterAuthorizedOperations),
  };
}

export const metadataHandler = defineHandler<MetadataRequest, MetadataResponse>({
  apiKey: ApiKey.Metadata,
  minVersion: 0,
  maxVersion: 12,
  async handle(req, ctx) {
    const { topics, nodeId, config } = ctx.broker;
    const requested = req.topics;
    // v0: an empty list means all topics; v1+: null means all, empty means none.
    const all = requested === null || requested === undefined || (ctx.apiVersion === 0 && requested.length === 0);
    if (all) return withAuthorizedOperations(req, envelope(ctx, topics.list().map((t) => describeTopic(t, nodeId))));
    const autoCreate = config.autoCreateTopicsEnable && (ctx.apiVersion < 4 || req.allowAutoTopicCreation !== false);
    // Kafka (KafkaApis.handleTopicMetadataRequest) fails the whole request here.
    if (ctx.apiVersion < 12 && requested.some((rt) => rt.name === null || (rt.topicId ?? ZERO_TOPIC_ID) !== ZERO_TOPIC_ID)) {
      return this.errorResponse(req, ErrorCode.INVALID_REQUEST, ctx);
    }
    const out = await Promise.all(
      requested.map((rt) => {
        const id = rt.topicId ?? ZERO_TOPIC_ID;
        if (rt.name === null || (rt.name === '' && id !== ZERO_TOPIC_ID)) {
          const t = id === ZERO_TOPIC_ID ? undefined : topics.getById(id);
          return Promise.resolve(t === undefined ? topicError(null, id, ErrorCode.UNKNOWN_TOPIC_ID) : describeTopic(t, nodeId));
        }
        return resolveByName(rt.name, autoCreate, ctx);
      }),
    );
    return withAuthorizedOperations(req, envelope(ctx, out));
  },
  errorResponse(req, errorCode, ctx) {
    return envelope(
      ctx,
      // The response name is nullable only from v12: Kafka's getErrorResponse writes "" instead.
      (req.topics ?? []).map((t) => topicError(t.name ?? (ctx.apiVersion >= 12 ? null : ''), t.topicId ?? ZERO_TOPIC_ID, errorCode)),
    );
  },
});
