// Metadata for topic names Kafka's Topic.validate rejects, over real TCP: each gets
// INVALID_TOPIC_EXCEPTION in its own entry at every version (the v1-11 name field is not nullable,
// so "" was once answered with an unencodable null name and the connection dropped). And the
// dispatcher's guard: a response that cannot be encoded becomes UNKNOWN_SERVER_ERROR, never a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { defineHandler, handlers } from '../src/index';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await broker?.stop();
  broker = undefined;
});

async function connect(b: TestBroker): Promise<RawClient> {
  const c = await RawClient.connect(b.port);
  clients.push(c);
  return c;
}

interface TopicEntry {
  errorCode: number;
  name: string | null;
  partitions: unknown[];
}
type Obj = Record<string, unknown>;

const INVALID_NAMES = ['', '.', '..', 'x'.repeat(250), 'has space', 'ünïcode', 'slash/name'];
const ZERO_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

function metadataBody(version: number, names: string[], allowAutoTopicCreation: boolean): Obj {
  const topics = names.map((name) => (version >= 10 ? { name, topicId: ZERO_ID } : { name }));
  return { topics, allowAutoTopicCreation, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false };
}

describe('Metadata for invalid topic names', () => {
  for (const autoCreate of [false, true]) {
    it(`answers INVALID_TOPIC_EXCEPTION per entry at v0-12 (auto-create ${autoCreate ? 'allowed' : 'off'})`, async () => {
      broker = await startTestBroker({ autoCreateTopicsEnable: true });
      await broker.topics.createTopic('good', 1);
      const c = await connect(broker);
      for (let v = 0; v <= 12; v++) {
        // v0 treats an empty list as "all topics", so keep a real topic in every request.
        const names = [...INVALID_NAMES, 'good'];
        const res = (await c.send(ApiKey.Metadata, v, metadataBody(v, names, autoCreate))) as { topics: TopicEntry[] };
        expect(res.topics.map((t) => t.name), `v${v}`).toEqual(names);
        for (const t of res.topics.slice(0, -1)) {
          expect(t.errorCode, `v${v} ${JSON.stringify(t.name).slice(0, 20)}`).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
          expect(t.partitions).toEqual([]);
        }
        expect(res.topics.at(-1)!.errorCode).toBe(ErrorCode.NONE);
      }
      // Nothing was created, and the same connection still serves.
      expect(broker.topics.list().map((t) => t.name)).toEqual(['good']);
      expect(((await c.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
    });
  }

  it('v10-11: a null name or a topic id is INVALID_REQUEST with "" names, as Kafka (ids need v12)', async () => {
    broker = await startTestBroker();
    const t = (await broker.topics.createTopic('byid', 1))!;
    const c = await connect(broker);
    for (const v of [10, 11]) {
      const res = (await c.send(ApiKey.Metadata, v, {
        topics: [{ name: null, topicId: t.topicId }, { name: 'byid', topicId: ZERO_ID }],
        allowAutoTopicCreation: false,
      })) as { topics: TopicEntry[] };
      expect(res.topics.map((e) => [e.name, e.errorCode])).toEqual([
        ['', ErrorCode.INVALID_REQUEST],
        ['byid', ErrorCode.INVALID_REQUEST],
      ]);
    }
    const v12 = (await c.send(ApiKey.Metadata, 12, {
      topics: [{ name: null, topicId: t.topicId }, { name: null, topicId: ZERO_ID }, { name: '', topicId: ZERO_ID }],
      allowAutoTopicCreation: false,
    })) as { topics: TopicEntry[] };
    expect(v12.topics.map((e) => [e.name, e.errorCode])).toEqual([
      ['byid', ErrorCode.NONE],
      [null, ErrorCode.UNKNOWN_TOPIC_ID],
      ['', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ]);
  });
});

describe('a response that cannot be encoded', () => {
  // A Metadata v1 topic name may not be null: both handlers below build such a response.
  const unencodable = { brokers: [], controllerId: 0, topics: [{ errorCode: 0, name: null, isInternal: false, partitions: [] }] };

  it('is answered with the handler error response (UNKNOWN_SERVER_ERROR) on the same connection', async () => {
    const broken = defineHandler<Obj, Obj>({
      apiKey: ApiKey.Metadata,
      minVersion: 0,
      maxVersion: 12,
      async handle() {
        return unencodable;
      },
      errorResponse(req, errorCode) {
        const topics = (req.topics as { name: string }[]).map((t) => ({ errorCode, name: t.name, isInternal: false, partitions: [] }));
        return { brokers: [], controllerId: 0, topics };
      },
    });
    broker = await startTestBroker({}, undefined, [...handlers.filter((h) => h.apiKey !== ApiKey.Metadata), broken]);
    const c = await connect(broker);
    const res = (await c.send(ApiKey.Metadata, 1, { topics: [{ name: 'a' }] })) as { topics: TopicEntry[] };
    expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual([['a', ErrorCode.UNKNOWN_SERVER_ERROR]]);
    expect(((await c.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
  });

  it('closes only that connection when the error response cannot be encoded either', async () => {
    const hopeless = defineHandler<Obj, Obj>({
      apiKey: ApiKey.Metadata,
      minVersion: 0,
      maxVersion: 12,
      async handle() {
        return unencodable;
      },
      errorResponse() {
        return unencodable;
      },
    });
    broker = await startTestBroker({}, undefined, [...handlers.filter((h) => h.apiKey !== ApiKey.Metadata), hopeless]);
    const bystander = await connect(broker);
    const c = await connect(broker);
    await expect(c.send(ApiKey.Metadata, 1, { topics: [{ name: 'a' }] })).rejects.toThrow('connection closed');
    await c.closed;
    expect(((await bystander.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
    const fresh = await connect(broker);
    expect(((await fresh.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
  });
});
