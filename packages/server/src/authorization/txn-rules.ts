// Authorization of the transaction APIs (Kafka's rules): WRITE on the transactional id for
// InitProducerId / AddPartitionsToTxn / AddOffsetsToTxn / EndTxn / TxnOffsetCommit, plus READ on the
// group and WRITE or READ on topics where they name them; an idempotent InitProducerId needs
// IDEMPOTENT_WRITE on the cluster or WRITE on some topic; broker-to-broker calls (WriteTxnMarkers,
// AddPartitionsToTxn v4+) CLUSTER_ACTION; DescribeTransactions / ListTransactions DESCRIBE.
import { AclOperation as Op, ResourceType } from '@mq/acl';
import { ErrorCode } from '@mq/protocol';
import { Completion } from '../completion';
import { topicsRule } from './data-rules';
import type { AclRule, RequestAuthz } from './request-authz';
import { concatField, splitByAuthorization } from './split-by-authorization';
import { thenRewrite, wholeRequest } from './whole-request';

const TXN_DENIED = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;

const txnWrite = (id: unknown, authz: RequestAuthz): number => (authz.transactionalId(Op.WRITE, String(id ?? '')) ? 0 : TXN_DENIED);
const groupRead = (id: unknown, authz: RequestAuthz): number => (authz.group(Op.READ, String(id ?? '')) ? 0 : ErrorCode.GROUP_AUTHORIZATION_FAILED);

const initProducerId = wholeRequest((req, authz) => {
  if (req.transactionalId != null) return txnWrite(req.transactionalId, authz);
  return authz.cluster(Op.IDEMPOTENT_WRITE) || authz.anyOfType(Op.WRITE, ResourceType.TOPIC) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
});

interface TxnTopic {
  name: string;
  partitions: number[];
}

/**
 * v0-3 (a producer): WRITE on the id, then on each topic — any refused topic fails the whole
 * request, refused ones TOPIC_AUTHORIZATION_FAILED and the rest OPERATION_NOT_ATTEMPTED (Kafka).
 * v4+ (a broker's verification): CLUSTER_ACTION.
 */
const addPartitionsToTxn: AclRule = (call, authz, next) => {
  if (call.ctx.apiVersion >= 4) return authz.cluster(Op.CLUSTER_ACTION) ? next() : Completion.now(call.errorResponse(ErrorCode.CLUSTER_AUTHORIZATION_FAILED));
  if (txnWrite(call.request.v3AndBelowTransactionalId, authz) !== 0) return Completion.now(call.errorResponse(TXN_DENIED));
  const topics = (call.request.v3AndBelowTopics as TxnTopic[] | undefined) ?? [];
  const refused = topics.filter((t) => !authz.topic(Op.WRITE, t.name));
  if (refused.length === 0) return next();
  const rest = topics.filter((t) => !refused.includes(t));
  const denied = call.errorResponseFor({ ...call.request, v3AndBelowTopics: refused }, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  const notAttempted = call.errorResponseFor({ ...call.request, v3AndBelowTopics: rest }, ErrorCode.OPERATION_NOT_ATTEMPTED);
  return Completion.now(concatField('resultsByTopicV3AndBelow')(notAttempted as never, denied as never));
};

const describeTransactions: AclRule = (call, authz, next) =>
  splitByAuthorization(call, next, {
    entities: (call.request.transactionalIds as string[] | undefined) ?? [],
    refusal: (id) => (authz.transactionalId(Op.DESCRIBE, id) ? 0 : TXN_DENIED),
    rebuild: (transactionalIds) => ({ ...call.request, transactionalIds }),
    merge: concatField('transactionStates'),
  });

const listTransactions = thenRewrite((res, _req, authz) => ({
  ...res,
  transactionStates: (res.transactionStates as { transactionalId: string }[]).filter((t) => authz.transactionalId(Op.DESCRIBE, t.transactionalId)),
}));

export const TXN_RULES: ReadonlyMap<number, AclRule> = new Map([
  [22, initProducerId],
  [24, addPartitionsToTxn],
  [25, wholeRequest((req, authz) => txnWrite(req.transactionalId, authz) || groupRead(req.groupId, authz))],
  [26, wholeRequest((req, authz) => txnWrite(req.transactionalId, authz))],
  [27, wholeRequest((_req, authz) => (authz.cluster(Op.CLUSTER_ACTION) ? 0 : ErrorCode.CLUSTER_AUTHORIZATION_FAILED))],
  [28, wholeRequest((req, authz) => txnWrite(req.transactionalId, authz) || groupRead(req.groupId, authz), topicsRule(Op.READ, 'topics', 'topics'))],
  [65, describeTransactions],
  [66, listTransactions],
]);
