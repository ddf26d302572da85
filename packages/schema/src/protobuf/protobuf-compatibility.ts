// Protobuf compatibility on the wire, in Confluent's Difference vocabulary: can bytes written with
// `writer` be parsed with `reader`? Fields match by number (names may change). Rules:
//   PACKAGE_CHANGED; MESSAGE_REMOVED (a writer message the reader lacks — message indexes name it)
//   FIELD_KIND_CHANGED (scalar ↔ message ↔ enum ↔ map)
//   FIELD_SCALAR_KIND_CHANGED outside the wire-compatible groups {int32,uint32,int64,uint64,bool},
//     {sint32,sint64}, {string,bytes}, {fixed32,sfixed32}, {fixed64,sfixed64}
//   FIELD_NAMED_TYPE_CHANGED (a message/enum field now names another type); referenced message types
//     are compared recursively
//   FIELD_LABEL_CHANGED (singular ↔ repeated, allowed only for string, bytes and message fields)
//   REQUIRED_FIELD_ADDED (proto2: the reader requires a field the writer may omit)
//   ONEOF_FIELD_REMOVED (a writer oneof member gone or moved out), MULTIPLE_FIELDS_MOVED_TO_ONEOF,
//     FIELD_MOVED_TO_EXISTING_ONEOF
//   RESERVED_FIELD_REUSED (stricter than Confluent: the newer schema has a field whose number or
//     name the older one reserves — reserved marks numbers that older data may still carry)
// Removed and added fields and enum constants are compatible (unknown fields are skipped).
import type protobuf from 'protobufjs';
import type { Incompatibility } from '../schema-type.js';
import { type ProtobufSchema, typesOf } from './protobuf-schema.js';

const SCALAR_GROUPS: readonly (readonly string[])[] = [
  ['int32', 'uint32', 'int64', 'uint64', 'bool'],
  ['sint32', 'sint64'],
  ['string', 'bytes'],
  ['fixed32', 'sfixed32'],
  ['fixed64', 'sfixed64'],
];
const LENGTH_DELIMITED = new Set(['string', 'bytes']);

export function protobufIncompatibilities(reader: ProtobufSchema, writer: ProtobufSchema, newer: 'reader' | 'writer' = 'reader'): Incompatibility[] {
  const out: Incompatibility[] = [];
  const report = (type: string, location: string, message = '') => out.push({ type, location, message });
  if (reader.packageName !== writer.packageName) report('PACKAGE_CHANGED', '#/');
  const visited = new Set<string>();
  const walk = (writerNs: protobuf.NamespaceBase, path: string) => {
    for (const wt of typesOf(writerNs)) {
      const name = path === '' ? wt.name : `${path}.${wt.name}`;
      const rt = lookupRelative(reader, name);
      if (rt === null) {
        report('MESSAGE_REMOVED', `#/${name}`);
        continue;
      }
      compareMessage(rt, writer.lookupType(wt.fullName), `#/${name}`, report, visited, newer);
      walk(wt, name);
    }
  };
  walk(writer.packageNamespace(writer.file), '');
  return out;
}

function lookupRelative(schema: ProtobufSchema, name: string): protobuf.Type | null {
  const full = schema.packageName === '' ? name : `${schema.packageName}.${name}`;
  const found = schema.file.lookup(full);
  if (found === null || !('fieldsArray' in found)) return null;
  return schema.lookupType(full);
}

type Report = (type: string, location: string, message?: string) => void;

function kindOf(f: protobuf.Field): 'map' | 'message' | 'enum' | 'scalar' {
  if (f.map) return 'map';
  const rt = f.resolvedType;
  if (rt === null) return 'scalar';
  return 'fieldsArray' in rt ? 'message' : 'enum';
}

function realOneof(f: protobuf.Field): protobuf.OneOf | null {
  const o = f.partOf;
  if (o === null) return null;
  // proto3 `optional` is a synthetic one-member oneof named _field; it is not a oneof to the wire.
  return o.fieldsArray.length === 1 && o.name === `_${f.name}` ? null : o;
}

