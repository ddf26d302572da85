// Authorization of the data-plane APIs (Kafka's KafkaApis rules): Produce needs WRITE on each topic
// (and WRITE on its transactional id), Fetch READ on each topic (a follower's: CLUSTER_ACTION),
// ListOffsets and OffsetForLeaderEpoch DESCRIBE, DeleteRecords DELETE, DescribeProducers READ.
// A topic refused is TOPIC_AUTHORIZATION_FAILED in its own entry, whether it exists or not (so a
// refusal does not reveal which topics exist).
import { AclOperation as Op } from '@mq/acl';
import { ErrorCode } from '@mq/protocol';
import { Completion, NO_RESPONSE } from '../completion';
import type { Body } from '../handler';
import type { AclRule, RequestAuthz } from './request-authz';
import { concatField, splitByAuthorization } from './split-by-authorization';

const TOPIC_DENIED = ErrorCode.TOPIC_AUTHORIZATION_FAILED;

interface Named {
  name: string;
}

/** Splits a request's `field` list of topics (named by `name`) on `op`, merging refusals into `responseField`. */
export function topicsRule(op: Parameters<RequestAuthz['topic']>[0], field: string, responseField: string, nameOf: (t: Body, authz: RequestAuthz) => string | undefined = (t) => (t as unknown as Named).name): AclRule {
  return (call, authz, next) =>
    splitByAuthorization(call, next, {
      entities: (call.request[field] as Body[] | null | undefined) ?? [],
      refusal: (t) => {
        const name = nameOf(t, authz);
        return name === undefined || authz.topic(op, name) ? 0 : TOPIC_DENIED;
      },
      rebuild: (list) => ({ ...call.request, [field]: list }),
      merge: concatField(responseField),
    });
}

interface ProduceRequest {
  transactionalId?: string | null;
  acks: number;
  topicData: { name: string }[];
}

const produce: AclRule = (call, authz, next) => {
  const req = call.request as unknown as ProduceRequest;
  const txnDenied = req.transactionalId != null && !authz.transactionalId(Op.WRITE, req.transactionalId);
  if (req.acks === 0) {
    // acks=0 gets no response, so a refusal can only be told by closing the connection (as Kafka).
    const allowed = txnDenied ? [] : req.topicData.filter((td) => authz.topic(Op.WRITE, td.name));
    if (allowed.length === req.topicData.length) return next();
    call.ctx.closeConnection(txnDenied ? 'acks=0 produce: transactional id not authorized' : 'acks=0 produce to a topic not authorized');
    return allowed.length === 0 ? Completion.now<object>(NO_RESPONSE) : next({ ...call.request, topicData: allowed });
  }
  if (txnDenied) return Completion.now(call.errorResponse(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
  return splitByAuthorization(call, next, {
    entities: req.topicData,
    refusal: (td) => (authz.topic(Op.WRITE, td.name) ? 0 : TOPIC_DENIED),
    rebuild: (topicData) => ({ ...call.request, topicData }),
    merge: concatField('responses'),
  });
};

interface FetchRequest {
  replicaId?: number;
  replicaState?: { replicaId: number };
  topics: { topic?: string; topicId?: string }[];
}

const fetch: AclRule = (call, authz, next) => {
  const req = call.request as unknown as FetchRequest;
  const replicaId = call.ctx.apiVersion >= 15 ? (req.replicaState?.replicaId ?? -1) : (req.replicaId ?? -1);
  if (replicaId >= 0) {
    // A follower's fetch: all or nothing on CLUSTER_ACTION (Kafka answers every partition TOPIC_AUTHORIZATION_FAILED).
    return authz.cluster(Op.CLUSTER_ACTION) ? next() : Completion.now(call.errorResponse(TOPIC_DENIED));
  }
  return splitByAuthorization(call, next, {
    entities: req.topics,
    refusal: (t) => {
      const name = t.topicId !== undefined && call.ctx.apiVersion >= 13 ? authz.topicNameOf(t.topicId) : t.topic;
      return name === undefined || authz.topic(Op.READ, name) ? 0 : TOPIC_DENIED;
    },
    rebuild: (topics) => ({ ...call.request, topics }),
    merge: concatField('responses'),
  });
};

const offsetForLeaderEpoch: AclRule = (call, authz, next) =>
  authz.cluster(Op.CLUSTER_ACTION) ? next() : topicsRule(Op.DESCRIBE, 'topics', 'topics', (t) => (t as { topic?: string }).topic)(call, authz, next);

export const DATA_RULES: ReadonlyMap<number, AclRule> = new Map([
  [0, produce],
  [1, fetch],
  [2, topicsRule(Op.DESCRIBE, 'topics', 'topics')],
  [21, topicsRule(Op.DELETE, 'topics', 'topics')],
  [23, offsetForLeaderEpoch],
  [61, topicsRule(Op.READ, 'topics', 'topics')],
]);
