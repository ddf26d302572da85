// ACLs in a 3-broker cluster on etcd: the bindings live in etcd (the metadata store's `acl` entries),
// so a DENY created through one broker is enforced by every broker once its watch delivers it —
// kafkajs produces to partitions led by each of the three and each refuses with
// TOPIC_AUTHORIZATION_FAILED; deleting the DENY lets the produce through everywhere again.
// allow.everyone.if.no.acl.found=true keeps the brokers' own follower fetches (User:ANONYMOUS)
// and everything without an ACL allowed.
import { type RunningCluster, startCluster } from '@mq/broker';
import { AclOperationTypes as Op, AclPermissionTypes as Perm, AclResourceTypes as Res, Kafka, logLevel, ResourcePatternTypes as Pattern } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let cluster: RunningCluster;
let kafka: Kafka;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: { 'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'allow.everyone.if.no.acl.found': 'true' },
  });
  kafka = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 } });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

const deny = {
  resourceType: Res.TOPIC,
  resourceName: 'guarded',
  resourcePatternType: Pattern.LITERAL,
  principal: 'User:*',
  host: '*',
  operation: Op.WRITE,
  permissionType: Perm.DENY,
};

/** Per partition: the error type of a one-record produce to it, or 'ok'. */
async function producePerPartition(): Promise<string[]> {
  const producer = kafka.producer({ retry: { retries: 0 } });
  await producer.connect();
  try {
    const out: string[] = [];
    for (const partition of [0, 1, 2]) {
      out.push(
        await producer.send({ topic: 'guarded', acks: -1, messages: [{ value: 'v', partition }] }).then(
          () => 'ok',
          // kafkajs wraps a refusal it will not retry in KafkaJSNonRetriableError (the Kafka error as its cause).
          (e: { type?: string; cause?: { type?: string }; originalError?: { type?: string } }) => e.type ?? e.cause?.type ?? e.originalError?.type ?? String(e),
        ),
      );
    }
    return out;
  } finally {
    await producer.disconnect();
  }
}

describe('ACLs in a cluster', () => {
  it('a DENY created through one broker is enforced by every broker; its deletion by every broker too', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'guarded', numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true })).toBe(true);
      const leaders = (await admin.fetchTopicMetadata({ topics: ['guarded'] })).topics[0]!.partitions.map((p) => p.leader);
      expect(new Set(leaders).size).toBe(3);
      expect(await producePerPartition()).toEqual(['ok', 'ok', 'ok']);
      await admin.createAcls({ acl: [deny] });
      await expect.poll(producePerPartition, { timeout: 30_000 }).toEqual(['TOPIC_AUTHORIZATION_FAILED', 'TOPIC_AUTHORIZATION_FAILED', 'TOPIC_AUTHORIZATION_FAILED']);
      for (const b of cluster.brokers) {
        const listed = await new Kafka({ brokers: [`${b.host}:${b.port}`], logLevel: logLevel.NOTHING }).admin();
        await listed.connect();
        const found = await listed.describeAcls({ resourceType: Res.TOPIC, resourceName: 'guarded', resourcePatternType: Pattern.LITERAL, operation: Op.ANY, permissionType: Perm.ANY });
        await listed.disconnect();
        expect(found.resources.map((r) => r.acls.length)).toEqual([1]);
      }
      await admin.deleteAcls({ filters: [deny] });
      await expect.poll(producePerPartition, { timeout: 30_000 }).toEqual(['ok', 'ok', 'ok']);
    } finally {
      await admin.disconnect();
    }
  }, 180_000);
});
