// A group of the group coordinator: classic (JoinGroup / SyncGroup) or KIP-848 consumer
// (ConsumerGroupHeartbeat), discriminated by `type`; share groups live in @mq/share. A group's id
// and committed offsets stay when an empty one changes type (GroupCoordinatorShard converts it).
import type { ClassicGroup } from './classic-group';
import type { ConsumerGroup } from './consumer-group';

export type Group = ClassicGroup | ConsumerGroup;

export type GroupType = Group['type'];
