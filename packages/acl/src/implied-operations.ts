// Which operation an ACL's operation grants (Kafka's StandardAuthorizerData.matchesOperation): ALL
// grants everything; an ALLOW of READ, WRITE, DELETE or ALTER also grants DESCRIBE, and an ALLOW of
// ALTER_CONFIGS also grants DESCRIBE_CONFIGS. A DENY covers only its own operation (or ALL), so
// denying WRITE leaves DESCRIBE to whatever else applies.
import { AclOperation as Op, type AclOperationCode } from '@mq/protocol';

const IMPLIES_DESCRIBE = new Set<number>([Op.DESCRIBE, Op.READ, Op.WRITE, Op.DELETE, Op.ALTER]);
const IMPLIES_DESCRIBE_CONFIGS = new Set<number>([Op.DESCRIBE_CONFIGS, Op.ALTER_CONFIGS]);

/** Does an ALLOW binding with `aclOperation` allow `requested`? */
export function allowGrants(aclOperation: number, requested: AclOperationCode): boolean {
  if (aclOperation === Op.ALL || aclOperation === requested) return true;
  if (requested === Op.DESCRIBE) return IMPLIES_DESCRIBE.has(aclOperation);
  if (requested === Op.DESCRIBE_CONFIGS) return IMPLIES_DESCRIBE_CONFIGS.has(aclOperation);
  return false;
}

/** Does a DENY binding with `aclOperation` deny `requested`? */
export function denyCovers(aclOperation: number, requested: AclOperationCode): boolean {
  return aclOperation === Op.ALL || aclOperation === requested;
}
