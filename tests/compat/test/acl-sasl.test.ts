// ACLs with two real SASL/PLAIN users over kafkajs 2.2.4: a super user (admin) creates the topic and
// grants alice WRITE and READ on it and READ on her group; alice produces and consumes. bob may only
// DESCRIBE the group (so kafkajs finds its coordinator): he is refused produce
// (TOPIC_AUTHORIZATION_FAILED), group join (GROUP_AUTHORIZATION_FAILED) and ACL changes
// (CLUSTER_AUTHORIZATION_FAILED), and Metadata does not show him the topic.
import { startBroker } from '@mq/broker';
import { AclOperationTypes as Op, AclPermissionTypes as Perm, AclResourceTypes as Res, Kafka, logLevel, ResourcePatternTypes as Pattern } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkajsAllow } from '../src/acl-binding';
import { consumeValues } from '../src/kafkajs-consume';

type Broker = Awaited<ReturnType<typeof startBroker>>;

async function errorTypes(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
    return [];
  } catch (err) {
    type KafkajsError = { type?: string; errors?: KafkajsError[]; cause?: KafkajsError; originalError?: KafkajsError };
    const unwrap = (x: KafkajsError): KafkajsError => (x.type === undefined && (x.cause ?? x.originalError) ? unwrap((x.cause ?? x.originalError)!) : x);
    const e = unwrap(err as KafkajsError);
    return [...new Set((e.errors ?? [e]).map((x) => unwrap(x).type ?? String(x)))].sort();
  }
}

describe('ACLs with SASL users', () => {
  let broker: Broker;
  const users = { admin: 'admin-pw', alice: 'alice-pw', bob: 'bob-pw' };
  const kafka = (user: keyof typeof users) =>
    new Kafka({
      clientId: `acl-${user}`,
      brokers: [`127.0.0.1:${broker.port}`],
      sasl: { mechanism: 'plain', username: user, password: users[user] },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });

  beforeAll(async () => {
    broker = await startBroker({
      config: { authorizerClassName: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', superUsers: 'User:admin', autoCreateTopicsEnable: false },
      security: {
        listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
        jaasConfig: `org.apache.kafka.common.security.plain.PlainLoginModule required ${Object.entries(users)
          .map(([u, p]) => `user_${u}="${p}"`)
          .join(' ')};`,
      },
    });
    const admin = kafka('admin').admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'alice-topic' }] });
    const allow = (resourceType: Res, resourceName: string, operation: Op) => kafkajsAllow(resourceType, resourceName, operation, 'User:alice');
    await admin.createAcls({
      acl: [
        allow(Res.TOPIC, 'alice-topic', Op.WRITE),
        allow(Res.TOPIC, 'alice-topic', Op.READ),
        allow(Res.GROUP, 'alice-group', Op.READ),
        { ...allow(Res.GROUP, 'alice-group', Op.DESCRIBE), principal: 'User:bob' },
      ],
    });
    await admin.disconnect();
  }, 60_000);

  afterAll(async () => {
    await broker?.stop();
  });

  it('alice (allowed) produces and consumes in her group', async () => {
    const producer = kafka('alice').producer();
    await producer.connect();
    await producer.send({ topic: 'alice-topic', messages: [{ value: 'a1' }, { value: 'a2' }] });
    await producer.disconnect();
    const consumer = kafka('alice').consumer({ groupId: 'alice-group', maxWaitTimeInMs: 200 });
    expect(await consumeValues(consumer, 'alice-topic', 2)).toEqual(['a1', 'a2']);
  });

  it('bob (DESCRIBE on the group only) is refused produce, group join and ACL changes, and does not see the topic', async () => {
    const bob = kafka('bob');
    const producer = bob.producer({ retry: { retries: 0 } });
    await producer.connect();
    expect(await errorTypes(producer.send({ topic: 'alice-topic', messages: [{ value: 'b' }] }))).toEqual(['TOPIC_AUTHORIZATION_FAILED']);
    await producer.disconnect();
    const admin = bob.admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual([]);
    expect(
      await errorTypes(
        admin.createAcls({ acl: [{ resourceType: Res.TOPIC, resourceName: 'alice-topic', resourcePatternType: Pattern.LITERAL, principal: 'User:bob', host: '*', operation: Op.ALL, permissionType: Perm.ALLOW }] }),
      ),
    ).toEqual(['CLUSTER_AUTHORIZATION_FAILED']);
    await admin.disconnect();
    const consumer = bob.consumer({ groupId: 'alice-group', retry: { retries: 0 } });
    await consumer.connect();
    await consumer.subscribe({ topic: 'alice-topic' }).catch(() => undefined);
    const crashed = new Promise<unknown>((resolve) => consumer.on(consumer.events.CRASH, (e) => resolve(e.payload.error)));
    void consumer.run({ eachMessage: async () => undefined }).catch(() => undefined);
    expect(await errorTypes(crashed.then((e) => Promise.reject(e)))).toEqual(['GROUP_AUTHORIZATION_FAILED']);
    await consumer.disconnect();
  });
});
