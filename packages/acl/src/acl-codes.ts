// Kafka's ACL enums (wire codes and names live in @mq/protocol, shared with the client side) and
// what the model adds: the operations each resource type supports.
import { AclOperation, type AclOperationCode, ResourceType } from '@mq/protocol';

export {
  AclOperation,
  type AclOperationCode,
  AclPermissionType,
  type AclPermissionTypeCode,
  CLUSTER_RESOURCE_NAME,
  PatternType,
  type PatternTypeCode,
  ResourceType,
  type ResourceTypeCode,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
  WILDCARD_RESOURCE,
  operationName,
  parseOperation,
  parsePatternType,
  parsePermissionType,
  parseResourceType,
  patternTypeName,
  permissionTypeName,
  resourceTypeName,
} from '@mq/protocol';

const Op = AclOperation;
/**
 * The operations each resource type supports (Kafka's AclEntry.supportedOperations): what the
 * authorized_operations bitfields of Metadata, DescribeGroups and DescribeCluster range over.
 */
export const SUPPORTED_OPERATIONS: Readonly<Record<number, readonly AclOperationCode[]>> = {
  [ResourceType.TOPIC]: [Op.READ, Op.WRITE, Op.CREATE, Op.DESCRIBE, Op.DELETE, Op.ALTER, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS],
  [ResourceType.GROUP]: [Op.READ, Op.DESCRIBE, Op.DELETE, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS],
  [ResourceType.CLUSTER]: [Op.CREATE, Op.CLUSTER_ACTION, Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS, Op.IDEMPOTENT_WRITE, Op.ALTER, Op.DESCRIBE],
  [ResourceType.TRANSACTIONAL_ID]: [Op.DESCRIBE, Op.WRITE, Op.TWO_PHASE_COMMIT],
  [ResourceType.DELEGATION_TOKEN]: [Op.DESCRIBE],
  [ResourceType.USER]: [Op.CREATE_TOKENS, Op.DESCRIBE_TOKENS],
};
