// The WebSocket queue subscription (issue 13) on a real broker with the `ws` client: messages are
// pushed only within granted credit (never more in flight than granted), ack / release / reject
// frames settle by receipt, and closing the socket releases what it held (delivery_count + 1 next).
import { startBroker } from '@mq/broker';
import { checkStreamMessage } from '@mq/admin-api/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

const STREAM = '/v1/queues/{group_id}/topics/{topic_name}/subscribe';
const N = 200;

let broker: Awaited<ReturnType<typeof startBroker>>;
let kafka: Kafka;

beforeAll(async () => {
  // A short session (and heartbeat) so a silent HTTP member is removed well inside the 30 s record lock.
  broker = await startBroker({ http: { port: 0 }, share: { autoOffsetReset: 'earliest', sessionTimeoutMs: 3000, heartbeatIntervalMs: 500 } });
  kafka = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'tasks', numPartitions: 2 }, { topic: 'held' }, { topic: 'ghosts' }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'tasks', messages: Array.from({ length: N }, (_, i) => ({ partition: i % 2, value: String(i) })) });
  await producer.send({ topic: 'held', messages: ['h0', 'h1', 'h2'].map((value) => ({ value })) });
  await producer.send({ topic: 'ghosts', messages: [{ value: 'g0' }] });
  await producer.disconnect();
});

afterAll(async () => {
  await broker?.stop();
});

/** A subscription whose every frame is validated against the document and queued for the test. */
class Subscriber {
  readonly ws: WebSocket;
  private readonly frames: any[] = [];
  private waiting: (() => void) | undefined;

  constructor(group: string, topic: string, query = 'encoding=string') {
    this.ws = new WebSocket(`ws://127.0.0.1:${broker.http!.port}/v1/queues/${group}/topics/${topic}/subscribe?${query}`);
    this.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      checkStreamMessage(STREAM, frame);
      this.frames.push(frame);
      this.waiting?.();
    });
  }

  async next(type?: string): Promise<any> {
    for (;;) {
      const i = this.frames.findIndex((f) => type === undefined || f.type === type);
      if (i >= 0) return this.frames.splice(i, 1)[0];
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

describe('ws /v1/queues/{group}/topics/{topic}/subscribe', () => {
  it('pushes no more than the credit granted, and every record is accepted once by ack frames', async () => {
    const sub = new Subscriber('ws-workers', 'tasks');
    expect(await sub.next('subscribed')).toMatchObject({ group_id: 'ws-workers', topic_name: 'tasks', consumer_id: expect.stringMatching(/^ws-/) });
    let granted = 0;
    let pushed = 0;
    const accepted = new Set<string>();
    for (const grant of [1, 7, 25, 60, 200]) {
      sub.send({ credit: grant });
      granted += grant;
      // Take what this grant allows (or what is left), checking the bound at every push.
      const want = Math.min(granted, N) - pushed;
      let got = 0;
      while (got < want) {
        const f = await sub.next('messages');
        got += f.messages.length;
        pushed += f.messages.length;
        expect(pushed, 'pushed within credit').toBeLessThanOrEqual(granted);
        sub.send({ ack: f.messages.map((m: { receipt: string }) => m.receipt), id: `ack-${pushed}` });
        const settled = await sub.next('settled');
        expect(settled).toMatchObject({ how: 'ack', id: `ack-${pushed}` });
        expect(settled.results.every((r: { error_code: number }) => r.error_code === 0)).toBe(true);
        for (const m of f.messages) {
          expect(accepted.has(m.value.data), `accepted once: ${m.value.data}`).toBe(false);
          accepted.add(m.value.data);
        }
      }
    }
    expect(accepted.size).toBe(N);
    await sub.close();
  });

  it('settles with release and reject frames, refuses bad frames without closing, and releases what it holds on close', async () => {
    const sub = new Subscriber('ws-holders', 'held');
    await sub.next('subscribed');
    sub.send({ credit: 3 });
    const held: any[] = [];
    while (held.length < 3) held.push(...(await sub.next('messages')).messages);
    expect(held.map((m) => m.delivery_count)).toEqual([1, 1, 1]);
    sub.send({ credit: 0 });
    expect(await sub.next('error')).toMatchObject({ error_code: 40001 });
    sub.send({ nonsense: true });
    expect(await sub.next('error')).toMatchObject({ error_code: 40001 });
    sub.ws.send('not json');
    expect(await sub.next('error')).toMatchObject({ error_code: 40001 });
    sub.send({ reject: [held[0].receipt] });
    expect((await sub.next('settled')).results[0].error_code).toBe(0);
    sub.send({ reject: [held[0].receipt] });
    expect((await sub.next('settled')).results[0].error_code).toBe(40901);
    sub.send({ release: [held[1].receipt] });
    expect((await sub.next('settled')).results[0].error_code).toBe(0);
    await sub.close();

    // h1 (released) and h2 (held at close) come back, one delivery more; h0 (rejected) never does.
    const again = new Subscriber('ws-holders', 'held');
    await again.next('subscribed');
    again.send({ credit: 10 });
    const back: any[] = [];
    while (back.length < 2) back.push(...(await again.next('messages')).messages);
    expect(back.map((m) => [m.value.data, m.delivery_count]).sort()).toEqual([
      ['h1', 2],
      ['h2', 2],
    ]);
    again.send({ ack: back.map((m) => m.receipt) });
    expect((await again.next('settled')).results.map((r: { error_code: number }) => r.error_code)).toEqual([0, 0]);
    await again.close();
  });

  it('closes with 1008 for an unknown topic', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${broker.http!.port}/v1/queues/g/topics/nope/subscribe`);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(1008);
  });
});

describe('HTTP members and their session', () => {
  it('a consumer that stops calling is removed after group.share.session.timeout.ms and its records are released', async () => {
    const base = `http://127.0.0.1:${broker.http!.port}/v1/queues/haunted/topics/ghosts`;
    const receive = async (consumer_id: string, wait_ms: number) =>
      (await (await fetch(`${base}/receive`, { method: 'POST', body: JSON.stringify({ consumer_id, wait_ms, encoding: 'string' }) })).json()) as {
        messages: { receipt: string; delivery_count: number; value: { data: string } }[];
      };
    const first = await receive('ghost', 2000);
    expect(first.messages.map((m) => [m.value.data, m.delivery_count])).toEqual([['g0', 1]]);
    // The record lock is 30 s; 'alive' gets g0 long before that only because 'ghost' went silent.
    let second = await receive('alive', 10_000);
    while (second.messages.length === 0) second = await receive('alive', 10_000);
    expect(second.messages.map((m) => [m.value.data, m.delivery_count])).toEqual([['g0', 2]]);
    const admin = kafka.admin();
    await admin.connect();
    const { groups } = await admin.describeGroups(['haunted']);
    expect(groups[0]!.members.map((m) => m.memberId)).toEqual(['alive']);
    await admin.disconnect();
    const stale = await fetch(`${base}/ack`, { method: 'POST', body: JSON.stringify({ receipts: [first.messages[0]!.receipt] }) });
    expect(stale.status).toBe(410);
    expect((await fetch(`${base}/ack`, { method: 'POST', body: JSON.stringify({ receipts: [second.messages[0]!.receipt] }) })).status).toBe(200);
  });
});
