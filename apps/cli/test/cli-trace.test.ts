// `mq trace <id>` through the spawned CLI against a real broker with tracing on: the steps of a
// traced message in order (table and json), and each error path's exit status and one line.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { runCli } from './run-cli';

const TRACE = { traceId: '6e0c63257de34c926f9efcd03927272e', spanId: '53995c3f42cd8ad8', sampled: true };

let broker: RunningBroker;
let client: MqClient;
let url: string;
beforeAll(async () => {
  broker = await startBroker({ port: 0, http: { port: 0 }, trace: { sampling: '0' } });
  url = `http://127.0.0.1:${broker.http!.port}`;
  client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}`, clientId: 'cli-trace' });
  await client.admin().createTopics([{ name: 'tr', numPartitions: 1 }]);
  await client.producer().send({ topic: 'tr', messages: [{ value: 'first' }, { value: 'traced', traceContext: TRACE }] });
  const consumer = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 });
  consumer.assign([{ topic: 'tr', partition: 0 }]);
  let n = 0;
  while (n < 2) n += (await consumer.poll()).length;
  await consumer.close();
});
afterAll(async () => {
  await client?.close();
  await broker?.stop();
});

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('mq trace', () => {
  it('prints the steps in order: produce then fetch, at the record’s offset', async () => {
    const r = await runCli(['trace', TRACE.traceId, '--http-url', url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^STEP\s+START\s+MS\s+TOPIC\s+PARTITION\s+OFFSET\s+GROUP\s+CLIENT\s+SPAN\s+PARENT/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['mq.produce', 'mq.fetch']);
    expect(lines[1]).toMatch(/\btr\s+0\s+1\s+-\s+cli-trace\b/);
    expect(lines[1]).toContain(TRACE.spanId); // the producer's span is the parent

    const json = await runCli(['trace', TRACE.traceId, '-o', 'json'], { env: { MQ_HTTP_URL: url } });
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout) as { traceId: string; spans: { name: string; parentSpanId: string; spanId: string }[] };
    expect(body.traceId).toBe(TRACE.traceId);
    expect(body.spans[1]!.parentSpanId).toBe(body.spans[0]!.spanId);
  }, 120_000);

  it('usage errors exit 2, a trace the broker does not hold or an unreachable listener exit 1', async () => {
    const bad = await runCli(['trace', 'XYZ', '--http-url', url]);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'error: not a trace id (32 lowercase hex digits): XYZ']);
    const noUrl = await runCli(['trace', TRACE.traceId]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/--http-url/);
    const badUrl = await runCli(['trace', TRACE.traceId, '--http-url', 'ftp://x']);
    expect(badUrl.code).toBe(2);
    const unknown = await runCli(['trace', 'f'.repeat(32), '--http-url', url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: trace f{32} is not kept/);
    const down = await runCli(['trace', TRACE.traceId, '--http-url', `http://127.0.0.1:${await closedPort()}`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  }, 180_000); // six CLI processes on a loaded machine
});
