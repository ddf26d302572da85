// `mq produce|consume --schema-registry` through the spawned CLI against a real broker's registry:
// JSON input encoded with Avro, JSON Schema and Protobuf schemas into the Confluent wire format
// (checked byte-wise and decoded by @mq/client's SchemaSerdes), printed back as JSON; a value that
// does not fit stops at its record; a value that is not in the wire format names its offset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { MqClient, SchemaRegistryClient, SchemaSerdes } from '@mq/client';
import { runCli as run } from './run-cli';

/** Each call starts tsx on the sources: slow on a loaded machine. */
const runCli = (args: string[], opts: Parameters<typeof run>[1] = {}) => run(args, { timeoutMs: 120_000, ...opts });

const ORDER = { type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'string' }, { name: 'qty', type: 'int' }, { name: 'note', type: ['null', 'string'], default: null }] };
const ITEM_PROTO = 'syntax = "proto3";\npackage shop;\nmessage Cart { string id = 1; }\nmessage Item { string sku = 1; int32 count = 2; }\n';

let broker: RunningBroker;
let client: MqClient;
let registry: SchemaRegistryClient;
let b: string[];
let url: string;
beforeAll(async () => {
  broker = await startBroker({ port: 0, http: { port: 0 } });
  b = ['-b', `127.0.0.1:${broker.port}`];
  url = `http://127.0.0.1:${broker.http!.port}`;
  registry = new SchemaRegistryClient({ url });
  client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}`, clientId: 'cli-schema-values' });
  await client.admin().createTopics(['orders', 'events', 'items', 'plain'].map((name) => ({ name, numPartitions: 1 })));
});
afterAll(async () => {
  await client?.close();
  await broker?.stop();
});

async function stored(topic: string, n: number): Promise<Array<Buffer | null>> {
  const consumer = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 });
  consumer.assign([{ topic, partition: 0 }]);
  const out: Array<Buffer | null> = [];
  while (out.length < n) for (const r of await consumer.poll()) out.push(r.value);
  await consumer.close();
  return out;
}

describe('mq produce / consume --schema-registry', () => {
  it('Avro: JSON lines in, wire format stored, JSON out; a tombstone stays null', async () => {
    const id = await registry.register('orders-value', { schema: JSON.stringify(ORDER) });
    const input = '{"id":"o-1","qty":2,"note":null}\n{"id":"o-2","qty":5,"note":{"string":"gift"}}\n';
    // Avro's JSON encoding wraps union branches; plain values go through avsc as they are.
    const bad = await runCli([...b, 'produce', 'orders', '--schema-registry', url], { input });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^mq: 1 message\(s\) acknowledged before the failure; resume with --skip-lines 1\nerror: input record 2: value does not match the Avro schema at note \(orders-value \(schema id \d+\)\)\n$/);
    const sent = await runCli([...b, 'produce', 'orders', '--schema-registry', url, '-K', '\t', '-Z'], { input: 'k1\t{"id":"o-2","qty":5,"note":"gift"}\nk2\t\n' });
    expect(sent.code, sent.stderr).toBe(0);

    const values = await stored('orders', 3);
    expect(values[0]!.subarray(0, 5)).toEqual(Buffer.from([0, 0, 0, 0, id]));
    const serdes = new SchemaSerdes(registry);
    expect((await serdes.decode(values[0]!)).value).toEqual({ id: 'o-1', qty: 2, note: null });
    expect((await serdes.decode(values[1]!)).value).toEqual({ id: 'o-2', qty: 5, note: 'gift' });
    expect(values[2]).toBeNull();

    const out = await runCli([...b, '-o', 'json', 'consume', 'orders', '--schema-registry', url, '--offset', 'start', '--exit-at-end']);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { key: string | null; value: unknown });
    expect(lines.map((l) => [l.key, l.value])).toEqual([
      [null, { id: 'o-1', qty: 2, note: null }],
      ['k1', { id: 'o-2', qty: 5, note: 'gift' }],
      ['k2', null],
    ]);
  }, 300_000);

  it('JSON Schema by --schema-id with the URL from MQ_SCHEMA_REGISTRY; templates print the decoded JSON', async () => {
    const schema = JSON.stringify({ type: 'object', properties: { kind: { type: 'string' }, n: { type: 'integer' } }, required: ['kind'] });
    const id = await registry.register('events-schema', { schema, schemaType: 'JSON' });
    const env = { MQ_SCHEMA_REGISTRY: url };
    const sent = await runCli([...b, 'produce', 'events', '--schema-id', String(id)], { input: '{"kind":"click","n":1}\n{"kind":"view"}\n{"n":3}\n', env });
    expect(sent.code).toBe(2);
    expect(sent.stderr).toMatch(new RegExp(`^mq: 2 message\\(s\\) acknowledged before the failure; resume with --skip-lines 2\\nerror: input record 3: value does not match the JSON Schema: .*kind.* \\(schema id ${id}\\)\\n$`));
    const out = await runCli([...b, 'consume', 'events', '--schema-registry', '--offset', 'start', '--exit-at-end', '--format', '{offset} {value}'], { env });
    expect([out.code, out.stdout]).toEqual([0, '0 {"kind":"click","n":1}\n1 {"kind":"view"}\n']);
  }, 300_000);

  it('Protobuf: --message-name picks the message; the indexes travel in the wire format', async () => {
    const id = await registry.register('items-value', { schema: ITEM_PROTO, schemaType: 'PROTOBUF' });
    const sent = await runCli([...b, 'produce', 'items', '--schema-registry', url, '--message-name', 'shop.Item'], { input: '{"sku":"a-1","count":2}\n' });
    expect(sent.code, sent.stderr).toBe(0);
    const [value] = await stored('items', 1);
    // magic, id, indexes [1] (zig-zag varints: count 1, index 1), then the message.
    expect(value!.subarray(0, 7)).toEqual(Buffer.from([0, 0, 0, 0, id, 2, 2]));
    const out = await runCli([...b, 'consume', 'items', '--schema-registry', url, '--offset', 'start', '--exit-at-end']);
    expect([out.code, out.stdout]).toEqual([0, '{"sku":"a-1","count":2}\n']);
    const noSuch = await runCli([...b, 'produce', 'items', '--schema-registry', url, '--message-name', 'shop.Nope'], { input: '{}\n' });
    expect(noSuch.code).toBe(2);
    expect(noSuch.stderr).toMatch(/^mq: 0 message\(s\) acknowledged before the failure; resume with --skip-lines 0\nerror: input record 1: no message shop\.Nope in the schema \(items-value \(schema id \d+\)\)\n$/);
  }, 300_000);

  it('bad usage exits 2; no subject, or a value not in the wire format, exits 1 naming it', async () => {
    const noSubject = await runCli([...b, 'produce', 'plain', '--schema-registry', url], { input: '{}\n' });
    expect([noSubject.code, noSubject.stderr]).toEqual([1, "error: Subject 'plain-value' not found. (HTTP 404, error_code 40401)\n"]);
    const hex = await runCli([...b, 'produce', 'plain', '--schema-registry', url, '--value-encoding', 'hex'], { input: '00\n' });
    expect([hex.code, hex.stderr]).toEqual([2, 'error: --schema-registry values are JSON: drop --value-encoding hex\n']);
    await client.producer().send({ topic: 'plain', messages: [{ value: 'not framed' }] });
    const raw = await runCli([...b, 'consume', 'plain', '--schema-registry', url, '--offset', 'start', '--exit-at-end']);
    expect(raw.code).toBe(1);
    expect(raw.stderr).toMatch(/^error: plain partition 0 offset 0: .*magic/i);
  }, 300_000);
});
