// KIP-227 fetch sessions with real clients. @platformatic/kafka 2.12 (Node 24) opens a session
// (epoch 0) and then sends incremental fetches; records are produced in waves to one partition at a
// time, so incremental responses carry only the partition with news. Every record is read exactly
// once, in offset order per partition. kcat (librdkafka 2.0.2) sends sessionless fetches (id 0,
// epoch -1) and gets no session. Fetches are observed on the broker's mq:request tracing channel.
import { tracingChannel } from 'node:diagnostics_channel';
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcatConsumeAll } from '../src/kcat';
import { runNode24Fixture } from '../src/node24-fixture';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

interface SeenFetch {
  clientId: string | null;
  sessionId: number;
  sessionEpoch: number;
  /** The response's session id and the partitions it answered (with record bytes). */
  answeredSession: number;
  errorCode: number;
  answered: { partition: number; bytes: number }[];
}

interface FetchTraceLike {
  apiKey: number;
  session: { clientId: string | null };
  request: { sessionId?: number; sessionEpoch?: number };
  result?: { errorCode?: number; sessionId?: number; responses?: { partitions: { partitionIndex: number; records: Buffer | null }[] }[] };
}

const WAVES: [number, number][] = [
  [0, 20],
  [1, 20],
  [2, 20],
  [1, 10],
  [1, 10],
  [0, 5],
  [2, 1],
];

describe('fetch sessions (KIP-227) with @platformatic/kafka and kcat', () => {
  let broker: Broker;
  let dataDir: string;
  const seen: SeenFetch[] = [];
  const channel = tracingChannel('mq:request');
  // Node's typings want every subscriber; only asyncEnd carries the answered Fetch.
  const noop = (): void => {};
  const handlers = {
    start: noop,
    end: noop,
    asyncStart: noop,
    error: noop,
    asyncEnd(message: unknown) {
      const t = message as FetchTraceLike;
      if (t.apiKey !== 1 || t.result === undefined) return;
      seen.push({
        clientId: t.session.clientId,
        sessionId: t.request.sessionId ?? 0,
        sessionEpoch: t.request.sessionEpoch ?? -1,
        answeredSession: t.result.sessionId ?? 0,
        errorCode: t.result.errorCode ?? 0,
        answered: (t.result.responses ?? []).flatMap((r) => r.partitions.map((p) => ({ partition: p.partitionIndex, bytes: p.records?.length ?? 0 }))),
      });
    },
  };

  beforeAll(async () => {
    dataDir = await makeTempDir('fetch-sessions');
    broker = await startBroker({ dataDir });
    channel.subscribe(handlers);
  });

  afterAll(async () => {
    channel.unsubscribe(handlers);
    await broker?.stop();
    await removeDir(dataDir);
  });

  it('@platformatic/kafka reads every wave exactly once through incremental fetches that carry only the partition with news', async () => {
    const result = await runNode24Fixture<{ error?: string; consumed: { partition: number; offset: string; value: string }[] }>('platformatic-fetch-sessions.mjs', {
      bootstrap: `${broker.host}:${broker.port}`,
      topic: 'sessions',
      groupId: 'g-sessions',
      waves: WAVES,
    });
    expect(result.error).toBeUndefined();
    for (const p of [0, 1, 2]) {
      const expected = WAVES.flatMap(([partition, count], w) => (partition === p ? Array.from({ length: count }, (_, i) => `w${w}-${i}`) : []));
      const got = result.consumed.filter((c) => c.partition === p);
      expect(got.map((c) => c.value)).toEqual(expected);
      expect(got.map((c) => c.offset)).toEqual(expected.map((_, i) => String(i)));
    }
    const fetches = seen.filter((f) => f.clientId === 'compat-platformatic-sessions');
    expect(fetches.every((f) => f.errorCode === 0)).toBe(true);
    // A session was opened by a full fetch at epoch 0 and used by incremental fetches at epoch > 0.
    const opened = fetches.filter((f) => f.sessionEpoch === 0 && f.answeredSession > 0);
    expect(opened.length).toBeGreaterThan(0);
    const incremental = fetches.filter((f) => f.sessionEpoch > 0 && f.answeredSession === f.sessionId);
    expect(incremental.length).toBeGreaterThan(0);
    // Incremental responses with records answered a single partition: the others had no news.
    const withRecords = incremental.filter((f) => f.answered.some((a) => a.bytes > 0));
    expect(withRecords.length).toBeGreaterThan(0);
    expect(withRecords.every((f) => f.answered.length === 1)).toBe(true);
  });

  it('kcat (librdkafka 2.0.2) fetches without a session and reads everything', async () => {
    const before = seen.length;
    const out = await kcatConsumeAll(`${broker.host}:${broker.port}`, 'sessions', '%p:%o:%s\n');
    const lines = out.toString('utf8').trim().split('\n');
    expect(lines.length).toBe(WAVES.reduce((n, [, c]) => n + c, 0));
    const fetches = seen.slice(before).filter((f) => f.clientId === 'rdkafka');
    expect(fetches.length).toBeGreaterThan(0);
    expect(fetches.every((f) => f.sessionId === 0 && f.sessionEpoch === -1 && f.answeredSession === 0)).toBe(true);
  });
});
