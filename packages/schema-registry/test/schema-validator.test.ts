// Broker-side schema validation on a real TopicManager and registry in a temp dir: batches appended
// through Partition.append with the SchemaValidator's check — good records stored, a record without
// the wire format / with an id not under the subject / (payload on) not decoding fails the whole
// batch INVALID_RECORD with per-record errors and stores nothing; the three subject name strategies;
// keys; tombstones; compressed batches; soft-deleted versions.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, InvalidRecordError } from '@mq/errors';
import { type Topic, TopicManager } from '@mq/partition';
import { buildRecordBatch, Compression, type RecordInput } from '@mq/records';
import { deleteVersion, encodeHeader, register, SchemaSerde } from '@mq/schema';
import { SystemClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchemaRegistry, SchemaValidator } from '../src/index.js';

const USER = '{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"name","type":"string"}]}';
const ORDER = '{"type":"record","name":"Order","namespace":"com.example","fields":[{"name":"id","type":"long"}]}';
const PROTO = 'syntax = "proto3";\npackage shop;\nmessage Cart { string id = 1; }\nmessage Item { string sku = 1; }\n';

let dataDir: string;
let clock: SystemClock;
let topics: TopicManager;
let registry: SchemaRegistry;
let validator: SchemaValidator;
let serde: SchemaSerde;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'schema-validator-'));
  clock = new SystemClock();
  topics = await TopicManager.open({ dataDir, clock });
  registry = await SchemaRegistry.open({ topics, clock });
  validator = new SchemaValidator(registry);
  serde = new SchemaSerde(registry.source);
});
afterEach(async () => {
  await registry.close();
  await topics.close();
  clock.cancelAll();
  await rm(dataDir, { recursive: true, force: true });
});

async function topic(name: string, configs: Record<string, string>): Promise<Topic> {
  return (await topics.createTopic(name, 1, configs))!;
}

const reg = (subject: string, schema: string, schemaType?: string) =>
  registry.write('register', (s) => register(s, subject, { schema, ...(schemaType ? { schemaType } : {}) }, false)).then((r) => r.id);

async function produce(t: Topic, records: RecordInput[], compression: number = Compression.none) {
  const batch = await buildRecordBatch({ records, compression });
  return t.partitions[0]!.append(batch, validator.forTopic(t));
}

async function rejection(t: Topic, records: RecordInput[], compression: number = Compression.none): Promise<InvalidRecordError> {
  const before = t.partitions[0]!.logEndOffset;
  const err = await produce(t, records, compression).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidRecordError);
  expect((err as InvalidRecordError).errorCode).toBe(ErrorCode.INVALID_RECORD);
  expect(t.partitions[0]!.logEndOffset).toBe(before); // nothing of the batch stored
  return err as InvalidRecordError;
}

const value = (v: Buffer | null, key: Buffer | null = null): RecordInput => ({ key, value: v });

