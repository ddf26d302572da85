// What is wrong with one record's key or value under a topic's schema validation, or null: the
// wire format, the id's registration under the subject its strategy names, and (when asked) whether
// the payload decodes with the schema. Each answer says what was expected, for the producer.
import type { SchemaValidationConfig } from '@mq/partition';
import { decodeWith, HEADER_SIZE, MAGIC_BYTE, type ParsedSchema, type RegistryState, readSchemaId, recordNameOfPayload, SerdeError, subjectName } from '@mq/schema';

export type Side = 'key' | 'value';

/** What a record's check reads: a RegistryState (this broker's view), or schemas fetched from the leader (RemoteSchemas). */
export type SchemaLookup = Pick<RegistryState, 'schemaById' | 'isLiveUnder' | 'parsed'>;

/** An id's answer for one side of a batch: the registration problem (null: fine) and, for the payload check, its schema. */
export interface Verdict {
  readonly problem: string | null;
  readonly parsed: ParsedSchema | undefined;
}

/**
 * `memo` (one per side and batch) keeps each id's registration verdict, so a batch of records with
 * the same id reads the registry once. Under RecordNameStrategy a Protobuf subject depends on the
 * record's message indexes, so those verdicts are not memoised.
 */
export function recordProblem(
  state: SchemaLookup,
  topic: string,
  side: Side,
  config: SchemaValidationConfig,
  bytes: Buffer | null,
  memo: Map<number, Verdict>,
): string | null {
  if (bytes === null) return null; // tombstones and null keys pass, as Confluent's
  if (bytes.length < HEADER_SIZE || bytes[0] !== MAGIC_BYTE) return `${side} is not in the schema registry's wire format (${wireFormatProblem(bytes)})`;
  const id = framedId(bytes);
  let verdict = memo.get(id);
  if (verdict === undefined) {
    const stored = state.schemaById(id);
    verdict =
      stored === undefined
        ? { problem: `${side} schema id ${id} is not registered`, parsed: undefined }
        : { problem: registrationProblem(state, topic, side, config, id, bytes), parsed: config.payload ? state.parsed(stored) : undefined };
    const perRecord = config.subjectNameStrategy !== 'TopicNameStrategy' && stored?.schemaType === 'PROTOBUF';
    if (!perRecord) memo.set(id, verdict);
  }
  if (verdict.problem !== null || verdict.parsed === undefined) return verdict.problem;
  try {
    decodeWith(verdict.parsed, bytes);
    return null;
  } catch (err) {
    if (err instanceof SerdeError) return `${side} does not decode with schema id ${id}: ${err.message}`;
    throw err;
  }
}

/** The 4-byte big-endian id after the magic byte, inline (no Buffer view per record); the caller checked the header's length. */
export function framedId(bytes: Buffer): number {
  return ((bytes[1]! << 24) | (bytes[2]! << 16) | (bytes[3]! << 8) | bytes[4]!) >>> 0;
}

/** The schema id of a framed key / value, or undefined for one that is not framed. */
export function idOf(bytes: Buffer | null): number | undefined {
  return bytes !== null && bytes.length >= HEADER_SIZE && bytes[0] === MAGIC_BYTE ? framedId(bytes) : undefined;
}

/** What readSchemaId says about bytes that are not framed. */
function wireFormatProblem(bytes: Buffer): string {
  try {
    readSchemaId(bytes);
    return 'unreadable header';
  } catch (err) {
    return (err as Error).message;
  }
}

function registrationProblem(state: SchemaLookup, topic: string, side: Side, config: SchemaValidationConfig, id: number, bytes: Buffer): string | null {
  let subject: string;
  if (config.subjectNameStrategy === 'TopicNameStrategy') {
    subject = subjectName('TopicNameStrategy', topic, side === 'key');
  } else {
    let recordName: string;
    try {
      recordName = recordNameOfPayload(state.parsed(state.schemaById(id)!), bytes);
    } catch (err) {
      return `${side} schema id ${id} names no record for ${config.subjectNameStrategy} (${(err as Error).message})`;
    }
    subject = subjectName(config.subjectNameStrategy, topic, side === 'key', recordName);
  }
  return state.isLiveUnder(subject, id) ? null : `${side} schema id ${id} is not registered under subject ${subject} (${config.subjectNameStrategy})`;
}
