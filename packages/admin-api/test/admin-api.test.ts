// The admin API on a real HTTP listener over a real TopicManager (temp dir) and group coordinator:
// every route documented and vice-versa, answers validated against /openapi.json with ajv, records
// binary-safe both ways, configs, offsets reset and lag, and a list of bad inputs each answered 4xx JSON.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCoordinator } from '@mq/groups';
import { HttpServer, Router } from '@mq/http';
import { TopicManager } from '@mq/partition';
import { SystemClock } from '@mq/timerwheel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { AdminApi } from '../src/index';
import { checkAnswer, checkStreamMessage, documentedPaths } from '../src/testing/openapi-validator';

const CLUSTER = 'test-cluster-id';
let dataDir: string;
let clock: SystemClock;
let topics: TopicManager;
let groups: GroupCoordinator;
let api: AdminApi;
let router: Router;
let http: HttpServer;
let base: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'admin-api-'));
  clock = new SystemClock();
  topics = await TopicManager.open({ dataDir, clock });
  groups = await GroupCoordinator.open({ topicManager: topics, clock });
  api = new AdminApi(
    { cluster: { clusterId: CLUSTER, nodeId: 0, brokers: () => [{ nodeId: 0, host: '127.0.0.1', port: 9092 }], controllerId: () => 0 }, topics, groups: () => groups, clock },
    { statsIntervalMs: 100, recordPollMs: 50 },
  );
  router = new Router();
  api.mount(router);
  http = await HttpServer.start({ host: '127.0.0.1', port: 0, router, maxBodyBytes: 64 * 1024 });
  base = `http://127.0.0.1:${http.port}`;
});

afterAll(async () => {
  api.close();
  await http.stop();
  await groups.close();
  await topics.close();
  clock.cancelAll();
  await rm(dataDir, { recursive: true, force: true });
});

/** The OpenAPI path template a concrete path was routed by. */
function templateOf(method: string, path: string): string {
  const match = router.lookup(method, path.split('?')[0]!);
  if (match === undefined || !('route' in match)) throw new Error(`no route for ${method} ${path}`);
  return match.route.path.replace(/\/:([A-Za-z_]+)/g, '/{$1}');
}

/** A request whose answer is checked against the document; returns status and parsed body. */
async function call(method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await res.text();
  const parsed = text === '' ? undefined : JSON.parse(text);
  if (res.status >= 400) {
    expect(parsed, `${method} ${path}`).toMatchObject({ error_code: expect.any(Number), message: expect.any(String) });
  }
  const template = templateOf(method, path);
  if (res.status < 400 || documentedPaths[template]?.[method.toLowerCase()]?.responses[String(res.status)] !== undefined) {
    checkAnswer(method, template, res.status, parsed);
  }
  return { status: res.status, body: parsed };
}

const C = `/v3/clusters/${CLUSTER}`;
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

