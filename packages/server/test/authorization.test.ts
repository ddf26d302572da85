// The authorizer over real sockets (a real BrokerServer, its real LocalMetadataStore): ACLs
// committed to the store's `acl` entries apply to the next request; Produce, Fetch and Metadata
// split allowed from refused topics; groups, ACL admin and auto-creation are refused as Kafka does;
// without an authorizer the ACL APIs answer SECURITY_DISABLED.
import { AclOperation as Op, AclPermissionType, type AclBinding, PatternType, ResourceType, bindingKey, encodeBinding } from '@mq/acl';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { buildRecordBatch } from '@mq/records';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

const AUTHORIZER = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';
let broker: TestBroker | undefined;
let c: RawClient | undefined;

afterEach(async () => {
  c?.close();
  await broker?.stop();
  broker = undefined;
  c = undefined;
});

async function start(config: Record<string, unknown> = {}): Promise<{ b: TestBroker; c: RawClient }> {
  broker = await startTestBroker({ authorizerClassName: AUTHORIZER, autoCreateTopicsEnable: true, ...config });
  c = await RawClient.connect(broker.port);
  return { b: broker, c };
}

function allow(resourceType: AclBinding['resourceType'], resourceName: string, operation: AclBinding['operation'], over: Partial<AclBinding> = {}): AclBinding {
  return { resourceType, resourceName, patternType: PatternType.LITERAL, principal: 'User:ANONYMOUS', host: '*', operation, permissionType: AclPermissionType.ALLOW, ...over };
}

async function grant(b: TestBroker, ...bindings: AclBinding[]): Promise<void> {
  await b.topics.store.commit(bindings.map((x) => ({ type: 'entry', namespace: 'acl', key: bindingKey(x), value: encodeBinding(x) })));
}

type Produced = { responses: { name: string; partitionResponses: { errorCode: number }[] }[] };

async function produce(client: RawClient, ...topics: string[]): Promise<Record<string, number>> {
  const records = await buildRecordBatch({ records: [{ key: null, value: Buffer.from('v') }] });
  const res = (await client.send(ApiKey.Produce, 9, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 1000,
    topicData: topics.map((name) => ({ name, partitionData: [{ index: 0, records }] })),
  })) as Produced;
  return Object.fromEntries(res.responses.map((r) => [r.name, r.partitionResponses[0]!.errorCode]));
}

type MetadataAnswer = { topics: { name: string; errorCode: number; topicAuthorizedOperations: number }[]; clusterAuthorizedOperations: number };

