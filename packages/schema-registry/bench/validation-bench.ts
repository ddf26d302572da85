// Broker-side schema validation's cost on the produce path: the same 1,000-record batch of
// Avro-encoded values appended pipelined (fsync off, so the disk is not what is measured) to a topic
// without validation, with schema-id validation, and with the payload check too; uncompressed and
// lz4. Prints msgs/s and CPU per batch; asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Partition, TopicManager } from '@mq/partition';
import { buildRecordBatch, Compression, compressionName } from '@mq/records';
import { register, SchemaSerde } from '@mq/schema';
import { SystemClock } from '@mq/timerwheel';
import { SchemaRegistry, SchemaValidator } from '../src/index.js';

const RECORDS_PER_BATCH = 1_000;
const BATCHES = Number(process.env.BENCH_VALIDATION_BATCHES ?? 500);
const IN_FLIGHT = 32;
const USER = JSON.stringify({
  type: 'record',
  name: 'User',
  namespace: 'bench',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'email', type: 'string' },
    { name: 'score', type: 'double' },
  ],
});
const NO_FSYNC = { 'flush.messages': '9223372036854775807' };
const MODES: Record<string, Record<string, string>> = {
  off: {},
  'schema id': { 'confluent.value.schema.validation': 'true' },
  'id + payload': { 'confluent.value.schema.validation': 'true', 'mq.value.schema.validation.payload': 'true' },
};

async function appendPipelined(p: Partition, template: Buffer, validator: SchemaValidator, topic: Parameters<SchemaValidator['forTopic']>[0]): Promise<void> {
  const pending = new Set<Promise<unknown>>();
  for (let i = 0; i < BATCHES; i++) {
    // As the Produce handler: the check is looked up per request; each append stamps its own copy.
    const pr = p.append(Buffer.from(template), validator.forTopic(topic)).finally(() => pending.delete(pr));
    pending.add(pr);
    if (pending.size >= IN_FLIGHT) await Promise.race(pending);
  }
  await Promise.all(pending);
}

const dir = await mkdtemp(join(tmpdir(), 'mq-validation-bench-'));
const clock = new SystemClock();
const topics = await TopicManager.open({ dataDir: dir, clock });
const registry = await SchemaRegistry.open({ topics, clock });
const validator = new SchemaValidator(registry);
console.log(`schema validation: ${BATCHES} batches × ${RECORDS_PER_BATCH} Avro records, ${IN_FLIGHT} in flight, fsync off`);
let n = 0;
for (const codec of [Compression.none, Compression.lz4]) {
  for (const [mode, configs] of Object.entries(MODES)) {
    const name = `bench-${n++}`;
    const topic = (await topics.createTopic(name, 1, { ...NO_FSYNC, ...configs }))!;
    const { id } = await registry.write('register', (s) => register(s, `${name}-value`, { schema: USER }, false));
    const serde = new SchemaSerde(registry.source);
    const values = await Promise.all(
      Array.from({ length: RECORDS_PER_BATCH }, (_, i) => serde.encode(id, { id: i, name: `user-${i}`, email: `user-${i}@example.com`, score: i / 7 })),
    );
    const template = await buildRecordBatch({ compression: codec, records: values.map((value, i) => ({ key: Buffer.from(`key-${i}`), value })) });
    const cpu = process.cpuUsage();
    const t = performance.now();
    await appendPipelined(topic.partitions[0]!, template, validator, topic);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    const msgs = (BATCHES * RECORDS_PER_BATCH * 1000) / ms;
    console.log(
      `${compressionName(codec).padEnd(5)} ${mode.padEnd(13)} ${(msgs / 1e6).toFixed(2)} M msg/s, ` +
        `${((used.user + used.system) / BATCHES).toFixed(0)} µs CPU per batch (batch ${template.length} B, ${ms.toFixed(0)} ms)`,
    );
  }
}
await registry.close();
await topics.close();
clock.cancelAll();
await rm(dir, { recursive: true, force: true });
