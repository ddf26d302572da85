// What every schema type (Avro, JSON Schema, Protobuf) provides: parse text (with its references)
// into a ParsedSchema, compare two for compatibility, and a canonical / normalised text.

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';
export const SCHEMA_TYPES: readonly SchemaType[] = ['AVRO', 'JSON', 'PROTOBUF'];

/** A reference as registered: `name` is how the referencing schema names it (an Avro full name, a JSON `$ref`, a .proto import path). */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** A referenced schema with its text, resolved (recursively) from the registry. */
export interface ResolvedReference {
  name: string;
  schemaType: SchemaType;
  schema: string;
  references: readonly ResolvedReference[];
}

/**
 * One incompatibility: `type` is the rule's name (Avro's SchemaIncompatibilityType, Confluent's JSON
 * and Protobuf Difference types), `location` where it is (a path in the schema), `message` the detail.
 */
export interface Incompatibility {
  type: string;
  location: string;
  message: string;
}

export interface ParsedSchema {
  readonly schemaType: SchemaType;
  /** The registered text, whitespace-insensitive: identical canonical texts are the same schema. */
  readonly canonical: string;
  /** The canonical form per type for `normalize=true`: equivalent schemas normalise to the same text. */
  normalized(): string;
  /**
   * For a type whose one schema has more than one registered form (Protobuf: .proto text and a
   * serialized FileDescriptorProto), a text every form of it shares: such registrations get one id
   * and one version. Absent: `canonical` alone decides.
   */
  identity?(): string;
}

export interface SchemaProvider<P extends ParsedSchema = ParsedSchema> {
  readonly schemaType: SchemaType;
  /** Throws RegistryError(INVALID_SCHEMA) naming what is wrong. */
  parse(schema: string, references: readonly ResolvedReference[]): P;
  /**
   * What makes data written with `writer` unreadable (or unaccepted) by `reader`; empty when
   * compatible. `newer` says which of the two is the later schema (rules about evolution, such as
   * Protobuf's reserved numbers, need it); BACKWARD checks pass 'reader', FORWARD 'writer'.
   */
  incompatibilities(reader: P, writer: P, newer?: 'reader' | 'writer'): Incompatibility[];
}