describe('SchemaValidator', () => {
  it('no check for a topic without validation', async () => {
    expect(validator.forTopic(await topic('plain', {}))).toBeUndefined();
  });

  it('TopicNameStrategy: ids under <topic>-value pass; no wire format, an unknown id, or another subject’s id fail the batch', async () => {
    const t = await topic('users', { 'confluent.value.schema.validation': 'true' });
    const id = await reg('users-value', USER);
    const other = await reg('orders-value', ORDER);
    const good = await serde.encode(id, { name: 'ann' });
    expect((await produce(t, [value(good), value(good), value(null)])).baseOffset).toBe(0n);
    const err = await rejection(t, [value(good), value(Buffer.from('plain text')), value(await serde.encode(other, { id: 1 })), value(encodeHeader(999))]);
    expect(err.recordErrors.map((e) => e.batchIndex)).toEqual([1, 2, 3]);
    expect(err.recordErrors[0]!.message).toMatch(/^record 1: value is not in the schema registry's wire format \(unknown magic byte 112/);
    expect(err.recordErrors[1]!.message).toBe(`record 2: value schema id ${other} is not registered under subject users-value (TopicNameStrategy)`);
    expect(err.recordErrors[2]!.message).toBe('record 3: value schema id 999 is not registered');
    expect(err.message).toMatch(/^Schema validation of topic users rejected 3 of 4 records: \[record 1: /);
    expect(t.partitions[0]!.logEndOffset).toBe(3n);
  });

  it('keys: validated on their own subject, null keys pass; values unchecked unless asked', async () => {
    const t = await topic('keyed', { 'confluent.key.schema.validation': 'true' });
    const keyId = await reg('keyed-key', '"string"');
    const k = await serde.encode(keyId, 'k1');
    await produce(t, [value(Buffer.from('anything'), k), value(Buffer.from('x'), null)]);
    const err = await rejection(t, [value(Buffer.from('v'), Buffer.from('raw key'))]);
    expect(err.recordErrors[0]!.message).toMatch(/^record 0: key is not in the schema registry's wire format/);
  });

  it('payload check: the bytes after the header must decode with the schema', async () => {
    const t = await topic('strict', { 'confluent.value.schema.validation': 'true', 'mq.value.schema.validation.payload': 'true' });
    const id = await reg('strict-value', USER);
    await produce(t, [value(await serde.encode(id, { name: 'bo' }))]);
    const truncated = Buffer.concat([encodeHeader(id), Buffer.from([0x40])]); // a string of 32 bytes, none there
    const err = await rejection(t, [value(truncated)]);
    expect(err.recordErrors[0]!.message).toMatch(new RegExp(`^record 0: value does not decode with schema id ${id}: `));
    // Without the payload check the same bytes pass (only the id is checked, as Confluent Server).
    const loose = await topic('loose', { 'confluent.value.schema.validation': 'true' });
    const looseId = await reg('loose-value', USER);
    await produce(loose, [value(Buffer.concat([encodeHeader(looseId), Buffer.from([0x40])]))]);
  });

  it('RecordNameStrategy and TopicRecordNameStrategy (short and class names), Avro and Protobuf', async () => {
    const byRecord = await topic('events', {
      'confluent.value.schema.validation': 'true',
      'confluent.value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy',
    });
    const userId = await reg('com.example.User', USER);
    const stray = await reg('events-value', ORDER); // registered, but not under its record name
    await produce(byRecord, [value(await serde.encode(userId, { name: 'c' }))]);
    const err = await rejection(byRecord, [value(await serde.encode(stray, { id: 2 }))]);
    expect(err.recordErrors[0]!.message).toBe(`record 0: value schema id ${stray} is not registered under subject com.example.Order (RecordNameStrategy)`);

    const byTopicRecord = await topic('carts', { 'confluent.value.schema.validation': 'true', 'confluent.value.subject.name.strategy': 'TopicRecordNameStrategy' });
    const protoId = await reg('carts-shop.Item', PROTO, 'PROTOBUF');
    // The message indexes pick the record: Item (index 1) is registered under carts-shop.Item, Cart is not.
    await produce(byTopicRecord, [value(await serde.encode(protoId, { sku: 'a' }, { messageName: 'shop.Item' }))]);
    const cart = await rejection(byTopicRecord, [value(await serde.encode(protoId, { id: 'c' }, { messageName: 'shop.Cart' }))]);
    expect(cart.recordErrors[0]!.message).toBe(`record 0: value schema id ${protoId} is not registered under subject carts-shop.Cart (TopicRecordNameStrategy)`);
  });

  it('compressed batches are decompressed and checked; soft-deleted versions no longer count', async () => {
    const t = await topic('zipped', { 'confluent.value.schema.validation': 'true' });
    const id = await reg('zipped-value', USER);
    const good = await serde.encode(id, { name: 'z' });
    await produce(t, [value(good), value(good)], Compression.gzip);
    await rejection(t, [value(good), value(Buffer.from('nope'))], Compression.gzip);
    await registry.write('delete', (s) => deleteVersion(s, 'zipped-value', 1, false));
    const err = await rejection(t, [value(good)]);
    expect(err.recordErrors[0]!.message).toMatch(/is not registered under subject zipped-value/);
  });

  it('strategy names are validated as topic configs', async () => {
    await expect(topic('bad', { 'confluent.value.subject.name.strategy': 'SubjectStrategy' })).rejects.toThrow(/is not a subject name strategy/);
    await expect(topic('bad2', { 'confluent.value.schema.validation': 'yes' })).rejects.toThrow(/is not true or false/);
  });
});
