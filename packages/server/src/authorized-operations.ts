// The authorized-operations bitfields Metadata (v8+) and DescribeCluster return when asked: every
// operation the resource type supports (Kafka's AclEntry.supportedOperations), because mq has no
// authorizer — Kafka answers the same when none is configured. Not asked: Integer.MIN_VALUE.
import { AclOperation as Op, authorizedOperationsBitfield } from '@mq/protocol';
import { AUTHORIZED_OPS_NOT_REQUESTED } from './wire-constants';

export const CLUSTER_AUTHORIZED_OPERATIONS = authorizedOperationsBitfield([
  Op.ALTER,
  Op.ALTER_CONFIGS,
  Op.CLUSTER_ACTION,
  Op.CREATE,
  Op.DESCRIBE,
  Op.DESCRIBE_CONFIGS,
  Op.IDEMPOTENT_WRITE,
]);

export const TOPIC_AUTHORIZED_OPERATIONS = authorizedOperationsBitfield([
  Op.ALTER,
  Op.ALTER_CONFIGS,
  Op.CREATE,
  Op.DELETE,
  Op.DESCRIBE,
  Op.DESCRIBE_CONFIGS,
  Op.READ,
  Op.WRITE,
]);

export function clusterAuthorizedOperations(requested: boolean | undefined): number {
  return requested === true ? CLUSTER_AUTHORIZED_OPERATIONS : AUTHORIZED_OPS_NOT_REQUESTED;
}

export function topicAuthorizedOperations(requested: boolean | undefined): number {
  return requested === true ? TOPIC_AUTHORIZED_OPERATIONS : AUTHORIZED_OPS_NOT_REQUESTED;
}
