// __consumer_offsets records: golden bytes of every record type and version this coordinator
// writes (laid out by hand from Kafka's group-coordinator/*.json), bytes as Kafka writes them read
// back (every valid version, an unknown tagged field skipped), and each declared schema checked
// field by field against Kafka's definitions (read from ../shared/kafka-messages/group-coordinator
// at test time; skipped, saying so, when absent).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataMessageSpec, FieldSpec } from '@mq/protocol';
import { describe, expect, it } from 'vitest';
import type { GroupRecord } from '../src/records/group-record';
import { deserializeGroupRecord, serializeGroupRecord } from '../src/records/group-record-serde';
import { RECORD_SCHEMAS } from '../src/records/record-schemas';

const hex = (s: string) => Buffer.from(s.replace(/[^0-9a-f]/g, ''), 'hex');
const str = (s: string) => Buffer.concat([Buffer.from([0, s.length]), Buffer.from(s)]).toString('hex');
const compact = (s: string) => Buffer.concat([Buffer.from([s.length + 1]), Buffer.from(s)]).toString('hex');
const i64 = (n: number) => n.toString(16).padStart(16, '0');
const i32 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
const TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ'; // 15 zero bytes, then 1
const UUID_HEX = `${'00'.repeat(15)}01`;

const golden: { what: string; record: GroupRecord; key: string; value: string | null }[] = [
  {
    what: 'OffsetCommitKey v1 + OffsetCommitValue v3',
    record: { type: 'offset', groupId: 'g', topic: 't', partition: 3, value: { committedOffset: 42n, committedLeaderEpoch: 5, metadata: 'm', commitTimestamp: 1000n, expireTimestamp: -1n } },
    key: `0001 ${str('g')} ${str('t')} ${i32(3)}`,
    value: `0003 ${i64(42)} ${i32(5)} ${str('m')} ${i64(1000)}`,
  },
  {
    what: 'OffsetCommitValue v1 (an offset with an expire timestamp, as Kafka writes it: no leader epoch)',
    record: { type: 'offset', groupId: 'g', topic: 't', partition: 0, value: { committedOffset: 42n, committedLeaderEpoch: -1, metadata: '', commitTimestamp: 1000n, expireTimestamp: 2000n } },
    key: `0001 ${str('g')} ${str('t')} ${i32(0)}`,
    value: `0001 ${i64(42)} 0000 ${i64(1000)} ${i64(2000)}`,
  },
  {
    what: 'an offset tombstone',
    record: { type: 'offset', groupId: 'g', topic: 't', partition: 1, value: null },
    key: `0001 ${str('g')} ${str('t')} ${i32(1)}`,
    value: null,
  },
  {
    what: 'GroupMetadataKey v2 + GroupMetadataValue v3',
    record: {
      type: 'group',
      groupId: 'g',
      value: {
        protocolType: 'consumer', generationId: 1, protocolName: 'range', leaderId: 'm1', stateTimestamp: 1000n,
        members: [{ memberId: 'm1', groupInstanceId: null, clientId: 'c', clientHost: '/h', rebalanceTimeoutMs: 30000, sessionTimeoutMs: 10000, subscription: Buffer.from([1, 2]), assignment: Buffer.from([3]) }],
      },
    },
    key: `0002 ${str('g')}`,
    value: `0003 ${str('consumer')} ${i32(1)} ${str('range')} ${str('m1')} ${i64(1000)} ${i32(1)} ${str('m1')} ffff ${str('c')} ${str('/h')} ${i32(30000)} ${i32(10000)} ${i32(2)}0102 ${i32(1)}03`,
  },
  {
    what: 'ConsumerGroupPartitionMetadataKey v4 + ConsumerGroupPartitionMetadataValue v0 (no racks)',
    record: { type: 'consumer-partition-metadata', groupId: 'cg', value: { topics: [{ topicId: TOPIC_ID, topicName: 't', numPartitions: 6 }] } },
    key: `0004 ${str('cg')}`,
    value: `0000 02 ${UUID_HEX} ${compact('t')} ${i32(6)} 01 00 00`,
  },
  {
    what: 'ConsumerGroupTargetAssignmentMetadataKey v6 + ConsumerGroupTargetAssignmentMetadataValue v0',
    record: { type: 'consumer-target', groupId: 'cg', value: { assignmentEpoch: 3 } },
    key: `0006 ${str('cg')}`,
    value: `0000 ${i32(3)} 00`,
  },
  {
    what: 'ConsumerGroupTargetAssignmentMemberKey v7 + ConsumerGroupTargetAssignmentMemberValue v0',
    record: { type: 'consumer-target-member', groupId: 'cg', memberId: 'm', value: { topicPartitions: [{ topicId: TOPIC_ID, partitions: [1] }] } },
    key: `0007 ${str('cg')} ${str('m')}`,
    value: `0000 02 ${UUID_HEX} 02${i32(1)} 00 00`,
  },
  {
    what: 'a target assignment member tombstone',
    record: { type: 'consumer-target-member', groupId: 'cg', memberId: 'm', value: null },
    key: `0007 ${str('cg')} ${str('m')}`,
    value: null,
  },
  {
    what: 'ConsumerGroupMetadataKey v3 + ConsumerGroupMetadataValue v0 (flexible)',
    record: { type: 'consumer-group', groupId: 'cg', value: { groupEpoch: 7 } },
    key: `0003 ${str('cg')}`,
    value: `0000 ${i32(7)} 00`,
  },
  {
    what: 'ShareGroupMetadataKey v11 + ShareGroupMetadataValue v0 (flexible)',
    record: { type: 'share-group', groupId: 'sg', value: { groupEpoch: 4 } },
    key: `000b ${str('sg')}`,
    value: `0000 ${i32(4)} 00`,
  },
  {
    what: 'a share group tombstone',
    record: { type: 'share-group', groupId: 'sg', value: null },
    key: `000b ${str('sg')}`,
    value: null,
  },
  {
    what: 'ConsumerGroupMemberMetadataKey v5 + ConsumerGroupMemberMetadataValue v0',
    record: {
      type: 'consumer-member', groupId: 'cg', memberId: 'm',
      value: { instanceId: null, rackId: null, clientId: 'c', clientHost: '/h', subscribedTopicNames: ['t'], subscribedTopicRegex: '', rebalanceTimeoutMs: 30000, serverAssignor: 'uniform' },
    },
    key: `0005 ${str('cg')} ${str('m')}`,
    // instanceId, rackId null; regex '' is stored null (Kafka's "none"); no ClassicMemberMetadata tag.
    value: `0000 00 00 ${compact('c')} ${compact('/h')} 02${compact('t')} 00 ${i32(30000)} ${compact('uniform')} 00`,
  },
  {
    what: 'ConsumerGroupCurrentMemberAssignmentKey v8 + ConsumerGroupCurrentMemberAssignmentValue v0',
    record: {
      type: 'consumer-assignment', groupId: 'cg', memberId: 'm',
      value: { memberEpoch: 3, previousMemberEpoch: 2, state: 0, assigned: [{ topicId: TOPIC_ID, partitions: [0, 2] }], pendingRevocation: [] },
    },
    key: `0008 ${str('cg')} ${str('m')}`,
    value: `0000 ${i32(3)} ${i32(2)} 00 02 ${UUID_HEX} 03${i32(0)}${i32(2)} 00 01 00`,
  },
  {
    what: 'a member metadata tombstone',
    record: { type: 'consumer-member', groupId: 'cg', memberId: 'm', value: null },
    key: `0005 ${str('cg')} ${str('m')}`,
    value: null,
  },
];

