// Authorized operations over real sockets: Metadata v8-v12 and DescribeCluster return, when asked,
// the bitfield of every operation the resource type supports (no authorizer, as Kafka answers), and
// Integer.MIN_VALUE when not asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '@mq/protocol';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

// Kafka's AclOperation codes, written out here so the test does not trust the code under test.
const bits = (...codes: number[]) => codes.reduce((f, c) => f | (1 << c), 0);
// ALTER 7, ALTER_CONFIGS 11, CLUSTER_ACTION 9, CREATE 5, DESCRIBE 8, DESCRIBE_CONFIGS 10, IDEMPOTENT_WRITE 12
const CLUSTER = bits(7, 11, 9, 5, 8, 10, 12);
// ALTER 7, ALTER_CONFIGS 11, CREATE 5, DELETE 6, DESCRIBE 8, DESCRIBE_CONFIGS 10, READ 3, WRITE 4
const TOPIC = bits(7, 11, 5, 6, 8, 10, 3, 4);
const NOT_REQUESTED = -2147483648;

let broker: TestBroker;
let c: RawClient;

beforeAll(async () => {
  broker = await startTestBroker({ autoCreateTopicsEnable: false });
  await broker.topics.createTopic('ops', 2);
  c = await RawClient.connect(broker.port);
});

afterAll(async () => {
  c.close();
  await broker.stop();
});

interface MetadataAnswer {
  topics: { name: string; errorCode: number; topicAuthorizedOperations: number }[];
  clusterAuthorizedOperations?: number;
}

async function metadata(version: number, includeTopic: boolean, includeCluster: boolean, names: string[] = ['ops', 'missing']): Promise<MetadataAnswer> {
  return (await c.send(ApiKey.Metadata, version, {
    topics: names.map((name) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' })),
    allowAutoTopicCreation: false,
    includeClusterAuthorizedOperations: includeCluster,
    includeTopicAuthorizedOperations: includeTopic,
  })) as unknown as MetadataAnswer;
}

describe('Metadata authorized operations', () => {
  it('the bitfields are Kafka’s values', () => {
    expect(CLUSTER).toBe(8096);
    expect(TOPIC).toBe(3576);
  });

  it.each([8, 9, 10])('v%i returns topic and cluster operations only when asked', async (v) => {
    const asked = await metadata(v, true, true);
    expect(asked.topics.map((t) => [t.name, t.topicAuthorizedOperations])).toEqual([
      ['ops', TOPIC],
      ['missing', TOPIC], // Kafka fills every entry of the answer, errors included
    ]);
    expect(asked.clusterAuthorizedOperations).toBe(CLUSTER);
    const topicOnly = await metadata(v, true, false);
    expect(topicOnly.topics[0]!.topicAuthorizedOperations).toBe(TOPIC);
    expect(topicOnly.clusterAuthorizedOperations).toBe(NOT_REQUESTED);
    const none = await metadata(v, false, false);
    expect(none.topics.map((t) => t.topicAuthorizedOperations)).toEqual([NOT_REQUESTED, NOT_REQUESTED]);
    expect(none.clusterAuthorizedOperations).toBe(NOT_REQUESTED);
  });

  it('v11-v12 (no cluster field) still answer topic operations, also for "all topics"', async () => {
    for (const v of [11, 12]) {
      const asked = await metadata(v, true, false, ['ops']);
      expect(asked.topics[0]!.topicAuthorizedOperations).toBe(TOPIC);
    }
    const all = (await c.send(ApiKey.Metadata, 10, {
      topics: null,
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: true,
      includeTopicAuthorizedOperations: true,
    })) as unknown as MetadataAnswer;
    expect(all.topics.map((t) => [t.name, t.topicAuthorizedOperations])).toEqual([['ops', TOPIC]]);
    expect(all.clusterAuthorizedOperations).toBe(CLUSTER);
  });
});

describe('DescribeCluster authorized operations', () => {
  it.each([0, 1])('v%i returns the cluster operations when asked, MIN_VALUE otherwise', async (v) => {
    const body = (include: boolean) => ({ includeClusterAuthorizedOperations: include, endpointType: 1, includeFencedBrokers: false });
    const asked = (await c.send(ApiKey.DescribeCluster, v, body(true))) as { errorCode: number; clusterAuthorizedOperations: number };
    expect(asked).toMatchObject({ errorCode: 0, clusterAuthorizedOperations: CLUSTER });
    const not = (await c.send(ApiKey.DescribeCluster, v, body(false))) as { clusterAuthorizedOperations: number };
    expect(not.clusterAuthorizedOperations).toBe(NOT_REQUESTED);
  });
});
