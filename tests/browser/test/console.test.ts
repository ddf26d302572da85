// The console in Debian's Chromium against a real broker (startBroker with its HTTP listener serving
// apps/dashboard's fresh build): every page renders, a record produced by kafkajs appears live in the
// message browser, a topic created from the UI exists on the broker, a group's lag graph follows a
// real kafkajs consumer group, an offset reset from the UI takes effect, and a queue (share group)
// shows an HTTP consumer's in-flight records, backlog and dead-letter depth and is deleted from the
// UI; a delayed message kafkajs produces appears on the Delayed page and is cancelled from it
// (never delivered); a record produced with a traceparent shows its trace in the traces viewer; a
// schema registered from the UI is in the registry and shown with its versions. MQ_SCREENSHOT=<png>
// also writes the overview's screenshot (the README's), and console-delayed.png beside it.
import { dirname, join } from 'node:path';
import { startBroker } from '@mq/broker';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage } from '../src/chromium';
import { DASHBOARD_DIST } from '../src/global-setup';

type Broker = Awaited<ReturnType<typeof startBroker>>;
let broker: Broker;
let browser: Browser;
let page: Page;
let base: string;
let clusterPath: string;
let kafka: Kafka;
let producer: Producer;
const pageErrors: string[] = [];

beforeAll(async () => {
  // Sampling 0: only records produced with a sampled traceparent are traced (the traces test's).
  broker = await startBroker({ http: { port: 0, consoleDir: DASHBOARD_DIST }, groups: { initialRebalanceDelayMs: 0 }, share: { autoOffsetReset: 'earliest' }, trace: { sampling: '0' } });
  base = `http://127.0.0.1:${broker.http!.port}`;
  const clusters = (await (await fetch(`${base}/v3/clusters`)).json()) as { data: { cluster_id: string }[] };
  clusterPath = `/v3/clusters/${clusters.data[0]!.cluster_id}`;
  kafka = new Kafka({ clientId: 'console-test', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  producer = kafka.producer();
  await producer.connect();
  browser = await launchChromium();
  page = await openPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await producer?.disconnect();
  await broker?.stop();
});

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${clusterPath}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** The last values a chart drew (its data-last attribute), once it has drawn at least `minPoints`. */
async function chartLast(testId: string): Promise<(number | null)[]> {
  return JSON.parse((await page.getByTestId(testId).getAttribute('data-last')) ?? '[]') as (number | null)[];
}

async function waitForChart(testId: string, ok: (last: (number | null)[]) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const last = await chartLast(testId);
    if (ok(last)) return;
    if (Date.now() > deadline) throw new Error(`${what}: chart ${testId} shows ${JSON.stringify(last)}`);
    await page.waitForTimeout(200);
  }
}

describe('the console in Chromium', () => {
  it('serves the console from the broker and renders the overview', async () => {
    const redirect = await fetch(`${base}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    await page.goto(`${base}/console/`);
    await expect.poll(() => page.getByTestId('cluster-card').textContent(), { timeout: 60_000 }).toContain(clusterPath.split('/').at(-1)!);
    await expect.poll(() => page.getByTestId('health').textContent(), { timeout: 60_000 }).toBe('healthy');
    await expect.poll(() => page.getByTestId('live-status').textContent(), { timeout: 60_000 }).toContain('live');
    await expect.poll(() => page.getByTestId('brokers').locator('tbody tr').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('brokers').locator('tbody tr').first().textContent()).toContain(String(broker.port));
  });

  it('creates a topic from the UI', async () => {
    await page.goto(`${base}/console/#/topics`);
    const form = page.getByTestId('create-topic');
    await form.getByLabel('topic name').fill('ui-created');
    await form.getByLabel('partitions').fill('3');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.locator('tr[data-topic="ui-created"]').waitFor();
    const topic = await api<{ partitions_count: number }>('GET', '/topics/ui-created');
    expect(topic.status).toBe(200);
    expect(topic.body.partitions_count).toBe(3);
    await page.locator('tr[data-topic="ui-created"] a').click();
    await expect.poll(() => page.getByTestId('partitions').locator('tbody tr').count(), { timeout: 60_000 }).toBe(3);
    expect(await page.getByTestId('configs').textContent()).toContain('retention.ms');
  });

  it('shows a record produced by kafkajs live in the message browser', async () => {
    await page.goto(`${base}/console/#/messages/ui-created`);
    await page.locator('[data-testid="live-heading"][data-subscribed="true"]').waitFor();
    await producer.send({ topic: 'ui-created', messages: [{ partition: 2, key: 'order-7', value: '{"total":42}', headers: { source: 'kafkajs' } }] });
    const row = page.getByTestId('live-records').locator('tbody tr', { hasText: 'order-7' });
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('{"total":42}');
    expect(text).toContain('source=kafkajs');
    // The same record through the page browser, by offset.
    await page.getByTestId('browse').locator('select').nth(1).selectOption('2');
    await page.getByTestId('from').fill('0');
    await page.getByTestId('browse').getByRole('button', { name: 'Fetch' }).click();
    await page.getByTestId('records').locator('tbody tr', { hasText: 'order-7' }).waitFor();
  });

  it("draws a group's lag as a real kafkajs group consumes, and resets its offsets from the UI", async () => {
    await api('POST', '/topics', { topic_name: 'work', partitions_count: 2 });
    await producer.send({ topic: 'work', messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `job ${i}` })) });
    // The group starts with committed offsets at the log start: everything is lag.
    expect((await api('POST', '/consumer-groups/workers/offsets:reset', { topic_name: 'work', to: 'earliest' })).status).toBe(200);
    await page.goto(`${base}/console/#/groups/workers`);
    await waitForChart('group-lag', (l) => l[0] === 40, 'the initial lag');
    const consumer = kafka.consumer({ groupId: 'workers', sessionTimeout: 10_000 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'work' });
    await consumer.run({ eachMessage: async () => undefined });
    await waitForChart('group-lag', (l) => l[0] === 0, 'the lag after the group consumed');
    await expect.poll(() => page.getByTestId('members').locator('tbody tr').count(), { timeout: 60_000 }).toBe(1);
    await consumer.disconnect();
    await producer.send({ topic: 'work', messages: Array.from({ length: 15 }, (_, i) => ({ value: `more ${i}` })) });
    await waitForChart('group-lag', (l) => l[0] === 15, 'the lag growing while nobody consumes');
    await expect.poll(() => page.getByTestId('group-state').textContent(), { timeout: 60_000 }).toBe('Empty');
    const form = page.getByTestId('reset-offsets');
    await page.getByTestId('reset-to').selectOption('earliest');
    await form.getByRole('button', { name: 'Reset' }).click();
    await page.getByTestId('reset-done').waitFor();
    await waitForChart('group-lag', (l) => l[0] === 55, 'the lag after the reset to earliest');
    expect(Number(await page.getByTestId('group-lag').getAttribute('data-points'))).toBeGreaterThan(3);
  });

  it("shows a queue's backlog, in-flight records and dead letters as an HTTP consumer works, and deletes the queue once empty", async () => {
    await api('POST', '/topics', { topic_name: 'tasks', partitions_count: 1 });
    await producer.send({ topic: 'tasks', messages: Array.from({ length: 6 }, (_, i) => ({ value: `task ${i}` })) });
    const queue = `${base}/v1/queues/queue-workers`;
    const receipts: string[] = [];
    while (receipts.length < 3) {
      const res = await fetch(`${queue}/topics/tasks/receive`, { method: 'POST', body: JSON.stringify({ consumer_id: 'w1', max_messages: 3 - receipts.length, wait_ms: 2000 }) });
      expect(res.status).toBe(200);
      receipts.push(...((await res.json()) as { messages: { receipt: string }[] }).messages.map((m) => m.receipt));
    }
    await page.goto(`${base}/console/#/queues`);
    await page.locator('tr[data-share-group="queue-workers"] a').click();
    await expect.poll(() => page.getByTestId('share-in-flight').textContent(), { timeout: 60_000 }).toBe('3');
    expect(await page.getByTestId('share-backlog').textContent()).toBe('6');
    expect(await page.getByTestId('share-members').locator('tbody tr').first().textContent()).toContain('tasks-0');

    expect(await page.locator('tr[data-dead-letter-topic="tasks.dlq"] td').allTextContents()).toEqual(['tasks', 'tasks.dlq', '0']);
    const acked = await fetch(`${queue}/topics/tasks/ack`, { method: 'POST', body: JSON.stringify({ receipts: receipts.slice(0, 2) }) });
    expect(acked.status).toBe(200);
    const rejected = await fetch(`${queue}/topics/tasks/reject`, { method: 'POST', body: JSON.stringify({ receipts: receipts.slice(2) }) });
    expect(rejected.status).toBe(200);
    await expect.poll(() => page.locator('tr[data-dead-letter-topic="tasks.dlq"] [data-testid="dead-letter-depth"]').textContent(), { timeout: 60_000 }).toBe('1');
    await expect.poll(() => page.getByTestId('share-in-flight').textContent(), { timeout: 60_000 }).toBe('0');
    expect(await page.getByTestId('share-backlog').textContent()).toBe('3');
    const row = page.locator('tr[data-share-partition="tasks-0"] td');
    expect(await row.allTextContents()).toEqual(['tasks', '0', '3', '3', '6', '0', '3']);
    await waitForChart('share-chart', (l) => l[0] === 3 && l[1] === 0, 'the backlog after the acknowledgement');

    expect((await fetch(`${queue}/consumers/w1`, { method: 'DELETE' })).status).toBeLessThan(300);
    await expect.poll(() => page.getByTestId('share-members').locator('tbody tr').count(), { timeout: 60_000 }).toBe(0);
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('delete-share-group').click();
    await page.waitForURL(/#\/queues$/);
    await expect.poll(() => page.getByTestId('share-groups').locator('tbody tr').count(), { timeout: 60_000 }).toBe(0);
    expect((await api('GET', '/share-groups/queue-workers')).status).toBe(404);
  });

  it('shows a delayed message kafkajs produced and cancels it from the UI', async () => {
    await api('POST', '/topics', { topic_name: 'reminders', partitions_count: 1 });
    await page.goto(`${base}/console/#/delayed`);
    await page.getByTestId('delayed-pending').filter({ hasText: /^\d+$/ }).waitFor();
    await producer.send({
      topic: 'reminders',
      messages: [
        { key: 'call-back', value: 'in an hour', headers: { 'mq-delay-ms': '3600000', source: 'kafkajs' } },
        { key: 'follow-up', value: 'in two hours', headers: { 'mq-delay-ms': '7200000' } },
      ],
    });
    const row = page.getByTestId('delayed-messages').locator('tbody tr', { hasText: 'call-back' });
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('reminders');
    expect(text).toContain('in an hour');
    expect(text).toContain('source=kafkajs');
    expect(text).toMatch(/in (59|60) min/);
    await expect.poll(() => page.getByTestId('delayed-pending').textContent(), { timeout: 60_000 }).toBe('2');
    const id = (await row.getAttribute('data-delayed-id'))!;
    expect((await fetch(`${base}/v1/delayed/${id}`)).status).toBe(200);
    if (process.env.MQ_SCREENSHOT !== undefined) {
      await waitForChart('delayed-chart', (l) => l[0] === 2, 'the pending count');
      await page.screenshot({ path: join(dirname(process.env.MQ_SCREENSHOT), 'console-delayed.png'), fullPage: true });
    }

    page.once('dialog', (d) => void d.accept());
    await row.getByTestId('cancel-delayed').click();
    await expect.poll(() => page.getByTestId('delayed-cancelled').textContent(), { timeout: 60_000 }).toContain(id);
    await expect.poll(() => page.getByTestId('delayed-messages').locator('tbody tr', { hasText: 'call-back' }).count(), { timeout: 60_000 }).toBe(0);
    expect(await page.getByTestId('delayed-messages').locator('tbody tr', { hasText: 'follow-up' }).count()).toBe(1);
    expect((await fetch(`${base}/v1/delayed/${id}`)).status).toBe(404);
    await waitForChart('delayed-chart', (l) => l[0] === 1 && l[1] === 0, 'the pending count after the cancel');
    expect(Number((await api<{ high_watermark: number }>('GET', '/topics/reminders/partitions/0')).body.high_watermark)).toBe(0);
  });

  it('shows the trace of a record produced with a traceparent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await producer.send({ topic: 'ui-created', messages: [{ partition: 1, key: 'traced', value: 'follow me', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } }] });
    await page.goto(`${base}/console/#/traces`);
    await page.locator(`tr[data-trace="${traceId}"]`).waitFor();
    expect(await page.locator(`tr[data-trace="${traceId}"]`).textContent()).toContain('mq.produce');
    await page.locator(`tr[data-trace="${traceId}"] a`).click();
    const produce = page.locator('[data-testid="trace-spans"] tr[data-span="mq.produce"]');
    await produce.waitFor();
    expect(await produce.textContent()).toContain('ui-created');
    // The same trace found from the record's topic, partition and offset.
    const offset = (await api<{ data: { key: { data: string } | null; offset: number }[] }>('GET', '/topics/ui-created/partitions/1/records?encoding=string')).body.data.find((r) => r.key?.data === 'traced')!.offset;
    await page.goto(`${base}/console/#/traces`);
    const find = page.getByTestId('trace-by-offset');
    await find.getByLabel('topic').fill('ui-created');
    await find.getByLabel('partition').fill('1');
    await find.getByLabel('offset').fill(String(offset));
    await find.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(new RegExp(`#/traces/${traceId}$`));
    await produce.waitFor();
  });

  it('registers a schema from the UI and shows the subject with its versions', async () => {
    await page.goto(`${base}/console/#/schemas`);
    const form = page.getByTestId('register-schema');
    await form.getByLabel('subject').fill('orders-value');
    await form.getByLabel('schema', { exact: true }).fill('{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}');
    await form.getByRole('button', { name: 'Register' }).click();
    await page.getByTestId('schema-registered').waitFor();
    const latest = (await (await fetch(`${base}/subjects/orders-value/versions/latest`)).json()) as { id: number; version: number };
    expect(latest.version).toBe(1);
    await page.locator('tr[data-subject="orders-value"] a').click();
    await expect.poll(() => page.getByTestId('schema-id').textContent(), { timeout: 60_000 }).toBe(String(latest.id));
    expect(await page.getByTestId('schema-text').textContent()).toContain('"name": "Order"');
    expect(await page.getByTestId('compatibility').textContent()).toBe('BACKWARD');
  });

  it('graphs throughput on the overview', async () => {
    await page.goto(`${base}/console/#/`);
    const deadline = Date.now() + 60_000;
    let sent = 0;
    // Produce until the graph has shown a non-zero rate (the stats stream ticks every second).
    while (!((await chartLast('overview-throughput'))[0]! > 0)) {
      if (Date.now() > deadline) throw new Error('the throughput graph never showed traffic');
      await producer.send({ topic: 'ui-created', messages: Array.from({ length: 50 }, (_, i) => ({ value: `load ${sent + i}` })) });
      sent += 50;
      await page.waitForTimeout(100);
    }
    if (process.env.MQ_SCREENSHOT !== undefined) {
      for (let i = 0; i < 20; i++) {
        await producer.send({ topic: 'ui-created', messages: Array.from({ length: 20 + ((i * 37) % 60) }, () => ({ value: 'load' })) });
        await page.waitForTimeout(400);
      }
      await page.screenshot({ path: process.env.MQ_SCREENSHOT, fullPage: true });
    }
    expect(pageErrors).toEqual([]);
  });
});
