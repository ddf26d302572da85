// Kafka's AclOperation codes (clients/.../acl/AclOperation.java) as they appear on the wire, and the
// authorized-operations bitfield of Metadata, DescribeCluster and DescribeGroups: bit n set means
// operation n is allowed (Kafka's Utils.to32BitField).
export const AclOperation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
  TWO_PHASE_COMMIT: 15,
} as const;

export type AclOperationCode = (typeof AclOperation)[keyof typeof AclOperation];

/** The 32-bit field with one bit per operation code. */
export function authorizedOperationsBitfield(ops: readonly AclOperationCode[]): number {
  let field = 0;
  for (const op of ops) field |= 1 << op;
  return field;
}