describe('the OpenAPI document', () => {
  it('documents every route and stream, and routes everything it documents', async () => {
    const res = await fetch(`${base}/openapi.json`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const routed = [
      ...router.list().map((r) => `${r.method} ${r.path.replace(/\/:([A-Za-z_]+)/g, '/{$1}')}`),
      ...api.webSocketRoutes.map((w) => `GET ${w.path.replace(/\/:([A-Za-z_]+)/g, '/{$1}')}`),
    ].sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(routed);
  });
});

describe('cluster, topics, partitions, configs', () => {
  it('shows the cluster and its broker', async () => {
    expect((await call('GET', '/v3/clusters')).body.data[0].cluster_id).toBe(CLUSTER);
    expect((await call('GET', C)).body.controller_id).toBe(0);
    expect((await call('GET', `${C}/brokers`)).body.data).toHaveLength(1);
    expect((await call('GET', `${C}/brokers/0`)).body.port).toBe(9092);
    expect((await call('GET', `${C}/brokers/7`)).status).toBe(404);
  });

  it('creates, lists, describes, alters and deletes a topic', async () => {
    const created = await call('POST', `${C}/topics`, { topic_name: 'orders', partitions_count: 3, configs: [{ name: 'retention.ms', value: '60000' }] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ topic_name: 'orders', partitions_count: 3, replication_factor: 1 });
    expect((await call('POST', `${C}/topics`, { topic_name: 'orders' })).status).toBe(409);
    expect((await call('POST', `${C}/topics`, { topic_name: 'dry', validate_only: true })).status).toBe(200);
    expect((await call('GET', `${C}/topics/dry`)).status).toBe(404);
    expect((await call('GET', `${C}/topics`)).body.data.map((t: { topic_name: string }) => t.topic_name)).toContain('orders');
    const configs = (await call('GET', `${C}/topics/orders/configs`)).body.data;
    expect(configs.find((c: { name: string }) => c.name === 'retention.ms')).toMatchObject({ value: '60000', source: 'DYNAMIC_TOPIC_CONFIG', is_default: false });
    expect((await call('POST', `${C}/topics/orders/configs:alter`, { data: [{ name: 'retention.ms', operation: 'DELETE' }, { name: 'cleanup.policy', value: 'compact' }] })).status).toBe(204);
    expect((await call('GET', `${C}/topics/orders/configs/retention.ms`)).body.is_default).toBe(true);
    expect((await call('GET', `${C}/topics/orders/configs/cleanup.policy`)).body.value).toBe('compact');
    const parts = (await call('GET', `${C}/topics/orders/partitions`)).body.data;
    expect(parts).toHaveLength(3);
    expect(parts[0]).toMatchObject({ partition_id: 0, leader_id: 0, replicas: [0], isr: [0], log_start_offset: 0, high_watermark: 0, size_bytes: 0 });
    await call('POST', `${C}/topics`, { topic_name: 'doomed' });
    expect((await call('DELETE', `${C}/topics/doomed`)).status).toBe(204);
    expect((await call('DELETE', `${C}/topics/doomed`)).status).toBe(404);
  });
});

describe('records', () => {
  it('produces and reads back keys, values and headers, binary-safe', async () => {
    await call('POST', `${C}/topics`, { topic_name: 'bin', partitions_count: 2 });
    const bytes = Buffer.from([0, 255, 1, 254, 0x80, 0xc3]);
    const p1 = await call('POST', `${C}/topics/bin/records`, {
      partition_id: 1,
      key: { type: 'STRING', data: 'k-1' },
      value: { type: 'BINARY', data: b64(bytes) },
      headers: [{ name: 'h', value: b64('hv') }, { name: 'nul', value: null }],
      timestamp: 1700000000000,
    });
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ partition_id: 1, offset: 0, timestamp: 1700000000000 });
    await call('POST', `${C}/topics/bin/records`, { partition_id: 1, value: { type: 'JSON', data: { a: [1, 2] } } });
    await call('POST', `${C}/topics/bin/records`, { partition_id: 1, key: null, value: null });
    const read = await call('GET', `${C}/topics/bin/partitions/1/records?offset=0`);
    expect(read.body.next_offset).toBe(3);
    const [r0, r1, r2] = read.body.data;
    expect(r1.value).toEqual({ type: 'BINARY', data: b64('{"a":[1,2]}') });
    expect(Buffer.from(r0.value.data, 'base64')).toEqual(bytes);
    expect(Buffer.from(r0.key.data, 'base64').toString()).toBe('k-1');
    expect(r0.headers).toEqual([{ name: 'h', value: b64('hv') }, { name: 'nul', value: null }]);
    expect(r0.timestamp).toBe(1700000000000);
    expect(r2).toMatchObject({ key: null, value: null });
    const asJson = await call('GET', `${C}/topics/bin/partitions/1/records?offset=1&encoding=json&max_count=1`);
    expect(asJson.body.data).toHaveLength(1);
    expect(asJson.body.data[0].value).toEqual({ type: 'JSON', data: { a: [1, 2] } });
    expect(asJson.body.next_offset).toBe(2);
    // Not valid UTF-8: shown as BINARY whatever was asked, so no byte is lost.
    const asText = await call('GET', `${C}/topics/bin/partitions/1/records?offset=0&encoding=string&max_count=1`);
    expect(asText.body.data[0].key).toEqual({ type: 'STRING', data: 'k-1' });
    expect(asText.body.data[0].value).toEqual({ type: 'BINARY', data: b64(bytes) });
  });

  it('reads by timestamp and picks keyed partitions as Java clients do', async () => {
    await call('POST', `${C}/topics`, { topic_name: 'timed' });
    for (const ts of [1000, 2000, 3000]) await call('POST', `${C}/topics/timed/records`, { value: { type: 'STRING', data: `at ${ts}` }, timestamp: ts });
    const from = await call('GET', `${C}/topics/timed/partitions/0/records?timestamp=1500&encoding=string`);
    expect(from.body.data.map((r: { value: { data: string } }) => r.value.data)).toEqual(['at 2000', 'at 3000']);
    const late = await call('GET', `${C}/topics/timed/partitions/0/records?timestamp=9999`);
    expect(late.body.data).toEqual([]);
    // murmur2("key-a") % 3 as Kafka's DefaultPartitioner computes it.
    const keyed = await call('POST', `${C}/topics/orders/records`, { key: { type: 'STRING', data: 'key-a' }, value: { type: 'STRING', data: 'v' } });
    const again = await call('POST', `${C}/topics/orders/records`, { key: { type: 'STRING', data: 'key-a' }, value: { type: 'STRING', data: 'v2' } });
    expect(again.body.partition_id).toBe(keyed.body.partition_id);
  });

  it('streams new records over a WebSocket', async () => {
    await call('POST', `${C}/topics`, { topic_name: 'live', partitions_count: 2 });
    await call('POST', `${C}/topics/live/records`, { partition_id: 0, value: { type: 'STRING', data: 'before' } });
    const ws = new WebSocket(`ws://127.0.0.1:${http.port}${C}/topics/live/streams/records?encoding=string`);
    const messages: any[] = [];
    ws.on('message', (m) => messages.push(JSON.parse(String(m))));
    await waitFor(() => messages.length >= 1);
    expect(messages[0]).toMatchObject({ type: 'subscribed', partitions: { 0: 1, 1: 0 } });
    await call('POST', `${C}/topics/live/records`, { partition_id: 1, value: { type: 'STRING', data: 'after' }, headers: [{ name: 'x', value: b64('y') }] });
    await waitFor(() => messages.some((m) => m.type === 'records'));
    const rec = messages.find((m) => m.type === 'records');
    expect(rec.data).toEqual([expect.objectContaining({ partition_id: 1, offset: 0, value: { type: 'STRING', data: 'after' } })]);
    for (const m of messages) checkStreamMessage('/v3/clusters/{cluster_id}/topics/{topic_name}/streams/records', m);
    ws.close();
  });
});

