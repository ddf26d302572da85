// __share_group_state records: bytes laid out by hand after Kafka's share-coordinator/*.json
// (snapshot key version 0, update key version 1, values at 0 with a tag section), round trips,
// tombstones, unreadable input, and our schemas compared field by field with Kafka's definitions
// (read from ../shared/kafka-messages/share-coordinator when present).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldSpec } from '@mq/protocol';
import { describe, expect, it } from 'vitest';
import type { ShareStateRecord } from '../src/records/share-state-record';
import { SHARE_STATE_SCHEMAS } from '../src/records/share-state-schemas';
import { deserializeShareStateRecord, serializeShareStateRecord } from '../src/records/share-state-serde';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const topicId = Buffer.alloc(16, 0xab).toString('base64url');
const key = { groupId: 'g', topicId, partition: 3 };
const keyBytes = (version: string) => `${version} 0001 67 ${'ab'.repeat(16)} 00000003`;

describe('__share_group_state records', () => {
  it('a snapshot: key version 0, value v0 with its state batches', () => {
    const r: ShareStateRecord = {
      type: 'snapshot',
      key,
      value: { snapshotEpoch: 1, stateEpoch: 0, leaderEpoch: 0, startOffset: 5n, stateBatches: [{ firstOffset: 5n, lastOffset: 6n, deliveryState: 2, deliveryCount: 1 }] },
    };
    const { key: k, value: v } = serializeShareStateRecord(r);
    expect(k.toString('hex')).toBe(hex(keyBytes('0000')).toString('hex'));
    // version · snapshot epoch (uint16) · state epoch · leader epoch · start offset · batches (compact) · batch tags · tags.
    expect(v!.toString('hex')).toBe(hex('0000 0001 00000000 00000000 0000000000000005 02 0000000000000005 0000000000000006 02 0001 00 00').toString('hex'));
    expect(deserializeShareStateRecord(k, v)).toEqual(r);
  });

  it('an update: key version 1; a tombstone has no value', () => {
    const r: ShareStateRecord = { type: 'update', key, value: { snapshotEpoch: 1, leaderEpoch: 0, startOffset: -1n, stateBatches: [] } };
    const { key: k, value: v } = serializeShareStateRecord(r);
    expect(k.toString('hex')).toBe(hex(keyBytes('0001')).toString('hex'));
    expect(deserializeShareStateRecord(k, v)).toEqual(r);
    const tomb = serializeShareStateRecord({ type: 'update', key, value: null });
    expect(tomb.value).toBeNull();
    expect(deserializeShareStateRecord(tomb.key, null)).toEqual({ type: 'update', key, value: null });
  });

  it('unreadable records are typed errors', () => {
    expect(() => deserializeShareStateRecord(hex(keyBytes('0007')), null)).toThrow(/unknown __share_group_state key version 7/);
    expect(() => deserializeShareStateRecord(Buffer.from([0]), null)).toThrow(/key of 1 bytes/);
    expect(() => deserializeShareStateRecord(hex(`${keyBytes('0000')} ff`), null)).toThrow(/bytes left over/);
  });
});

const DEFS = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'kafka-messages', 'share-coordinator');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
})();
if (DEFS === undefined) console.warn('share-state-serde.test.ts: Kafka share-coordinator definitions not found; schema comparison skipped');

interface KafkaField {
  name: string;
  type: string;
  versions: string;
  fields?: KafkaField[];
}

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);
const ourType = (t: string) => (t.startsWith('[]') && !['[]int32', '[]string', '[]int64'].includes(t) ? '[]struct' : t);

function compare(path: string, ours: readonly FieldSpec[], theirs: readonly KafkaField[]): string[] {
  const out: string[] = [];
  if (ours.length !== theirs.length) out.push(`${path}: ${ours.length} fields, Kafka ${theirs.length}`);
  theirs.forEach((k, i) => {
    const o = ours[i];
    if (o === undefined) return;
    if (o.name !== lowerFirst(k.name)) out.push(`${path}[${i}]: ${o.name}, Kafka ${k.name}`);
    if (o.type !== ourType(k.type)) out.push(`${path}.${o.name}: type ${o.type}, Kafka ${k.type}`);
    if (o.versions !== k.versions) out.push(`${path}.${o.name}: versions ${o.versions}, Kafka ${k.versions}`);
    if (k.fields !== undefined) out.push(...compare(`${path}.${o.name}`, o.fields ?? [], k.fields));
  });
  return out;
}

describe.skipIf(DEFS === undefined)("the schemas match Kafka's share-coordinator definitions", () => {
  for (const spec of SHARE_STATE_SCHEMAS) {
    it(spec.name, () => {
      const file = readdirSync(DEFS!).find((f) => f === `${spec.name}.json`)!;
      const json = JSON.parse(readFileSync(join(DEFS!, file), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { validVersions: string; flexibleVersions: string; fields: KafkaField[] };
      expect([spec.validVersions, spec.flexibleVersions]).toEqual([json.validVersions, json.flexibleVersions]);
      expect(compare(spec.name, spec.fields, json.fields)).toEqual([]);
    });
  }
});
