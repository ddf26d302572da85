// What `mq schemas register|check` send: the schema text from --schema-file (or stdin for "-"),
// its type (--type, else .proto files are PROTOBUF and everything else AVRO, as the registry's
// own default), and its references (--reference name=subject:version, or a --references JSON file).
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { SCHEMA_TYPES, type SchemaDefinition, type SchemaReference, type SchemaRegistryClient, type SchemaType } from '@mq/client';
import { UsageError } from './cli-error';

export interface SchemaInputOptions {
  schemaFile: string;
  type?: SchemaType;
  reference?: ReferenceSpec[];
  references?: string;
}

/** A reference as typed on the command line; `latest` is resolved against the registry. */
export interface ReferenceSpec {
  readonly name: string;
  readonly subject: string;
  readonly version: number | 'latest';
}

export function parseSchemaType(value: string): SchemaType {
  const t = value.toUpperCase();
  if ((SCHEMA_TYPES as readonly string[]).includes(t)) return t as SchemaType;
  throw new InvalidArgumentError(`must be one of ${SCHEMA_TYPES.join(', ')}.`);
}

/** `name=subject:version` (version a number or latest), repeatable. */
export function collectReference(value: string, previous: ReferenceSpec[] = []): ReferenceSpec[] {
  const m = /^([^=]+)=(.+):(\d+|latest)$/.exec(value);
  if (!m) throw new InvalidArgumentError(`"${value}" is not name=subject:version (e.g. other.proto=other-value:1 or com.acme.Address=address-value:latest).`);
  const version = m[3] === 'latest' ? 'latest' : Number(m[3]);
  if (version !== 'latest' && (version < 1 || !Number.isSafeInteger(version))) throw new InvalidArgumentError(`reference version must be 1 or more: "${value}".`);
  return [...previous, { name: m[1]!, subject: m[2]!, version }];
}

async function readText(path: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of stdin as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

async function referencesFile(path: string, stdin: NodeJS.ReadableStream): Promise<ReferenceSpec[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readText(path, stdin));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--references ${path} is not JSON: ${(err as Error).message}`);
  }
  const shape = 'a JSON array of {"name", "subject", "version"} objects';
  if (!Array.isArray(doc)) throw new UsageError(`--references ${path}: want ${shape}`);
  return doc.map((r: unknown, i) => {
    const o = r as { name?: unknown; subject?: unknown; version?: unknown };
    const versionOk = o?.version === 'latest' || (typeof o?.version === 'number' && Number.isSafeInteger(o.version) && o.version >= 1);
    if (typeof o?.name !== 'string' || typeof o.subject !== 'string' || !versionOk) throw new UsageError(`--references ${path}: entry ${i} is not {"name", "subject", "version"} (${shape})`);
    return { name: o.name, subject: o.subject, version: o.version as number | 'latest' };
  });
}

/** The definition to POST; `latest` references become the subject's latest version number. */
export async function readSchemaInput(opts: SchemaInputOptions, stdin: NodeJS.ReadableStream, registry: SchemaRegistryClient): Promise<SchemaDefinition> {
  if (opts.schemaFile === '-' && opts.references === '-') throw new UsageError('--schema-file and --references cannot both read stdin');
  const schema = await readText(opts.schemaFile, stdin);
  if (schema.trim() === '') throw new UsageError(`${opts.schemaFile === '-' ? 'stdin' : opts.schemaFile} is empty: no schema to send`);
  const schemaType = opts.type ?? (opts.schemaFile.endsWith('.proto') ? 'PROTOBUF' : 'AVRO');
  const specs = [...(opts.reference ?? []), ...(opts.references === undefined ? [] : await referencesFile(opts.references, stdin))];
  const references: SchemaReference[] = [];
  for (const r of specs) {
    const version = r.version === 'latest' ? (await registry.getVersion(r.subject, 'latest')).version : r.version;
    references.push({ name: r.name, subject: r.subject, version });
  }
  return { schema, schemaType, references };
}
