// Serializer and deserializer for the Confluent wire format over any schema source (the registry
// in-process, or a REST client): encode a value with a registered schema id, decode framed bytes
// back to a value. Parsed schemas are cached by id.
import type { AvroSchema } from './avro/avro-schema.js';
import type { JsonSchema } from './json/json-schema.js';
import { parseSchema, parseSchemaType } from './providers.js';
import type { ProtobufSchema } from './protobuf/protobuf-schema.js';
import { verifiableValue } from './protobuf/protobuf-value.js';
import type { ParsedSchema, ResolvedReference, SchemaReference, SchemaType } from './schema-type.js';
import { encodeHeader, HEADER_SIZE, readMessageIndexes, readSchemaId } from './wire-format.js';

/** A schema as the registry returns it (GET /schemas/ids/{id}, GET /subjects/{s}/versions/{v}). */
export interface SchemaText {
  schemaType?: SchemaType | string;
  schema: string;
  references?: readonly SchemaReference[];
}

export interface SchemaSource {
  schemaById(id: number): Promise<SchemaText> | SchemaText;
  schemaByVersion(subject: string, version: number): Promise<SchemaText> | SchemaText;
}

/** A value that does not fit its schema, or bytes that do not decode with it. */
export class SerdeError extends Error {
  override readonly name = 'SerdeError';
}

export interface Decoded {
  schemaId: number;
  value: unknown;
  /** Protobuf: the full name of the message the indexes named. */
  messageName?: string;
}

export class SchemaSerde {
  private readonly cache = new Map<number, Promise<ParsedSchema>>();
  constructor(private readonly source: SchemaSource) {}

  /** The parsed schema registered under `id`, references resolved through the source. */
  schema(id: number): Promise<ParsedSchema> {
    let p = this.cache.get(id);
    if (p === undefined) {
      p = (async () => {
        const text = await this.source.schemaById(id);
        return parseSchema(parseSchemaType(text.schemaType), text.schema, await this.resolve(text.references ?? [], new Set()));
      })();
      p.catch(() => this.cache.delete(id));
      this.cache.set(id, p);
    }
    return p;
  }

  private async resolve(refs: readonly SchemaReference[], path: Set<string>): Promise<ResolvedReference[]> {
    const out: ResolvedReference[] = [];
    for (const ref of refs) {
      const key = `${ref.subject}\u0000${ref.version}`;
      if (path.has(key)) throw new SerdeError(`reference cycle through ${ref.subject} version ${ref.version}`);
      const text = await this.source.schemaByVersion(ref.subject, ref.version);
      const nested = await this.resolve(text.references ?? [], new Set([...path, key]));
      out.push({ name: ref.name, schemaType: parseSchemaType(text.schemaType), schema: text.schema, references: nested });
    }
    return out;
  }

  /** `value` framed with schema `id`; Protobuf picks `messageName` (default: the file's first message). */
  async encode(id: number, value: unknown, options: { messageName?: string } = {}): Promise<Buffer> {
    const schema = await this.schema(id);
    return encodeWith(schema, id, value, options.messageName);
  }

  async decode(bytes: Uint8Array): Promise<Decoded> {
    let id: number;
    try {
      id = readSchemaId(bytes);
    } catch (err) {
      throw new SerdeError((err as Error).message, { cause: err });
    }
    const schema = await this.schema(id);
    return { schemaId: id, ...decodeWith(schema, bytes) };
  }
}

export function encodeWith(schema: ParsedSchema, id: number, value: unknown, messageName?: string): Buffer {
  switch (schema.schemaType) {
    case 'AVRO': {
      const type = (schema as AvroSchema).type;
      const paths: string[] = [];
      if (!type.isValid(value, { errorHook: (path) => paths.push(path.join('.') || '(root)') })) {
        throw new SerdeError(`value does not match the Avro schema at ${paths.join(', ')}`);
      }
      return Buffer.concat([encodeHeader(id), type.toBuffer(value)]);
    }
    case 'JSON': {
      const errors = (schema as JsonSchema).validate(value);
      if (errors.length > 0) throw new SerdeError(`value does not match the JSON Schema: ${errors.join('; ')}`);
      return Buffer.concat([encodeHeader(id), Buffer.from(JSON.stringify(value))]);
    }
    case 'PROTOBUF': {
      const p = schema as ProtobufSchema;
      const all = p.messageIndexes();
      const entry = messageName === undefined ? all[0] : all.find(([name]) => name === messageName);
      if (entry === undefined) throw new SerdeError(messageName === undefined ? 'the schema has no message' : `no message ${messageName} in the schema`);
      const type = p.lookupType(entry[0]);
      // Enum names and 64-bit integers as strings (how decodeWith gives them back) are taken too.
      const input = verifiableValue(type, value) as Record<string, unknown>;
      const problem = type.verify(input);
      if (problem !== null) throw new SerdeError(`value does not match ${entry[0]}: ${problem}`);
      const body = type.encode(type.fromObject(input)).finish();
      return Buffer.concat([encodeHeader(id, entry[1]), body]);
    }
  }
}

/** Decode framed bytes (header already known to be well formed) with `schema`. */
export function decodeWith(schema: ParsedSchema, bytes: Uint8Array): { value: unknown; messageName?: string } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    switch (schema.schemaType) {
      case 'AVRO':
        return { value: (schema as AvroSchema).type.fromBuffer(buf.subarray(HEADER_SIZE)) };
      case 'JSON': {
        const value: unknown = JSON.parse(buf.subarray(HEADER_SIZE).toString('utf8'));
        const errors = (schema as JsonSchema).validate(value);
        if (errors.length > 0) throw new SerdeError(`value does not match the JSON Schema: ${errors.join('; ')}`);
        return { value };
      }
      case 'PROTOBUF': {
        const p = schema as ProtobufSchema;
        const { indexes, next } = readMessageIndexes(buf, HEADER_SIZE);
        const key = indexes.join('.');
        const entry = p.messageIndexes().find(([, ix]) => ix.join('.') === key);
        if (entry === undefined) throw new SerdeError(`message indexes [${key}] name no message of the schema`);
        const type = p.lookupType(entry[0]);
        const message = type.decode(buf.subarray(next));
        return { value: type.toObject(message, { longs: String, enums: String, bytes: String, defaults: false }), messageName: entry[0] };
      }
    }
  } catch (err) {
    if (err instanceof SerdeError) throw err;
    throw new SerdeError(`payload does not decode with schema: ${(err as Error).message}`, { cause: err });
  }
}