function isReserved(t: protobuf.Type, f: protobuf.Field): boolean {
  for (const r of t.reserved ?? []) {
    if (typeof r === 'string' ? r === f.name : f.id >= r[0]! && f.id <= r[1]!) return true;
  }
  return false;
}

function compareMessage(reader: protobuf.Type, writer: protobuf.Type, location: string, report: Report, visited: Set<string>, newer: 'reader' | 'writer'): void {
  const key = `${reader.fullName}\u0000${writer.fullName}`;
  if (visited.has(key)) return;
  visited.add(key);
  const [newType, oldType] = newer === 'reader' ? [reader, writer] : [writer, reader];
  for (const f of newType.fieldsArray) if (isReserved(oldType, f)) report('RESERVED_FIELD_REUSED', `${location}/${f.id}`);
  const movedToNewOneof = new Map<string, number>();
  for (const rf of reader.fieldsArray) {
    const where = `${location}/${rf.id}`;
    const wf = writer.fieldsById[rf.id];
    if (wf === undefined) {
      if (rf.required) report('REQUIRED_FIELD_ADDED', where);
      continue;
    }
    if (rf.required && !wf.required) report('REQUIRED_FIELD_ADDED', where);
    compareField(rf, wf, where, report, visited, newer);
    const ro = realOneof(rf);
    const wo = realOneof(wf);
    if (wo !== null && (ro === null || ro.name !== wo.name)) report('ONEOF_FIELD_REMOVED', where);
    if (ro !== null && wo === null) {
      const existed = writer.oneofs?.[ro.name] !== undefined;
      if (existed) report('FIELD_MOVED_TO_EXISTING_ONEOF', where);
      else movedToNewOneof.set(ro.name, (movedToNewOneof.get(ro.name) ?? 0) + 1);
    }
  }
  for (const wf of writer.fieldsArray) {
    const wo = realOneof(wf);
    if (wo !== null && reader.fieldsById[wf.id] === undefined) report('ONEOF_FIELD_REMOVED', `${location}/${wf.id}`);
  }
  for (const [name, count] of movedToNewOneof) if (count > 1) report('MULTIPLE_FIELDS_MOVED_TO_ONEOF', `${location}/${name}`);
}

function compareField(rf: protobuf.Field, wf: protobuf.Field, where: string, report: Report, visited: Set<string>, newer: 'reader' | 'writer'): void {
  const rk = kindOf(rf);
  const wk = kindOf(wf);
  if (rk !== wk) {
    report('FIELD_KIND_CHANGED', where);
    return;
  }
  const repeated = (f: protobuf.Field) => f.repeated && !f.map;
  if (repeated(rf) !== repeated(wf) && !(rk === 'message' || (rk === 'scalar' && LENGTH_DELIMITED.has(rf.type) && LENGTH_DELIMITED.has(wf.type)))) {
    report('FIELD_LABEL_CHANGED', where);
  }
  if (rk === 'map') {
    if (!scalarCompatible((rf as unknown as protobuf.MapField).keyType, (wf as unknown as protobuf.MapField).keyType)) report('FIELD_SCALAR_KIND_CHANGED', `${where}/key`);
  }
  const rt = rf.resolvedType;
  const wt = wf.resolvedType;
  if (rt === null || wt === null) {
    if (rt === null && wt === null && !scalarCompatible(rf.type, wf.type)) report('FIELD_SCALAR_KIND_CHANGED', where);
    else if ((rt === null) !== (wt === null)) report('FIELD_KIND_CHANGED', where);
    return;
  }
  if (rt.fullName !== wt.fullName) {
    report('FIELD_NAMED_TYPE_CHANGED', where);
    return;
  }
  if ('fieldsArray' in rt && 'fieldsArray' in wt) compareMessage(rt as protobuf.Type, wt as protobuf.Type, where, report, visited, newer);
}

function scalarCompatible(a: string, b: string): boolean {
  return a === b || SCALAR_GROUPS.some((g) => g.includes(a) && g.includes(b));
}