describe('__consumer_offsets record bytes', () => {
  for (const g of golden) {
    it(`writes ${g.what} byte for byte and reads it back`, () => {
      const raw = serializeGroupRecord(g.record);
      expect(raw.key.toString('hex')).toBe(hex(g.key).toString('hex'));
      expect(raw.value?.toString('hex') ?? null).toBe(g.value === null ? null : hex(g.value).toString('hex'));
      expect(deserializeGroupRecord(raw.key, raw.value)).toEqual(g.record);
    });
  }

  it('reads what Kafka writes: OffsetCommitKey v0, OffsetCommitValue v0, v2 and v4 (with an unknown tagged field)', () => {
    const key0 = hex(`0000 ${str('g')} ${str('t')} ${i32(0)}`);
    const v0 = hex(`0000 ${i64(5)} ${str('a')} ${i64(100)}`);
    expect(deserializeGroupRecord(key0, v0)).toEqual({
      type: 'offset', groupId: 'g', topic: 't', partition: 0,
      value: { committedOffset: 5n, committedLeaderEpoch: -1, metadata: 'a', commitTimestamp: 100n, expireTimestamp: -1n },
    });
    const v2 = hex(`0002 ${i64(6)} ${str('')} ${i64(200)}`);
    expect(deserializeGroupRecord(key0, v2)).toMatchObject({ value: { committedOffset: 6n, committedLeaderEpoch: -1, commitTimestamp: 200n, expireTimestamp: -1n } });
    // v4: flexible (compact string, tagged fields) — a tag this version does not know is skipped.
    const v4 = hex(`0004 ${i64(7)} ${i32(9)} ${compact('x')} ${i64(300)} 01 05 02 abcd`);
    expect(deserializeGroupRecord(key0, v4)).toMatchObject({ value: { committedOffset: 7n, committedLeaderEpoch: 9, metadata: 'x', commitTimestamp: 300n } });
  });

  it('reads GroupMetadataValue v0, v1 and v2 (older Kafka) and v4 (flexible)', () => {
    const key = hex(`0002 ${str('g')}`);
    const member0 = `${str('m')} ${str('c')} ${str('/h')} ${i32(10000)} ${i32(1)}01 ${i32(1)}02`;
    const v0 = hex(`0000 ${str('consumer')} ${i32(4)} ${str('range')} ${str('m')} ${i32(1)} ${member0}`);
    expect(deserializeGroupRecord(key, v0)).toMatchObject({
      value: { protocolType: 'consumer', generationId: 4, protocolName: 'range', leaderId: 'm', stateTimestamp: -1n, members: [{ memberId: 'm', groupInstanceId: null, rebalanceTimeoutMs: -1, sessionTimeoutMs: 10000 }] },
    });
    const member1 = `${str('m')} ${str('c')} ${str('/h')} ${i32(20000)} ${i32(10000)} ${i32(0)} ${i32(0)}`;
    expect(deserializeGroupRecord(key, hex(`0001 ${str('consumer')} ${i32(4)} ${str('range')} ${str('m')} ${i32(1)} ${member1}`))).toMatchObject({
      value: { members: [{ rebalanceTimeoutMs: 20000 }] },
    });
    expect(deserializeGroupRecord(key, hex(`0002 ${str('consumer')} ${i32(4)} ffff ffff ${i64(55)} ${i32(0)}`))).toMatchObject({
      value: { protocolName: null, leaderId: null, stateTimestamp: 55n, members: [] },
    });
    const member4 = `${compact('m')} 00 ${compact('c')} ${compact('/h')} ${i32(1)} ${i32(2)} 01 01 00`;
    expect(deserializeGroupRecord(key, hex(`0004 ${compact('consumer')} ${i32(4)} ${compact('range')} ${compact('m')} ${i64(9)} 02 ${member4} 00`))).toMatchObject({
      value: { protocolType: 'consumer', stateTimestamp: 9n, members: [{ memberId: 'm', groupInstanceId: null, rebalanceTimeoutMs: 1, sessionTimeoutMs: 2 }] },
    });
  });

  it('reads a ConsumerGroupPartitionMetadataValue with racks as Kafka writes it (the racks are not kept)', () => {
    const racks = `02 ${i32(0)} 02 ${compact('r1')} 00`;
    expect(deserializeGroupRecord(hex(`0004 ${str('cg')}`), hex(`0000 02 ${UUID_HEX} ${compact('t')} ${i32(1)} ${racks} 00 00`))).toEqual({
      type: 'consumer-partition-metadata',
      groupId: 'cg',
      value: { topics: [{ topicId: TOPIC_ID, topicName: 't', numPartitions: 1 }] },
    });
  });

  it('refuses unknown key and value versions and trailing bytes with CORRUPT_ENCODING', () => {
    expect(() => deserializeGroupRecord(hex(`0009 ${str('g')}`), null)).toThrow(/unknown __consumer_offsets key version 9/);
    expect(() => deserializeGroupRecord(hex(`0001 ${str('g')} ${str('t')} ${i32(0)}`), hex(`0005 ${i64(1)}`))).toThrow(/unknown OffsetCommitValue version 5/);
    expect(() => deserializeGroupRecord(hex(`0002 ${str('g')} ff`), null)).toThrow(/bytes left over/);
    expect(() => deserializeGroupRecord(Buffer.from([1]), null)).toThrow(/key of 1 bytes/);
  });
});

