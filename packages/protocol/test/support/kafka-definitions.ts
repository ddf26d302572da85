// Test support: Kafka's own message definitions (clients/*.json from apache/kafka, JSON with //
// line comments), loaded at test time from outside the repo — never vendored — and compared with
// our schemas version by version. The conformance test skips when the directory is absent.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldSpec, MessageSpec } from '../../src/schema/types';
import { inVersions, parseVersions } from '../../src/schema/versions';

export interface KafkaField {
  readonly name: string;
  readonly type: string;
  readonly versions: string;
  readonly nullableVersions?: string;
  readonly taggedVersions?: string;
  readonly tag?: number;
  readonly default?: string;
  readonly fields?: readonly KafkaField[];
}

export interface KafkaMessage {
  readonly apiKey: number;
  readonly type: 'request' | 'response';
  readonly name: string;
  readonly validVersions: string;
  readonly flexibleVersions: string;
  readonly fields: readonly KafkaField[];
  readonly commonStructs?: readonly { name: string; fields: readonly KafkaField[] }[];
}

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where Kafka's clients/*.json live: MQ_KAFKA_MESSAGES_DIR, else `shared/kafka-messages/clients`
 * beside the repository (or beside any directory above it). undefined when none exists.
 */
export function kafkaDefinitionsDir(): string | undefined {
  const fromEnv = process.env.MQ_KAFKA_MESSAGES_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return existsSync(fromEnv) ? fromEnv : undefined;
  for (let dir = PACKAGE_DIR; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'kafka-messages', 'clients');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every request/response definition in `dir`, keyed by `${apiKey}:${type}`. */
export function loadKafkaMessages(dir: string): Map<string, KafkaMessage> {
  const out = new Map<string, KafkaMessage>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json')) continue;
    // Comments are whole lines in these files; a "//" inside a string value stays untouched.
    const text = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('//'))
      .join('\n');
    const m = JSON.parse(text) as KafkaMessage;
    if (m.type === 'request' || m.type === 'response') out.set(`${m.apiKey}:${m.type}`, m);
  }
  return out;
}

const PRIMITIVES = new Set(['bool', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'float64', 'string', 'bytes', 'records', 'uuid']);

/** Our field-type word for a Kafka type: struct names become 'struct' / '[]struct'. */
function ourType(kafkaType: string): string {
  const element = kafkaType.startsWith('[]') ? kafkaType.slice(2) : kafkaType;
  const mapped = PRIMITIVES.has(element) ? element : 'struct';
  return kafkaType.startsWith('[]') ? `[]${mapped}` : mapped;
}

const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const has = (spec: string | undefined, v: number) => inVersions(parseVersions(spec), v);

/** The value a reader assumes when a field is absent, as text; null for null. Kafka's rules. */
function kafkaDefault(f: KafkaField): string | null {
  const t = ourType(f.type);
  if (f.default === 'null') return null;
  if (t.startsWith('[]') || t === 'struct') return f.default === undefined ? 'empty' : String(f.default);
  const d = f.default ?? '';
  switch (t) {
    case 'bool':
      return d === 'true' ? 'true' : 'false';
    case 'string':
      return d;
    case 'uuid':
      return 'AAAAAAAAAAAAAAAAAAAAAA';
    case 'int64':
      return (d === '' ? 0n : BigInt(d)).toString();
    default:
      return String(d === '' ? 0 : Number(d));
  }
}

/** Our effective default (compile.ts rules: spec default, else null when nullable, else zero). */
function ourDefault(f: FieldSpec): string | null {
  if (f.default !== undefined) return f.default === null ? null : typeof f.default === 'bigint' ? f.default.toString() : String(f.default);
  if (f.nullableVersions !== undefined) return null;
  if (f.type.startsWith('[]') || f.type === 'struct') return 'empty';
  switch (f.type) {
    case 'bool':
      return 'false';
    case 'string':
      return '';
    case 'uuid':
      return 'AAAAAAAAAAAAAAAAAAAAAA';
    case 'bytes':
    case 'records':
      return 'empty';
    default:
      return '0';
  }
}

function subFields(f: KafkaField, msg: KafkaMessage): readonly KafkaField[] {
  if (f.fields !== undefined) return f.fields;
  const name = f.type.startsWith('[]') ? f.type.slice(2) : f.type;
  return msg.commonStructs?.find((s) => s.name === name)?.fields ?? [];
}

/**
 * Every difference between our fields and Kafka's at `version`, as readable lines: field order of
 * untagged fields, names, types, nullability, tags, and defaults where the wire depends on them
 * (tagged fields are written only when they differ from the default) or where we state one.
 */
