// mq's tag on AlterShareGroupOffsets / DeleteShareGroupOffsets requests (forwardedByCoordinator):
// the group coordinator forwards the share-partitions another broker leads to that leader, which
// applies them without checking the group's membership (only the coordinator knows it). Kafka's
// tags of these messages are small numbers; this one stays clear of them.
export const FORWARDED_BY_COORDINATOR_TAG = 0x6d71;