// Kafka's definitions, compared field by field (names camelCased, "[]Struct" as '[]struct').
const DEFS = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'kafka-messages', 'group-coordinator');
    if (existsSync(candidate)) return candidate;
  }
  return process.env.MQ_KAFKA_MESSAGES_DIR !== undefined ? join(process.env.MQ_KAFKA_MESSAGES_DIR, '..', 'group-coordinator') : undefined;
})();
if (DEFS === undefined) console.warn('group-record-serde.test.ts: Kafka group-coordinator definitions not found; schema comparison skipped');

interface KafkaField {
  name: string;
  type: string;
  versions: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  fields?: KafkaField[];
}

const PRIMITIVES = new Set(['bool', 'int8', 'int16', 'int32', 'int64', 'uint16', 'float64', 'string', 'bytes', 'uuid', 'records']);
const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);

function compareFields(path: string, ours: readonly FieldSpec[], theirs: readonly KafkaField[], structs: Map<string, KafkaField[]>): string[] {
  const out: string[] = [];
  if (ours.length !== theirs.length) out.push(`${path}: fields [${ours.map((f) => f.name)}], Kafka [${theirs.map((f) => lowerFirst(f.name))}]`);
  theirs.forEach((k, i) => {
    const o = ours[i];
    if (o === undefined) return;
    const p = `${path}.${o.name}`;
    if (o.name !== lowerFirst(k.name)) out.push(`${p}: Kafka calls it ${k.name}`);
    const array = k.type.startsWith('[]');
    const base = array ? k.type.slice(2) : k.type;
    const expected = PRIMITIVES.has(base) ? k.type : array ? '[]struct' : 'struct';
    if (o.type !== expected) out.push(`${p}: type ${o.type}, Kafka ${k.type}`);
    if (o.versions !== k.versions) out.push(`${p}: versions ${o.versions}, Kafka ${k.versions}`);
    if ((o.nullableVersions ?? '') !== (k.nullableVersions ?? '')) out.push(`${p}: nullableVersions ${o.nullableVersions}, Kafka ${k.nullableVersions}`);
    if ((o.taggedVersions ?? '') !== (k.taggedVersions ?? '') || o.tag !== k.tag) out.push(`${p}: tagged ${o.taggedVersions}/${o.tag}, Kafka ${k.taggedVersions}/${k.tag}`);
    if (!PRIMITIVES.has(base)) out.push(...compareFields(p, o.fields ?? [], k.fields ?? structs.get(base) ?? [], structs));
  });
  return out;
}

