// Client-side serdes for the Confluent wire format over a schema registry: @mq/schema's SchemaSerde
// (parsed schemas cached by id) with the subject → latest id step a producer needs. Encoding
// validates the value against the schema first; decoding returns the value and the schema id.
import { type Decoded, encodeWith, type ParsedSchema, SchemaSerde, type SchemaSource } from '@mq/schema';

export interface EncodeOptions {
  /** Encode with this id instead of the subject's latest version. */
  readonly schemaId?: number;
  /** Protobuf: the message to encode (default: the schema's first). */
  readonly messageName?: string;
}

/** A schema ready to encode with: its id and parsed form (encode() is then synchronous). */
export interface SchemaEncoder {
  readonly id: number;
  readonly schema: ParsedSchema;
  encode(value: unknown): Buffer;
}

export class SchemaSerdes {
  private readonly serde: SchemaSerde;

  constructor(private readonly registry: SchemaSource & { latestId(subject: string): Promise<number> }) {
    this.serde = new SchemaSerde(registry);
  }

  /** The encoder for `subject`'s latest version (or `options.schemaId`); throws SerdeError per bad value. */
  async encoderFor(subject: string, options: EncodeOptions = {}): Promise<SchemaEncoder> {
    const id = options.schemaId ?? (await this.registry.latestId(subject));
    const schema = await this.serde.schema(id);
    return { id, schema, encode: (value) => encodeWith(schema, id, value, options.messageName) };
  }

  async encode(subject: string, value: unknown, options: EncodeOptions = {}): Promise<Buffer> {
    return (await this.encoderFor(subject, options)).encode(value);
  }

  /** Framed bytes → the value (schema fetched by the id they carry, once). Throws SerdeError. */
  decode(bytes: Uint8Array): Promise<Decoded> {
    return this.serde.decode(bytes);
  }
}
