// `mq produce|consume --schema-registry`: values in the Confluent wire format (magic 0, the 4-byte
// schema id, Protobuf message indexes, the payload). Produce reads each value as JSON and encodes it
// with the subject's latest schema (or --schema-id); consume decodes each value with the schema its
// id names and hands it on as JSON text, so templates and -o json print the value itself.
import { type Command, Option } from 'commander';
import { type ConsumerRecord, SchemaSerdes, SerdeError } from '@mq/client';
import { CliExit, UsageError } from './cli-error';
import type { CliContext } from './context';
import type { Encoding } from './encoding';
import { parseIntOption } from './parse';

export interface SchemaValueOptions {
  /** true: `--schema-registry` without a URL (then $MQ_SCHEMA_REGISTRY or the profile's). */
  schemaRegistry?: string | true;
  valueSubject?: string;
  schemaId?: number;
  messageName?: string;
}

const REGISTRY_HELP = "encode/decode values with the schema registry (mq: the broker's HTTP listener); without a URL: $MQ_SCHEMA_REGISTRY, else the profile's";

export function registerSchemaValueOptions(cmd: Command, direction: 'produce' | 'consume'): Command {
  cmd.addOption(new Option('--schema-registry [url]', REGISTRY_HELP));
  if (direction === 'consume') return cmd;
  return cmd
    .option('--value-subject <subject>', 'encode with this subject\'s latest schema (default <topic>-value; implies --schema-registry)')
    .option('--schema-id <id>', 'encode with the schema of this id instead (implies --schema-registry)', parseIntOption(0, 2_147_483_647))
    .option('--message-name <name>', 'Protobuf: the message each value is (default the schema\'s first), e.g. shop.Item');
}

function schemaMode(opts: SchemaValueOptions): boolean {
  return opts.schemaRegistry !== undefined || opts.valueSubject !== undefined || opts.schemaId !== undefined;
}

function checkEncoding(encoding: Encoding): void {
  if (encoding !== 'utf8' && encoding !== 'json') throw new UsageError(`--schema-registry values are JSON: drop --value-encoding ${encoding}`);
}

/** Turns one input value (JSON text) into wire-format bytes; undefined when schemas are off. */
export type ValueSerializer = (raw: Buffer, line: number) => Buffer;

export async function valueSerializer(c: CliContext, topic: string, opts: SchemaValueOptions & { valueEncoding: Encoding }): Promise<ValueSerializer | undefined> {
  if (!schemaMode(opts)) {
    if (opts.messageName !== undefined) throw new UsageError('--message-name goes with --schema-registry');
    return undefined;
  }
  checkEncoding(opts.valueEncoding);
  const registry = await c.schemaRegistry(opts.schemaRegistry === true ? undefined : opts.schemaRegistry);
  const subject = opts.valueSubject ?? `${topic}-value`;
  const encoder = await new SchemaSerdes(registry).encoderFor(subject, { schemaId: opts.schemaId, messageName: opts.messageName });
  const which = opts.schemaId !== undefined ? `schema id ${encoder.id}` : `${subject} (schema id ${encoder.id})`;
  if (opts.messageName !== undefined && encoder.schema.schemaType !== 'PROTOBUF') throw new UsageError(`--message-name is for Protobuf; ${which} is ${encoder.schema.schemaType}`);
  return (raw, line) => {
    let value: unknown;
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new UsageError(`input record ${line}: the value is not valid JSON (--schema-registry encodes JSON values)`);
    }
    try {
      return encoder.encode(value);
    } catch (err) {
      if (err instanceof SerdeError) throw new UsageError(`input record ${line}: ${err.message} (${which})`);
      throw err;
    }
  };
}

/** Decodes a polled batch's values to JSON text; undefined when schemas are off. */
export type ValueDeserializer = (records: readonly ConsumerRecord[]) => Promise<ConsumerRecord[]>;

export async function valueDeserializer(c: CliContext, opts: SchemaValueOptions & { valueEncoding: Encoding }): Promise<ValueDeserializer | undefined> {
  if (opts.schemaRegistry === undefined) return undefined;
  checkEncoding(opts.valueEncoding);
  const serdes = new SchemaSerdes(await c.schemaRegistry(opts.schemaRegistry === true ? undefined : opts.schemaRegistry));
  return async (records) => {
    const out: ConsumerRecord[] = [];
    for (const r of records) {
      if (r.value === null) {
        out.push(r);
        continue;
      }
      let decoded: unknown;
      try {
        decoded = (await serdes.decode(r.value)).value;
      } catch (err) {
        // A value we cannot show as what it is stops the run (as a Kafka deserializer does), naming the record.
        if (err instanceof Error && !(err as { retriable?: boolean }).retriable) {
          throw new CliExit(1, `error: ${r.topic} partition ${r.partition} offset ${r.offset}: ${err.message}`);
        }
        throw err;
      }
      // Field by field: a fetched record's fields are getters, which a spread would not copy.
      out.push({ topic: r.topic, partition: r.partition, offset: r.offset, timestamp: r.timestamp, key: r.key, value: Buffer.from(JSON.stringify(plain(decoded))), headers: r.headers });
    }
    return out;
  };
}

/** JSON-safe: Avro bytes/fixed (Buffers) as base64, longs past 2^53 (bigint) as strings. */
function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) o[k] = plain(v);
    return o;
  }
  return value;
}