describe('consumer groups', () => {
  it('resets offsets of an empty group, reports its lag, deletes it', async () => {
    await call('POST', `${C}/topics`, { topic_name: 'lagged' });
    for (let i = 0; i < 5; i++) await call('POST', `${C}/topics/lagged/records`, { value: { type: 'STRING', data: `m${i}` } });
    const reset = await call('POST', `${C}/consumer-groups/g1/offsets:reset`, { topic_name: 'lagged', to: 'offset', offset: 2 });
    expect(reset.status).toBe(200);
    expect(reset.body.data).toEqual([{ topic_name: 'lagged', partition_id: 0, offset: 2 }]);
    expect((await call('GET', `${C}/consumer-groups`)).body.data.map((g: { consumer_group_id: string }) => g.consumer_group_id)).toContain('g1');
    const lags = await call('GET', `${C}/consumer-groups/g1/lags`);
    expect(lags.body.data).toEqual([expect.objectContaining({ topic_name: 'lagged', partition_id: 0, current_offset: 2, log_end_offset: 5, lag: 3 })]);
    expect((await call('GET', `${C}/consumer-groups/g1/lag-summary`)).body).toMatchObject({ total_lag: 3, max_lag: 3, max_lag_topic_name: 'lagged' });
    expect((await call('GET', `${C}/consumer-groups/g1`)).body).toMatchObject({ state: 'Empty', members: [], total_lag: 3 });
    await call('POST', `${C}/consumer-groups/g1/offsets:reset`, { topic_name: 'lagged', to: 'latest' });
    expect((await call('GET', `${C}/consumer-groups/g1/lag-summary`)).body.total_lag).toBe(0);
    await call('POST', `${C}/consumer-groups/g1/offsets:reset`, { topic_name: 'lagged', to: 'timestamp', timestamp: 0 });
    expect((await call('GET', `${C}/consumer-groups/g1/lag-summary`)).body.total_lag).toBe(5);
    await call('POST', `${C}/consumer-groups/g1/offsets:reset`, { topic_name: 'lagged', to: 'earliest' });
    const ws = new WebSocket(`ws://127.0.0.1:${http.port}${C}/streams/stats`);
    const stats: any[] = [];
    ws.on('message', (m) => stats.push(JSON.parse(String(m))));
    await waitFor(() => stats.length >= 2);
    ws.close();
    for (const s of stats) checkStreamMessage('/v3/clusters/{cluster_id}/streams/stats', s);
    expect(stats[0].groups.find((g: { consumer_group_id: string }) => g.consumer_group_id === 'g1').total_lag).toBe(5);
    expect(stats[0].topics.find((t: { topic_name: string }) => t.topic_name === 'lagged').end_offset_total).toBe(5);
    expect((await call('DELETE', `${C}/consumer-groups/g1`)).status).toBe(204);
    expect((await call('GET', `${C}/consumer-groups/g1`)).status).toBe(404);
  });
});

