// Acceptance (issue 9 item 11) at the wire: ConsumerGroupHeartbeat v1 as librdkafka ≥ 2.10 sends
// it (SubscribedTopicRegex "" next to the topic names) joins instead of failing INVALID_REQUEST;
// a regex RE2 lacks gets INVALID_REGULAR_EXPRESSION; a second live member with a group.instance.id in
// use gets UNRELEASED_INSTANCE_ID; and the coordinator keeps serving.
import { randomUUID } from 'node:crypto';
import { startBroker } from '@mq/broker';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WireClient } from './groups-wire-client';

const TOPIC = 'kip848-wire';

describe('ConsumerGroupHeartbeat v1 on the wire', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let wire: WireClient;

  beforeAll(async () => {
    broker = await startBroker();
    const admin = new Kafka({ brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();
    wire = await WireClient.open(broker.port);
  });

  afterAll(async () => {
    wire?.close();
    await broker?.stop();
  });

  const heartbeat = (over: Record<string, unknown>) =>
    wire.call(ApiKey.ConsumerGroupHeartbeat, 1, {
      groupId: 'wire-group', memberId: randomUUID(), memberEpoch: 0, instanceId: null, rackId: null, rebalanceTimeoutMs: 30_000,
      subscribedTopicNames: [TOPIC], subscribedTopicRegex: '', serverAssignor: null, topicPartitions: [], ...over,
    });

  it('joins with SubscribedTopicRegex "" (librdkafka ≥ 2.10), refuses non-RE2 regexes and a reused instance id', async () => {
    const joined = await heartbeat({ instanceId: 'instance-1' });
    expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 1, errorMessage: null });
    expect(joined.assignment.topicPartitions[0].partitions.sort()).toEqual([0, 1, 2]);

    const lookahead = await heartbeat({ groupId: 'regex-group', subscribedTopicNames: null, subscribedTopicRegex: 'kip848(?=-wire)' });
    expect(lookahead.errorCode).toBe(ErrorCode.INVALID_REGULAR_EXPRESSION);
    expect(lookahead.errorMessage).toContain('is not a valid regular expression');

    const byRegex = await heartbeat({ groupId: 'regex-group', subscribedTopicNames: null, subscribedTopicRegex: 'kip848-.*' });
    expect(byRegex.errorCode).toBe(ErrorCode.NONE);
    expect(byRegex.assignment.topicPartitions[0].partitions.sort()).toEqual([0, 1, 2]);

    const second = await heartbeat({ instanceId: 'instance-1' });
    expect(second.errorCode).toBe(ErrorCode.UNRELEASED_INSTANCE_ID);
    // The first member is unaffected and carries on.
    const again = await heartbeat({ memberId: joined.memberId, memberEpoch: 1, instanceId: 'instance-1', subscribedTopicNames: null, subscribedTopicRegex: null, topicPartitions: null });
    expect(again).toMatchObject({ errorCode: ErrorCode.NONE, memberEpoch: 1 });
  });
});
