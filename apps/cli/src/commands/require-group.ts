// Kafka answers DescribeGroups for an unknown id with state "Dead" and no error; the CLI turns
// that into GROUP_ID_NOT_FOUND, since a user asking about a group has most likely mistyped it.
import { type Admin, KafkaError } from '@mq/client';
import { ErrorCode } from '@mq/protocol';

export async function requireGroup(admin: Admin, group: string): Promise<void> {
  const [d] = await admin.describeGroups([group]);
  if (d && d.state !== 'Dead') return;
  // A group with only committed offsets (no members ever again) still exists for lag and resets.
  const committed = await admin.committedOffsets(group);
  if (committed.some((o) => o.offset >= 0n)) return;
  throw new KafkaError(ErrorCode.GROUP_ID_NOT_FOUND, `consumer group "${group}" does not exist`);
}