function metadata(client: RawClient, topics: string[] | null, allowAutoTopicCreation = false): Promise<MetadataAnswer> {
  return client.send(ApiKey.Metadata, 10, {
    topics: topics === null ? null : topics.map((name) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' })),
    allowAutoTopicCreation,
    includeClusterAuthorizedOperations: true,
    includeTopicAuthorizedOperations: true,
  }) as Promise<MetadataAnswer>;
}

describe('authorizer', () => {
  it('refuses a produce to a topic without WRITE, per topic, and allows it once WRITE is granted', async () => {
    const { b, c } = await start();
    await b.topics.createTopic('t-yes', 1);
    await b.topics.createTopic('t-no', 1);
    await grant(b, allow(ResourceType.TOPIC, 't-yes', Op.WRITE));
    expect(await produce(c, 't-yes', 't-no')).toEqual({ 't-yes': ErrorCode.NONE, 't-no': ErrorCode.TOPIC_AUTHORIZATION_FAILED });
    await grant(b, allow(ResourceType.TOPIC, 't-', Op.WRITE, { patternType: PatternType.PREFIXED }));
    expect(await produce(c, 't-no')).toEqual({ 't-no': ErrorCode.NONE });
    // An unknown topic is refused the same way: the answer does not tell which topics exist.
    expect(await produce(c, 'other')).toEqual({ other: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
  });

  it('fetches only topics with READ', async () => {
    const { b, c } = await start();
    await b.topics.createTopic('f-yes', 1);
    await b.topics.createTopic('f-no', 1);
    await grant(b, allow(ResourceType.TOPIC, 'f-yes', Op.READ));
    const res = (await c.send(ApiKey.Fetch, 11, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: ['f-yes', 'f-no'].map((topic) => ({ topic, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1, logStartOffset: -1n }] })),
      forgottenTopicsData: [],
      rackId: '',
    })) as { responses: { topic: string; partitions: { errorCode: number }[] }[] };
    expect(Object.fromEntries(res.responses.map((r) => [r.topic, r.partitions[0]!.errorCode]))).toEqual({
      'f-yes': ErrorCode.NONE,
      'f-no': ErrorCode.TOPIC_AUTHORIZATION_FAILED,
    });
  });

  it('Metadata hides topics without DESCRIBE, refuses named ones, auto-creates only with CREATE, and reports own operations', async () => {
    const { b, c } = await start();
    await b.topics.createTopic('m-read', 1);
    await b.topics.createTopic('m-hidden', 1);
    await grant(b, allow(ResourceType.TOPIC, 'm-read', Op.READ));
    const all = await metadata(c, null);
    expect(all.topics.map((t) => t.name)).toEqual(['m-read']);
    expect(all.topics[0]!.topicAuthorizedOperations).toBe((1 << Op.READ) | (1 << Op.DESCRIBE));
    expect(all.clusterAuthorizedOperations).toBe(0);
    const named = await metadata(c, ['m-read', 'm-hidden']);
    expect(Object.fromEntries(named.topics.map((t) => [t.name, t.errorCode]))).toEqual({ 'm-read': ErrorCode.NONE, 'm-hidden': ErrorCode.TOPIC_AUTHORIZATION_FAILED });
    // DESCRIBE but no CREATE: not auto-created.
    await grant(b, allow(ResourceType.TOPIC, 'm-new', Op.DESCRIBE));
    expect((await metadata(c, ['m-new'], true)).topics[0]!.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    expect(b.topics.get('m-new')).toBeUndefined();
    await grant(b, allow(ResourceType.TOPIC, 'm-new', Op.CREATE));
    expect((await metadata(c, ['m-new'], true)).topics[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(b.topics.get('m-new')).toBeDefined();
  });

  it('DENY beats ALLOW; super.users may do anything', async () => {
    const { b, c } = await start({ superUsers: 'User:admin' });
    await b.topics.createTopic('d', 1);
    await grant(b, allow(ResourceType.TOPIC, '*', Op.ALL, { principal: 'User:*' }), allow(ResourceType.TOPIC, 'd', Op.WRITE, { permissionType: AclPermissionType.DENY }));
    expect(await produce(c, 'd')).toEqual({ d: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
    c.close();
    await broker!.stop();
    broker = undefined;
    const su = await start({ superUsers: 'User:ANONYMOUS' });
    await su.b.topics.createTopic('d', 1);
    await grant(su.b, allow(ResourceType.TOPIC, 'd', Op.ALL, { permissionType: AclPermissionType.DENY }));
    expect(await produce(su.c, 'd')).toEqual({ d: ErrorCode.NONE });
  });

  it('JoinGroup without READ on the group is GROUP_AUTHORIZATION_FAILED', async () => {
    const { c } = await start();
    const res = (await c.send(ApiKey.JoinGroup, 5, {
      groupId: 'g',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
    })) as { errorCode: number };
    expect(res.errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
  });

  it('FindCoordinator needs DESCRIBE on the group; an idempotent InitProducerId IDEMPOTENT_WRITE or WRITE on some topic', async () => {
    const { b, c } = await start();
    const find = (await c.send(ApiKey.FindCoordinator, 3, { key: 'g', keyType: 0 })) as { errorCode: number };
    expect(find.errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const init = () => c.send(ApiKey.InitProducerId, 4, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 }) as Promise<{ errorCode: number }>;
    expect((await init()).errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    const txn = (await c.send(ApiKey.InitProducerId, 4, { transactionalId: 'tx', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 })) as { errorCode: number };
    expect(txn.errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    await grant(b, allow(ResourceType.TOPIC, 'some-topic', Op.WRITE));
    expect((await init()).errorCode).toBe(ErrorCode.NONE);
  });

  it('CreateAcls needs ALTER on the cluster; DescribeAcls DESCRIBE; what is created applies at once', async () => {
    const { b, c } = await start();
    const creation = { resourceType: ResourceType.TOPIC, resourceName: 'x', resourcePatternType: PatternType.LITERAL, principal: 'User:ANONYMOUS', host: '*', operation: Op.WRITE, permissionType: AclPermissionType.ALLOW };
    const refused = (await c.send(ApiKey.CreateAcls, 3, { creations: [creation] })) as { results: { errorCode: number }[] };
    expect(refused.results[0]!.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
    await grant(b, allow(ResourceType.CLUSTER, 'kafka-cluster', Op.ALTER), allow(ResourceType.CLUSTER, 'kafka-cluster', Op.DESCRIBE));
    const created = (await c.send(ApiKey.CreateAcls, 3, { creations: [creation, { ...creation, principal: 'nobody' }] })) as { results: { errorCode: number }[] };
    expect(created.results.map((r) => r.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.INVALID_REQUEST]);
    const described = (await c.send(ApiKey.DescribeAcls, 3, {
      resourceTypeFilter: ResourceType.TOPIC,
      resourceNameFilter: null,
      patternTypeFilter: PatternType.ANY,
      principalFilter: null,
      hostFilter: null,
      operation: Op.ANY,
      permissionType: AclPermissionType.ANY,
    })) as { errorCode: number; resources: { resourceName: string; acls: unknown[] }[] };
    expect(described.errorCode).toBe(0);
    expect(described.resources).toEqual([{ resourceType: ResourceType.TOPIC, resourceName: 'x', patternType: PatternType.LITERAL, acls: [{ principal: 'User:ANONYMOUS', host: '*', operation: Op.WRITE, permissionType: AclPermissionType.ALLOW }] }]);
    await b.topics.createTopic('x', 1);
    expect(await produce(c, 'x')).toEqual({ x: ErrorCode.NONE });
  });

  it('without an authorizer nothing is checked and the ACL APIs answer SECURITY_DISABLED', async () => {
    broker = await startTestBroker();
    c = await RawClient.connect(broker.port);
    await broker.topics.createTopic('free', 1);
    expect(await produce(c, 'free')).toEqual({ free: ErrorCode.NONE });
    const res = (await c.send(ApiKey.DeleteAcls, 2, { filters: [{ resourceTypeFilter: 1, resourceNameFilter: null, patternTypeFilter: 1, principalFilter: null, hostFilter: null, operation: 1, permissionType: 1 }] })) as {
      filterResults: { errorCode: number }[];
    };
    expect(res.filterResults[0]!.errorCode).toBe(ErrorCode.SECURITY_DISABLED);
  });
});
