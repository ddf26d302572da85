// Broker-side schema validation (Confluent Server's schema ID validation, plus mq's optional payload
// check): on a topic with confluent.{key,value}.schema.validation=true every non-null key / value of
// a produced batch must carry the wire format with a schema id registered (live) under the subject
// its strategy names, and — with mq.{key,value}.schema.validation.payload — decode with that schema.
// Null keys and values pass (tombstones), as Confluent's. One failing record fails the whole batch.
// A cluster member without a replica of `_schemas` checks against schemas fetched from its leader
// (RemoteSchemas, cached) instead of a view of its own.
import { InvalidRecordError, type RecordError } from '@mq/errors';
import type { BatchCheck, SchemaValidationConfig, Topic } from '@mq/partition';
import {
  ATTRIBUTES_OFFSET,
  COMPRESSION_CODEC_MASK,
  Compression,
  type CompressionCodec,
  decompress,
  RECORD_BATCH_OVERHEAD,
  RECORDS_COUNT_OFFSET,
} from '@mq/records';
import type { RegistryForwarder } from '../rest/registry-forwarding.js';
import type { SchemaRegistry } from '../schema-registry.js';
import { forEachKeyValue } from './record-fields.js';
import { idOf, recordProblem, type SchemaLookup, type Verdict } from './record-problem.js';
import { RemoteSchemas } from './remote-schemas.js';

/** At most this many per-record reasons go into the batch's message (all go into record_errors). */
const MESSAGE_ERRORS = 3;
/** How long a batch with unknown ids waits for this broker's view to replay what its replica has fetched (cluster). */
const CATCH_UP_MS = 2_000;

export interface SchemaValidatorOptions {
  /** A cluster member's forwarding: where no replica of `_schemas` is, schemas are fetched from its leader through it. */
  readonly forwarder?: RegistryForwarder;
  /** The brokers holding a replica of `_schemas`, to fetch from when its leader cannot answer; default the leader alone. */
  readonly replicas?: () => readonly number[];
}

export class SchemaValidator {
  private readonly remote: RemoteSchemas | undefined;

  constructor(
    private readonly registry: SchemaRegistry,
    opts: SchemaValidatorOptions = {},
  ) {
    const replicas = opts.replicas ?? (() => []);
    const sources = () => {
      const leader = registry.leader;
      return leader === undefined ? replicas() : [leader, ...replicas().filter((n) => n !== leader)];
    };
    this.remote = opts.forwarder === undefined ? undefined : new RemoteSchemas({ forwarder: opts.forwarder, sources, writesForwarded: () => registry.writesForwarded });
  }

  /** The check for `topic`'s produced batches, or undefined when neither side is validated. */
  forTopic(topic: Topic): BatchCheck | undefined {
    const { keySchemaValidation: key, valueSchemaValidation: value } = topic.config;
    if (!key.enabled && !value.enabled) return undefined;
    const name = topic.name;
    return (batch) => this.check(name, key, value, batch);
  }

  /** Throws (or rejects) InvalidRecordError naming every record that fails; nothing else is changed. */
  check(topic: string, key: SchemaValidationConfig, value: SchemaValidationConfig, batch: Buffer): void | Promise<void> {
    const codec = batch.readInt16BE(ATTRIBUTES_OFFSET) & COMPRESSION_CODEC_MASK;
    const count = batch.readInt32BE(RECORDS_COUNT_OFFSET);
    const body = batch.subarray(RECORD_BATCH_OVERHEAD);
    if (codec === Compression.none) return this.checkRecords(topic, key, value, count, body);
    return decompress(codec as CompressionCodec, body).then((records) => this.checkRecords(topic, key, value, count, records));
  }

  private checkRecords(topic: string, key: SchemaValidationConfig, value: SchemaValidationConfig, count: number, body: Buffer): void | Promise<void> {
    const remote = this.remote;
    if (remote !== undefined && this.registry.followsReplica && !this.registry.servesReads) return this.checkRemotely(remote, topic, key, value, count, body);
    const errors = this.findErrors(topic, key, value, count, body);
    if (errors.length === 0) return;
    if (!this.registry.followsReplica) throw this.refusal(topic, count, errors);
    // In a cluster the ids may be newer than this broker's view: a schema registered a moment ago is
    // in this replica's log, its commit not yet known here. Once the view has what the replica has, once more.
    return this.registry.catchUpWithReplica(CATCH_UP_MS).then((advanced) => {
      const left = advanced ? this.findErrors(topic, key, value, count, body) : errors;
      if (left.length > 0) throw this.refusal(topic, count, left);
    });
  }

  /** No replica here: the batch's ids are fetched from the leader (those not cached), then checked as against a view. */
  private async checkRemotely(remote: RemoteSchemas, topic: string, key: SchemaValidationConfig, value: SchemaValidationConfig, count: number, body: Buffer): Promise<void> {
    const ids = new Set<number>();
    forEachKeyValue(body, count, (_i, k, v) => {
      const keyId = key.enabled ? idOf(k) : undefined;
      const valueId = value.enabled ? idOf(v) : undefined;
      if (keyId !== undefined) ids.add(keyId);
      if (valueId !== undefined) ids.add(valueId);
    });
    await remote.ensure(ids).catch((err: unknown) => {
      throw new InvalidRecordError(`schema validation is on but the schema registry is not available on this broker: ${(err as Error).message}`, { cause: err });
    });
    const errors = this.errorsIn(remote, topic, key, value, count, body);
    if (errors.length > 0) throw this.refusal(topic, count, errors);
  }

  private findErrors(topic: string, key: SchemaValidationConfig, value: SchemaValidationConfig, count: number, body: Buffer): RecordError[] {
    return this.readState((state) => this.errorsIn(state, topic, key, value, count, body));
  }

  private errorsIn(state: SchemaLookup, topic: string, key: SchemaValidationConfig, value: SchemaValidationConfig, count: number, body: Buffer): RecordError[] {
    // Per batch: an id's registration verdict is the same for every record carrying it.
    const keyMemo = new Map<number, Verdict>();
    const valueMemo = new Map<number, Verdict>();
    const out: RecordError[] = [];
    forEachKeyValue(body, count, (i, k, v) => {
      const problem = (key.enabled ? recordProblem(state, topic, 'key', key, k, keyMemo) : null) ?? (value.enabled ? recordProblem(state, topic, 'value', value, v, valueMemo) : null);
      if (problem !== null) out.push({ batchIndex: i, message: `record ${i}: ${problem}` });
    });
    return out;
  }

  private refusal(topic: string, count: number, errors: RecordError[]): InvalidRecordError {
    const shown = errors.slice(0, MESSAGE_ERRORS).map((e) => e.message);
    return new InvalidRecordError(
      `Schema validation of topic ${topic} rejected ${errors.length} of ${count} records${errors.length > MESSAGE_ERRORS ? ', the first three' : ''}: [${shown.join('; ')}]`,
      { recordErrors: errors },
    );
  }

  private readState<T>(query: (state: SchemaLookup) => T): T {
    try {
      return this.registry.read(query);
    } catch (err) {
      // The registry is not loaded here (starting, or its partition led elsewhere): nothing can be checked.
      throw new InvalidRecordError(`schema validation is on but the schema registry is not available on this broker: ${(err as Error).message}`, { cause: err });
    }
  }
}