export function compareFields(
  ours: readonly FieldSpec[],
  theirs: readonly KafkaField[],
  msg: KafkaMessage,
  version: number,
  flexible: boolean,
  path: string,
  range: { from: number; to: number },
): string[] {
  const problems: string[] = [];
  const at = (name: string) => `${path}.${name} v${version}`;
  const oursHere = ours.filter((f) => has(f.versions, version));
  const theirsHere = theirs.filter((f) => has(f.versions, version));
  const tagged = <T extends { taggedVersions?: string }>(f: T) => flexible && has(f.taggedVersions, version);

  const ourPlain = oursHere.filter((f) => !tagged(f));
  const theirPlain = theirsHere.filter((f) => !tagged(f));
  const ourNames = ourPlain.map((f) => f.name);
  const theirNames = theirPlain.map((f) => camel(f.name));
  if (ourNames.join(',') !== theirNames.join(',')) {
    problems.push(`${path} v${version}: fields [${ourNames.join(', ')}], Kafka has [${theirNames.join(', ')}]`);
  }
  const pairs: [FieldSpec, KafkaField][] = [];
  for (const f of ourPlain) {
    const k = theirPlain.find((t) => camel(t.name) === f.name);
    if (k !== undefined) pairs.push([f, k]);
  }
  const ourTagged = oursHere.filter(tagged);
  const theirTagged = theirsHere.filter(tagged);
  for (const k of theirTagged) {
    const f = ourTagged.find((o) => o.tag === k.tag);
    if (f === undefined) problems.push(`${at(camel(k.name))}: Kafka's tagged field (tag ${k.tag}) is missing`);
    else if (f.name !== camel(k.name)) problems.push(`${at(f.name)}: tag ${k.tag} is ${camel(k.name)} in Kafka`);
    else pairs.push([f, k]);
  }
  for (const f of ourTagged) {
    if (!theirTagged.some((k) => k.tag === f.tag)) problems.push(`${at(f.name)}: tagged (tag ${f.tag}) here, not in Kafka`);
  }

  for (const [f, k] of pairs) {
    const where = at(f.name);
    const kt = ourType(k.type);
    if (f.type !== kt) problems.push(`${where}: type ${f.type}, Kafka ${k.type}`);
    // Over every compared version, not only where the field exists: a nullableVersions wider than
    // Kafka's says something false about the protocol even where it changes no bytes.
    const ourNullable = spanOf(f.nullableVersions, range);
    const theirNullable = spanOf(k.nullableVersions, range);
    if (ourNullable !== theirNullable) problems.push(`${path}.${f.name}: nullable in ${ourNullable || 'no version'}, Kafka ${theirNullable || 'no version'}`);
    // Compared where it reaches the wire or the caller: tagged fields (written only when not the
    // default), and any default either side states (the encoder writes it for an omitted field).
    if ((tagged(f) || f.default !== undefined || k.default !== undefined) && ourDefault(f) !== kafkaDefault(k)) {
      problems.push(`${where}: default ${JSON.stringify(ourDefault(f))}, Kafka ${JSON.stringify(kafkaDefault(k))}`);
    }
    if (kt === 'struct' || kt === '[]struct') problems.push(...compareFields(f.fields ?? [], subFields(k, msg), msg, version, flexible, `${path}.${f.name}`, range));
  }
  return problems;
}

/** The versions of `range` inside `spec`, as "a-b,c" ('' for none), for comparing two ranges. */
function spanOf(spec: string | undefined, range: { from: number; to: number }): string {
  const parts: string[] = [];
  let start = -1;
  for (let v = range.from; v <= range.to + 1; v++) {
    const inside = v <= range.to && has(spec, v);
    if (inside && start < 0) start = v;
    if (!inside && start >= 0) {
      parts.push(start === v - 1 ? `${start}` : `${start}-${v - 1}`);
      start = -1;
    }
  }
  return parts.join(',');
}

/**
 * Every difference between one direction of our schema and Kafka's definition. `newerMax`: the
 * highest version we know from a Kafka newer than the definitions (checked elsewhere); versions
 * above Kafka's and up to it are not compared, any others are a difference.
 */
export function compareMessage(name: string, ours: MessageSpec, theirs: KafkaMessage, newerMax?: number): string[] {
  const problems: string[] = [];
  const our = parseVersions(ours.validVersions);
  const their = parseVersions(theirs.validVersions);
  if (our.min < their.min || our.max > Math.max(their.max, newerMax ?? their.max)) {
    problems.push(`${name}: versions ${ours.validVersions}, Kafka ${theirs.validVersions}`);
  }
  if (newerMax !== undefined && newerMax <= their.max) {
    problems.push(`${name}: Kafka's definitions now cover v${newerMax}: drop it from the newer-versions list`);
  }
  const from = Math.max(our.min, their.min);
  const to = Math.min(our.max, their.max);
  for (let v = from; v <= to; v++) {
    const flexible = has(ours.flexibleVersions, v);
    if (flexible !== has(theirs.flexibleVersions, v)) {
      problems.push(`${name} v${v}: ${flexible ? '' : 'not '}flexible, Kafka ${flexible ? 'not ' : ''}flexible`);
      continue;
    }
    problems.push(...compareFields(ours.fields, theirs.fields, theirs, v, flexible, name, { from, to }));
  }
  return [...new Set(problems)];
}
