// The declarative schema format: one ApiSchema per Kafka API covers every version, read by the
// one generic encoder/decoder. Mirrors Kafka's common/message/*.json (validVersions,
// flexibleVersions, per-field versions / nullableVersions / taggedVersions).

/** A version range as Kafka writes it: "0+", "3-7", "5", or "none". */
export type Versions = string;

export type PrimitiveType =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  /** RecordBatch bytes: decoded as a Buffer slice, encoded from a Buffer or a list of Buffers (zero copy). */
  | 'records'
  | 'uuid';

export type FieldType = PrimitiveType | `[]${PrimitiveType}` | 'struct' | '[]struct';

export interface FieldSpec {
  /** camelCase property name on the decoded object (Kafka's PascalCase name, first letter lowered). */
  readonly name: string;
  readonly type: FieldType;
  readonly versions: Versions;
  readonly nullableVersions?: Versions;
  /** Tagged fields exist only in flexible versions and are written in the tagged-field section. */
  readonly taggedVersions?: Versions;
  readonly tag?: number;
  /** Value used when the field is absent in a version or omitted by the caller. */
  readonly default?: boolean | number | string | bigint | null;
  /** Sub-fields for 'struct' and '[]struct'. */
  readonly fields?: readonly FieldSpec[];
}

export interface MessageSpec {
  readonly validVersions: Versions;
  readonly flexibleVersions: Versions;
  readonly fields: readonly FieldSpec[];
}

export interface ApiSchema {
  readonly apiKey: number;
  /** Kafka's name, e.g. "Produce", "JoinGroup". */
  readonly name: string;
  readonly request: MessageSpec;
  readonly response: MessageSpec;
}