describe.skipIf(DEFS === undefined)('record schemas against Kafka’s group-coordinator definitions', () => {
  const specs = new Map<string, DataMessageSpec>();
  for (const s of Object.values(RECORD_SCHEMAS)) {
    specs.set(s.key.name, s.key);
    specs.set(s.value.name, s.value);
  }
  for (const [name, spec] of specs) {
    it(name, () => {
      const json = JSON.parse(readFileSync(join(DEFS!, `${name}.json`), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as {
        validVersions: string;
        flexibleVersions: string;
        fields: KafkaField[];
        commonStructs?: { name: string; fields: KafkaField[] }[];
      };
      const structs = new Map((json.commonStructs ?? []).map((s) => [s.name, s.fields]));
      const problems = [
        ...(spec.validVersions === json.validVersions ? [] : [`validVersions ${spec.validVersions}, Kafka ${json.validVersions}`]),
        ...(spec.flexibleVersions === json.flexibleVersions ? [] : [`flexibleVersions ${spec.flexibleVersions}, Kafka ${json.flexibleVersions}`]),
        ...compareFields(name, spec.fields, json.fields, structs),
      ];
      expect(problems).toEqual([]);
    });
  }

  it('the comparison reports a wrong schema (so a pass means "same")', () => {
    const wrong: FieldSpec[] = [{ name: 'group', type: 'int32', versions: '0+' }];
    const kafka: KafkaField[] = [{ name: 'group', type: 'string', versions: '0-1' }, { name: 'topic', type: 'string', versions: '0-1' }];
    expect(compareFields('X', wrong, kafka, new Map())).toEqual(['X: fields [group], Kafka [group,topic]', 'X.group: type int32, Kafka string', 'X.group: versions 0+, Kafka 0-1']);
  });
});
