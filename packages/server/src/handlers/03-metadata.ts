// Metadata (key 3), versions 0-12 (flexible 9+; topic ids from v10; topics by id from v10).
// Answered from the metadata image: every live broker (with its rack), the controller, and per
// partition its leader, leaderEpoch, replicas, ISR and offline replicas (replicas whose broker is
// not registered); a partition without a leader is LEADER_NOT_AVAILABLE. One node: this broker leads
// everything (leaderEpoch 0, replicas = isr = [this node]). Unknown topics are auto-created when
// auto.create.topics.enable and the request allows it (always before v4), and returned at once; in a
// cluster only the controller can create (elsewhere the entry is LEADER_NOT_AVAILABLE, retried).
// A name Kafka's Topic.validate rejects ("", ".", "..", > 249 chars, other characters) is answered
// INVALID_TOPIC_EXCEPTION in its entry; v10-11 with a null name or a topic id is INVALID_REQUEST
// (Kafka: ids are only served from v12), and entries below v12 never carry a null name.
// Authorized operations: when include_topic/cluster_authorized_operations ask, every operation the
// resource supports (no authorizer; authorized-operations.ts), else -2147483648.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor, TopicAlreadyExistsError, kafkaErrorCode } from '@mq/protocol';
import type { TopicImage } from '@mq/metadata';
import { isInternalTopic, validateTopicName } from '@mq/partition';
import { clusterBrokers, clusterImage, controllerId, offlineOf } from '../cluster-view';
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

function describeTopic(t: TopicImage, ctx: RequestContext): TopicMetadata {
  const b = ctx.broker;
  // One node (an image without brokers): this broker leads every partition at its local epoch,
  // whatever node id the local store was opened with — exactly what it always answered.
  if (clusterImage(b).brokers.size === 0) {
    const local = b.topics.get(t.name);
    return {
      errorCode: ErrorCode.NONE,
      name: t.name,
      topicId: t.topicId,
      isInternal: isInternalTopic(t.name),
      partitions: t.partitions.map((s) => ({
        errorCode: ErrorCode.NONE,
        partitionIndex: s.partition,
        leaderId: b.nodeId,
        leaderEpoch: local?.partition(s.partition)?.leaderEpoch ?? s.leaderEpoch,
        replicaNodes: [b.nodeId],
        isrNodes: [b.nodeId],
        offlineReplicas: [],
      })),
      topicAuthorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED,
    };
  }
  return {
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: t.topicId,
    isInternal: isInternalTopic(t.name),
    partitions: t.partitions.map((s) => ({
      errorCode: s.leader === -1 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
      partitionIndex: s.partition,
      leaderId: s.leader,
      leaderEpoch: s.leaderEpoch,
      replicaNodes: [...s.replicas],
      isrNodes: [...s.isr],
      offlineReplicas: offlineOf(ctx.broker, s),
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
    brokers: clusterBrokers(b, ctx.session.listenerName),
    clusterId: b.clusterId,
    controllerId: controllerId(b),
    topics,
    clusterAuthorizedOperations: AUTHORIZED_OPS_NOT_REQUESTED,
  };
}

async function resolveByName(name: string, autoCreate: boolean, ctx: RequestContext): Promise<TopicMetadata> {
  const { topics, config } = ctx.broker;
  const existing = clusterImage(ctx.broker).topics.get(name);
  if (existing !== undefined) return describeTopic(existing, ctx);
  try {
    validateTopicName(name);
  } catch (err) {
    return topicError(name, ZERO_TOPIC_ID, kafkaErrorCode(err));
  }
  if (!autoCreate) return topicError(name, ZERO_TOPIC_ID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  try {
    await topics.createTopic(name, config.numPartitions, {}, false, { replicationFactor: config.defaultReplicationFactor });
    ctx.logger.info({ topic: name }, 'topic auto-created');
    const created = clusterImage(ctx.broker).topics.get(name);
    if (created !== undefined) return describeTopic(created, ctx);
    return topicError(name, ZERO_TOPIC_ID, ErrorCode.LEADER_NOT_AVAILABLE);
  } catch (err) {
    if (err instanceof TopicAlreadyExistsError) {
      const raced = clusterImage(ctx.broker).topics.get(name);
      if (raced !== undefined) return describeTopic(raced, ctx);
    }
    const code = kafkaErrorCode(err);
    // Not the controller, or etcd away: the client retries (the topic may exist by then).
    const retriable = code === ErrorCode.NOT_CONTROLLER || code === ErrorCode.REQUEST_TIMED_OUT;
    return topicError(name, ZERO_TOPIC_ID, retriable ? ErrorCode.LEADER_NOT_AVAILABLE : code);
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
    const { config } = ctx.broker;
    const image = clusterImage(ctx.broker);
    const requested = req.topics;
    // v0: an empty list means all topics; v1+: null means all, empty means none.
    const all = requested === null || requested === undefined || (ctx.apiVersion === 0 && requested.length === 0);
    if (all) return withAuthorizedOperations(req, envelope(ctx, [...image.topics.values()].map((t) => describeTopic(t, ctx))));
    const autoCreate = config.autoCreateTopicsEnable && (ctx.apiVersion < 4 || req.allowAutoTopicCreation !== false);
    // Kafka (KafkaApis.handleTopicMetadataRequest) fails the whole request here.
    if (ctx.apiVersion < 12 && requested.some((rt) => rt.name === null || (rt.topicId ?? ZERO_TOPIC_ID) !== ZERO_TOPIC_ID)) {
      return this.errorResponse(req, ErrorCode.INVALID_REQUEST, ctx);
    }
    const out = await Promise.all(
      requested.map((rt) => {
        const id = rt.topicId ?? ZERO_TOPIC_ID;
        if (rt.name === null || (rt.name === '' && id !== ZERO_TOPIC_ID)) {
          const name = id === ZERO_TOPIC_ID ? undefined : image.topicIds.get(id);
          const t = name === undefined ? undefined : image.topics.get(name);
          return Promise.resolve(t === undefined ? topicError(null, id, ErrorCode.UNKNOWN_TOPIC_ID) : describeTopic(t, ctx));
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
