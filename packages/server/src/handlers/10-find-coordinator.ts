// FindCoordinator (key 10), versions 0-6 (flexible 3+; batched coordinatorKeys from v4). Key type 0
// (group): the group's coordinator is the leader of __consumer_offsets partition
// abs(hashCode(groupId)) % offsets.topic.num.partitions, as Kafka; on a single node that is this
// broker, answered once the partition is loaded (COORDINATOR_LOAD_IN_PROGRESS before). The first
// group lookup creates __consumer_offsets (as Kafka's) and is answered once it is loaded.
// In a cluster the coordinator is the leader of that partition in the metadata image (the controller
// creates the topic once offsets.topic.replication.factor brokers are registered; until then, and
// for a partition without a leader, COORDINATOR_NOT_AVAILABLE — the client retries).
// Key type 1 (transaction): the leader of __transaction_state partition abs(hashCode(id)) % its
// partition count — this broker on a single node, once loaded (the first lookup creates the topic);
// in a cluster that partition's leader in the image, as for groups (the controller creates the
// topic with transaction.state.log.replication.factor replicas; COORDINATOR_NOT_AVAILABLE before).
// Share groups (key type 2) answer COORDINATOR_NOT_AVAILABLE; other key types INVALID_REQUEST.
import { CONSUMER_OFFSETS_TOPIC, partitionFor } from '@mq/groups';
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { TRANSACTION_STATE_TOPIC, txnPartitionFor } from '@mq/transactions';
import { brokerEndpoint, clusterImage, ownEndpoint } from '../cluster-view';
import { defineHandler, type RequestContext } from '../handler';
import { coordinatorOf } from './group-coordinator-of';
import { transactionsOf } from './txn-coordinator-of';

type FindCoordinatorRequest = RequestBodyFor<typeof ApiKey.FindCoordinator>;

interface Coordinator {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

type FindCoordinatorResponse = ResponseInputFor<typeof ApiKey.FindCoordinator>;

function lookup(key: string, keyType: number, ctx: RequestContext): Coordinator {
  const b = ctx.broker;
  const found = { key, nodeId: b.nodeId, ...ownEndpoint(b, ctx.session.listenerName), errorCode: ErrorCode.NONE, errorMessage: null };
  const missing = (errorCode: number, errorMessage: string): Coordinator => ({ key, nodeId: -1, host: '', port: -1, errorCode, errorMessage });
  const elsewhere = (nodeId: number, what: string): Coordinator => {
    const e = nodeId === -1 ? undefined : brokerEndpoint(b, nodeId, ctx.session.listenerName);
    if (e === undefined) return missing(ErrorCode.COORDINATOR_NOT_AVAILABLE, `the coordinator of ${what} has no live leader`);
    return { key, nodeId: e.nodeId, host: e.host, port: e.port, errorCode: ErrorCode.NONE, errorMessage: null };
  };
  if (keyType === 1) {
    const txns = transactionsOf(ctx);
    if (txns === undefined) return missing(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'the transaction coordinator is not running');
    const nodeId = coordinatorNode(TRANSACTION_STATE_TOPIC, txnPartitionFor, key, ctx);
    if (nodeId === undefined) return missing(ErrorCode.COORDINATOR_NOT_AVAILABLE, `${TRANSACTION_STATE_TOPIC} is not created yet (it waits for enough brokers)`);
    if (nodeId !== b.nodeId) return elsewhere(nodeId, `transactional id ${key}`);
    const status = txns.coordinatorStatus(key);
    if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return missing(status, `__transaction_state partition ${txns.partitionFor(key)} is loading`);
    if (status !== ErrorCode.NONE) return missing(ErrorCode.COORDINATOR_NOT_AVAILABLE, `__transaction_state partition ${txns.partitionFor(key)} has no coordinator here`);
    return found;
  }
  if (keyType === 2) return missing(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'share groups are not supported');
  if (keyType !== 0) return missing(ErrorCode.INVALID_REQUEST, `unknown coordinator key type ${keyType}`);
  const groups = coordinatorOf(ctx);
  if (groups === undefined) return missing(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'the group coordinator is not running');
  const nodeId = coordinatorNode(CONSUMER_OFFSETS_TOPIC, partitionFor, key, ctx);
  if (nodeId === undefined) return missing(ErrorCode.COORDINATOR_NOT_AVAILABLE, `${CONSUMER_OFFSETS_TOPIC} is not created yet (it waits for enough brokers)`);
  if (nodeId !== b.nodeId) return elsewhere(nodeId, `group ${key}`);
  const status = groups.coordinatorStatus(key);
  if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return missing(status, `__consumer_offsets partition ${groups.partitionFor(key)} is loading`);
  // Not led here (with replication: led by another broker, not yet known here).
  if (status !== ErrorCode.NONE) return missing(ErrorCode.COORDINATOR_NOT_AVAILABLE, `__consumer_offsets partition ${groups.partitionFor(key)} has no coordinator here`);
  return found;
}

/**
 * The node coordinating `key` (-1: no leader): the leader of the internal topic's partition the key
 * hashes to — this node on one node; in a cluster see the header (undefined: no topic yet).
 */
function coordinatorNode(topic: string, partitionOf: (key: string, partitions: number) => number, key: string, ctx: RequestContext): number | undefined {
  const image = clusterImage(ctx.broker);
  if (image.brokers.size === 0) return ctx.broker.nodeId;
  const t = image.topics.get(topic);
  if (t === undefined || t.partitions.length === 0) return undefined;
  return t.partitions[partitionOf(key, t.partitions.length)]!.leader;
}

function toResponse(coordinators: Coordinator[], ctx: RequestContext): FindCoordinatorResponse {
  if (ctx.apiVersion >= 4) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: -1, host: '', port: -1, coordinators };
  }
  const c = coordinators[0]!;
  return { throttleTimeMs: 0, errorCode: c.errorCode, errorMessage: c.errorMessage, nodeId: c.nodeId, host: c.host, port: c.port, coordinators: [] };
}

export const findCoordinatorHandler = defineHandler<FindCoordinatorRequest, FindCoordinatorResponse>({
  apiKey: ApiKey.FindCoordinator,
  minVersion: 0,
  maxVersion: 6,
  async handle(req, ctx) {
    const keyType = req.keyType ?? 0;
    const keys = ctx.apiVersion >= 4 ? (req.coordinatorKeys ?? []) : [req.key ?? ''];
    const groups = coordinatorOf(ctx);
    // A failure to create it answers COORDINATOR_NOT_AVAILABLE below (coordinatorStatus), and the client retries.
    if (keyType === 0 && keys.length > 0 && groups !== undefined) await groups.prepare().catch(() => undefined);
    const txns = transactionsOf(ctx);
    if (keyType === 1 && keys.length > 0 && txns !== undefined) await txns.prepare().catch(() => undefined);
    return toResponse(keys.map((k) => lookup(k, keyType, ctx)), ctx);
  },
  errorResponse(req, errorCode, ctx) {
    const keys = ctx.apiVersion >= 4 ? (req.coordinatorKeys ?? []) : [req.key ?? ''];
    return toResponse(keys.map((key) => ({ key, nodeId: -1, host: '', port: -1, errorCode, errorMessage: null })), ctx);
  },
});