describe('bad input: 4xx JSON with a code and a message', () => {
  const cases: [string, string, string, unknown, number][] = [
    ['malformed JSON', 'POST', `${C}/topics`, '{"topic_name": ', 400],
    ['an empty body', 'POST', `${C}/topics`, '', 400],
    ['an array body', 'POST', `${C}/topics`, '[]', 400],
    ['no topic name', 'POST', `${C}/topics`, '{}', 400],
    ['a bad topic name', 'POST', `${C}/topics`, '{"topic_name":"a/b"}', 400],
    ['zero partitions', 'POST', `${C}/topics`, '{"topic_name":"zero","partitions_count":0}', 400],
    ['a string partition count', 'POST', `${C}/topics`, '{"topic_name":"s","partitions_count":"3"}', 400],
    ['an unknown config', 'POST', `${C}/topics`, '{"topic_name":"c","configs":[{"name":"no.such","value":"1"}]}', 400],
    ['a bad config value', 'POST', `${C}/topics/orders/configs:alter`, '{"data":[{"name":"retention.ms","value":"soon"}]}', 400],
    ['an unknown alter operation', 'POST', `${C}/topics/orders/configs:alter`, '{"data":[{"name":"retention.ms","operation":"APPEND","value":"1"}]}', 400],
    ['an unknown cluster', 'GET', '/v3/clusters/other/topics', undefined, 404],
    ['an unknown topic', 'GET', `${C}/topics/nope`, undefined, 404],
    ['an unknown topic config', 'GET', `${C}/topics/orders/configs/no.such`, undefined, 404],
    ['producing to an unknown topic', 'POST', `${C}/topics/nope/records`, '{"value":{"type":"STRING","data":"x"}}', 404],
    ['an unknown partition', 'GET', `${C}/topics/orders/partitions/9`, undefined, 404],
    ['a negative partition', 'GET', `${C}/topics/orders/partitions/-1`, undefined, 400],
    ['a non-numeric partition', 'GET', `${C}/topics/orders/partitions/one/records`, undefined, 400],
    ['producing to a missing partition', 'POST', `${C}/topics/orders/records`, '{"partition_id":7,"value":null}', 404],
    ['an offset past the end', 'GET', `${C}/topics/bin/partitions/1/records?offset=99`, undefined, 416],
    ['a negative offset', 'GET', `${C}/topics/bin/partitions/1/records?offset=-1`, undefined, 400],
    ['an offset past int64', 'GET', `${C}/topics/bin/partitions/1/records?offset=99999999999999999999`, undefined, 400],
    ['offset and timestamp both', 'GET', `${C}/topics/bin/partitions/1/records?offset=0&timestamp=0`, undefined, 400],
    ['max_count too large', 'GET', `${C}/topics/bin/partitions/1/records?max_count=5000`, undefined, 400],
    ['an unknown read encoding', 'GET', `${C}/topics/bin/partitions/1/records?encoding=ebcdic`, undefined, 400],
    ['an unknown data type', 'POST', `${C}/topics/bin/records`, '{"value":{"type":"AVRO","data":"x"}}', 400],
    ['BINARY data that is not base64', 'POST', `${C}/topics/bin/records`, '{"value":{"type":"BINARY","data":"not base64!"}}', 400],
    ['STRING data that is a number', 'POST', `${C}/topics/bin/records`, '{"value":{"type":"STRING","data":5}}', 400],
    ['a header value that is not base64', 'POST', `${C}/topics/bin/records`, '{"headers":[{"name":"h","value":"%%"}]}', 400],
    ['a header without a name', 'POST', `${C}/topics/bin/records`, '{"headers":[{"value":null}]}', 400],
    ['a bad timestamp', 'POST', `${C}/topics/bin/records`, '{"value":null,"timestamp":"yesterday"}', 400],
    ['a record over max.message.bytes', 'POST', `${C}/topics/small/records`, 'SMALL', 413],
    ['a body over the listener limit', 'POST', `${C}/topics/bin/records`, 'x'.repeat(70 * 1024), 413],
    ['an unknown reset target', 'POST', `${C}/consumer-groups/g2/offsets:reset`, '{"topic_name":"orders","to":"middle"}', 400],
    ['a reset to an offset out of range', 'POST', `${C}/consumer-groups/g2/offsets:reset`, '{"topic_name":"lagged","to":"offset","offset":1000}', 416],
    ['a reset of an unknown topic', 'POST', `${C}/consumer-groups/g2/offsets:reset`, '{"topic_name":"nope","to":"earliest"}', 404],
    ['an unknown group', 'GET', `${C}/consumer-groups/nobody`, undefined, 404],
    ['deleting an unknown group', 'DELETE', `${C}/consumer-groups/nobody`, undefined, 404],
    ['deleting an internal topic', 'DELETE', `${C}/topics/__consumer_offsets`, undefined, 403],
    ['a method the path lacks', 'PUT', `${C}/topics`, '{}', 405],
  ];

  beforeAll(async () => {
    await call('POST', `${C}/topics`, { topic_name: 'small', configs: [{ name: 'max.message.bytes', value: '200' }] });
  });

  it.each(cases)('%s: %s %s', async (_what, method, path, body, status) => {
    const raw = body === 'SMALL' ? JSON.stringify({ value: { type: 'BINARY', data: b64(Buffer.alloc(500, 7)) } }) : (body as string | undefined);
    const res = await fetch(`${base}${path}`, { method, ...(raw !== undefined ? { body: raw } : {}) });
    const answer = (await res.json()) as { error_code: number; message: string };
    expect(res.status, answer.message).toBe(status);
    expect(answer.error_code).toBeGreaterThanOrEqual(400);
    expect(answer.message.length).toBeGreaterThan(0);
  });

  it('refuses a stream of an unknown topic with 1008 and keeps serving', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${http.port}${C}/topics/nope/streams/records`);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(1008);
    expect((await call('GET', C)).status).toBe(200);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
