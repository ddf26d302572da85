// Acceptance: ACLs and authorization with real clients (kafkajs 2.2.4's admin, producer and consumer;
// kcat / librdkafka 2.0.2). A broker with super.users=User:ANONYMOUS creates the topics and the ACLs
// that let User:ANONYMOUS manage ACLs; restarted on the same data dir without super users, every
// request of User:ANONYMOUS (no SASL) is checked against the ACLs stored in its metadata.
import { startBroker } from '@mq/broker';
import {
  AclOperationTypes as Op,
  AclPermissionTypes as Perm,
  AclResourceTypes as Res,
  ConfigResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes as Pattern,
  type Admin,
  type AclEntry,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeValues } from '../src/kafkajs-consume';
import { KCAT } from '../src/kcat';
import { run } from '../src/child-process';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const AUTHORIZER = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';
const ME = 'User:ANONYMOUS';

/** The Kafka error type names a kafkajs call failed with. */
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

function acl(over: Partial<AclEntry>): AclEntry {
  return {
    resourceType: Res.TOPIC,
    resourceName: 'x',
    resourcePatternType: Pattern.LITERAL,
    principal: ME,
    host: '*',
    operation: Op.ALL,
    permissionType: Perm.ALLOW,
    ...over,
  };
}

describe('ACLs with kafkajs and kcat', () => {
  let broker: Broker;
  let dataDir: string;
  let bootstrap: string;
  let kafka: Kafka;
  let admin: Admin;

  const connect = (b: Broker) => {
    bootstrap = `${b.host}:${b.port}`;
    kafka = new Kafka({ clientId: 'compat-acl', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    return kafka.admin();
  };

  beforeAll(async () => {
    dataDir = await makeTempDir('acl');
    // Phase 1: a super user sets up (it needs no ACL at all).
    const setup = await startBroker({ dataDir, config: { authorizerClassName: AUTHORIZER, superUsers: ME, autoCreateTopicsEnable: false } });
    const a = connect(setup);
    await a.connect();
    await a.createTopics({
      topics: ['acl-open', 'acl-closed', 'acl-write-only', 'acl-deny', 'team-a.orders', 'team-b.orders'].map((topic) => ({ topic })),
    });
    await a.createAcls({
      acl: [
        // Managing ACLs and describing the cluster: ALTER and DESCRIBE on CLUSTER, nothing else there.
        acl({ resourceType: Res.CLUSTER, resourceName: 'kafka-cluster', operation: Op.ALTER }),
        acl({ resourceType: Res.CLUSTER, resourceName: 'kafka-cluster', operation: Op.DESCRIBE }),
      ],
    });
    await a.disconnect();
    await setup.stop();
    // Phase 2: the same data dir, no super users.
    broker = await startBroker({ dataDir, config: { authorizerClassName: AUTHORIZER, autoCreateTopicsEnable: false } });
    admin = connect(broker);
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
    await removeDir(dataDir);
  });

  it('kafkajs admin creates, describes and deletes ACLs (the ones set before the restart are kept)', async () => {
    await admin.createAcls({
      acl: [
        acl({ resourceName: 'acl-open' }),
        acl({ resourceType: Res.GROUP, resourceName: 'g-open', operation: Op.READ }),
        // DESCRIBE without READ: FindCoordinator answers, JoinGroup is refused.
        acl({ resourceType: Res.GROUP, resourceName: 'g-closed', operation: Op.DESCRIBE }),
        acl({ resourceName: 'acl-write-only', operation: Op.WRITE }),
        acl({ resourceName: 'team-a.', resourcePatternType: Pattern.PREFIXED, operation: Op.ALL }),
        acl({ resourceName: 'acl-deny', principal: 'User:*', operation: Op.ALL }),
        acl({ resourceName: 'acl-deny', operation: Op.WRITE, permissionType: Perm.DENY }),
        acl({ resourceName: 'doomed', operation: Op.READ }),
      ],
    });
    const all = await admin.describeAcls({
      resourceType: Res.ANY,
      resourcePatternType: Pattern.ANY,
      operation: Op.ANY,
      permissionType: Perm.ANY,
    });
    const names = all.resources.map((r) => `${r.resourceType}:${r.resourcePatternType}:${r.resourceName}:${r.acls.length}`).sort();
    expect(names).toEqual(
      [
        `${Res.CLUSTER}:${Pattern.LITERAL}:kafka-cluster:2`,
        `${Res.GROUP}:${Pattern.LITERAL}:g-closed:1`,
        `${Res.GROUP}:${Pattern.LITERAL}:g-open:1`,
        `${Res.TOPIC}:${Pattern.LITERAL}:acl-deny:2`,
        `${Res.TOPIC}:${Pattern.LITERAL}:acl-open:1`,
        `${Res.TOPIC}:${Pattern.LITERAL}:acl-write-only:1`,
        `${Res.TOPIC}:${Pattern.LITERAL}:doomed:1`,
        `${Res.TOPIC}:${Pattern.PREFIXED}:team-a.:1`,
      ].sort(),
    );
    // MATCH: every binding that applies to team-a.orders.
    const match = await admin.describeAcls({ resourceType: Res.TOPIC, resourceName: 'team-a.orders', resourcePatternType: Pattern.MATCH, operation: Op.ANY, permissionType: Perm.ANY });
    expect(match.resources.map((r) => r.resourceName)).toEqual(['team-a.']);
    const deleted = await admin.deleteAcls({
      filters: [{ resourceType: Res.TOPIC, resourceName: 'doomed', resourcePatternType: Pattern.LITERAL, operation: Op.ANY, permissionType: Perm.ANY }],
    });
    expect(deleted.filterResponses[0]!.matchingAcls).toEqual([
      expect.objectContaining({ resourceName: 'doomed', principal: ME, host: '*', operation: Op.READ, permissionType: Perm.ALLOW, errorCode: 0 }),
    ]);
    const after = await admin.describeAcls({ resourceType: Res.TOPIC, resourceName: 'doomed', resourcePatternType: Pattern.LITERAL, operation: Op.ANY, permissionType: Perm.ANY });
    expect(after.resources).toEqual([]);
  });

  it('a binding Kafka refuses gets INVALID_REQUEST', async () => {
    expect(await errorTypes(admin.createAcls({ acl: [acl({ principal: 'nobody' })] }))).toEqual(['INVALID_REQUEST']);
  });

  it('an allowed principal produces and consumes in a group', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'acl-open', messages: [{ value: 'one' }, { value: 'two' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'g-open', retry: { retries: 0 } });
    expect(await consumeValues(consumer, 'acl-open', 2)).toEqual(['one', 'two']);
  });

  it('a produce to a topic without WRITE is TOPIC_AUTHORIZATION_FAILED (kafkajs)', async () => {
    const producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    expect(await errorTypes(producer.send({ topic: 'acl-closed', messages: [{ value: 'x' }] }))).toEqual(['TOPIC_AUTHORIZATION_FAILED']);
    // DENY beats ALLOW: User:* may do ALL on acl-deny, User:ANONYMOUS is denied WRITE.
    expect(await errorTypes(producer.send({ topic: 'acl-deny', messages: [{ value: 'x' }] }))).toEqual(['TOPIC_AUTHORIZATION_FAILED']);
    // PREFIXED: team-a.* is allowed, team-b.* is not.
    await producer.send({ topic: 'team-a.orders', messages: [{ value: 'ok' }] });
    expect(await errorTypes(producer.send({ topic: 'team-b.orders', messages: [{ value: 'x' }] }))).toEqual(['TOPIC_AUTHORIZATION_FAILED']);
    await producer.disconnect();
  });

  it('a produce to a topic without WRITE fails in kcat with the authorization error', async () => {
    const res = await run(KCAT, ['-P', '-b', bootstrap, '-t', 'acl-closed', '-X', 'message.timeout.ms=10000'], { input: 'x\n', timeoutMs: 60_000 });
    expect(res.stderr).toMatch(/authorization failed|TOPIC_AUTHORIZATION_FAILED/i);
  });

  it('Metadata hides topics the principal may not describe (kafkajs listTopics, kcat -L)', async () => {
    const topics = (await admin.listTopics()).sort();
    expect(topics).toEqual(['acl-deny', 'acl-open', 'acl-write-only', 'team-a.orders']);
    const res = await run(KCAT, ['-L', '-b', bootstrap, '-J'], { timeoutMs: 60_000 });
    const listed = (JSON.parse(res.stdout.toString("utf8")) as { topics: { topic: string }[] }).topics.map((t) => t.topic).sort();
    expect(listed).toEqual(['acl-deny', 'acl-open', 'acl-write-only', 'team-a.orders']);
  });

  it('a fetch from a topic without READ is TOPIC_AUTHORIZATION_FAILED (kcat)', async () => {
    const res = await run(KCAT, ['-C', '-b', bootstrap, '-t', 'acl-write-only', '-p', '0', '-o', 'beginning', '-e'], { timeoutMs: 60_000 });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/authorization failed|TOPIC_AUTHORIZATION_FAILED/i);
  });

  it('joining a group it may describe but not READ is GROUP_AUTHORIZATION_FAILED (kafkajs)', async () => {
    const consumer = kafka.consumer({ groupId: 'g-closed', retry: { retries: 0 } });
    await consumer.connect();
    await consumer.subscribe({ topic: 'acl-open' });
    const crashed = new Promise<unknown>((resolve) => consumer.on(consumer.events.CRASH, (e) => resolve(e.payload.error)));
    void consumer.run({ eachMessage: async () => undefined }).catch(() => undefined);
    expect(await errorTypes(crashed.then((e) => Promise.reject(e)))).toEqual(['GROUP_AUTHORIZATION_FAILED']);
    await consumer.disconnect();
  });

  it('admin requests without their ACL are refused: CreateTopics, DeleteTopics, broker configs', async () => {
    expect(await errorTypes(admin.createTopics({ topics: [{ topic: 'acl-new' }] }))).toEqual(['TOPIC_AUTHORIZATION_FAILED']);
    expect(await errorTypes(admin.deleteTopics({ topics: ['acl-write-only'] }))).toEqual(['TOPIC_AUTHORIZATION_FAILED']);
    expect(
      await errorTypes(admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.BROKER, name: '0' }], includeSynonyms: false })),
    ).toEqual(['CLUSTER_AUTHORIZATION_FAILED']);
  });

  it('ACL changes apply to the next request: granting CREATE on the cluster lets CreateTopics through', async () => {
    // kafkajs then waits for the topic in Metadata: that takes DESCRIBE on it.
    await admin.createAcls({
      acl: [acl({ resourceType: Res.CLUSTER, resourceName: 'kafka-cluster', operation: Op.CREATE }), acl({ resourceName: 'acl-new', operation: Op.DESCRIBE })],
    });
    expect(await admin.createTopics({ topics: [{ topic: 'acl-new' }] })).toBe(true);
  });
});
