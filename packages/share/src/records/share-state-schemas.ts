// The keys and values of __share_group_state records, declared as data messages for @mq/protocol's
// codec, field for field after Kafka's share-coordinator/*.json. A stored key is int16 key version
// + the key; the key version names the record type (0 ShareSnapshot, 1 ShareUpdate). A stored
// value is int16 value version (0) + the value; a null value is a tombstone.
import type { DataMessageSpec, FieldSpec } from '@mq/protocol';

const keyFields = (v: string) =>
  [
    { name: 'groupId', type: 'string', versions: v },
    { name: 'topicId', type: 'uuid', versions: v },
    { name: 'partition', type: 'int32', versions: v },
  ] as const satisfies readonly FieldSpec[];

const stateBatchFields = [
  { name: 'firstOffset', type: 'int64', versions: '0' },
  { name: 'lastOffset', type: 'int64', versions: '0' },
  // 0 Available, 2 Acknowledged, 4 Archived.
  { name: 'deliveryState', type: 'int8', versions: '0' },
  { name: 'deliveryCount', type: 'int16', versions: '0' },
] as const satisfies readonly FieldSpec[];

export const ShareSnapshotKey = {
  name: 'ShareSnapshotKey',
  validVersions: '0',
  flexibleVersions: 'none',
  fields: keyFields('0'),
} as const satisfies DataMessageSpec;

export const ShareSnapshotValue = {
  name: 'ShareSnapshotValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'snapshotEpoch', type: 'uint16', versions: '0' },
    { name: 'stateEpoch', type: 'int32', versions: '0+' },
    { name: 'leaderEpoch', type: 'int32', versions: '0+' },
    { name: 'startOffset', type: 'int64', versions: '0' },
    { name: 'stateBatches', type: '[]struct', versions: '0', fields: stateBatchFields },
  ],
} as const satisfies DataMessageSpec;

export const ShareUpdateKey = {
  name: 'ShareUpdateKey',
  validVersions: '1',
  flexibleVersions: 'none',
  fields: keyFields('1'),
} as const satisfies DataMessageSpec;

export const ShareUpdateValue = {
  name: 'ShareUpdateValue',
  validVersions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'snapshotEpoch', type: 'uint16', versions: '0' },
    { name: 'leaderEpoch', type: 'int32', versions: '0+' },
    // -1 when the start offset does not move.
    { name: 'startOffset', type: 'int64', versions: '0' },
    { name: 'stateBatches', type: '[]struct', versions: '0', fields: stateBatchFields },
  ],
} as const satisfies DataMessageSpec;

export const SHARE_STATE_SCHEMAS = [ShareSnapshotKey, ShareSnapshotValue, ShareUpdateKey, ShareUpdateValue] as const;
