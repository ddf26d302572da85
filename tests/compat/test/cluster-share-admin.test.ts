// Share-group administration across a real 3-broker cluster (etcd + broker processes), where the
// group's coordinator leads only some of the share-partitions:
// - reset and delete: `mq share-groups reset-offsets --execute` and `mq share-groups delete --topic`
//   (AlterShareGroupOffsets / DeleteShareGroupOffsets at the group's coordinator, which forwards each
//   share-partition to its leader) move / drop the state of all three partitions, each led by another
//   broker: an @mq/client ShareConsumer gets every record again; a group with a member is refused;
//   `mq share-groups delete` (DeleteGroups) drops the group with the state of every share-partition.
// - listing: share groups coordinated by three different brokers are listed by their coordinator
//   only, so kafkajs' admin (ListGroups to every broker) sees each once, and DescribeGroups there
//   describes them as share groups.
// - a leader refusing the group while another answers: @mq/client's ShareConsumer hands out what the
//   answering leader acquired at once (delivery count 1, with a lock far longer than the test) and
//   reports the refusal on the next poll. The refusing broker is restarted without super.users, so
//   the DENY READ on the group (an ACL every broker has) binds there only.
import { type RunningCluster, startCluster } from '@mq/broker';
import { MqClient, type ShareRecord } from '@mq/client';
import { CONSUMER_OFFSETS_TOPIC, partitionFor } from '@mq/groups';
import { ApiKey, ErrorCode, KafkaError } from '@mq/protocol';
import { AclOperationTypes as Op, AclPermissionTypes as Perm, AclResourceTypes as Res, Kafka, logLevel, ResourcePatternTypes as Pattern } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicMetadata, until } from '../src/cluster-probe';
import { mq } from '../src/mq-cli';
import { WireClient } from './groups-wire-client';

const OFFSETS_PARTITIONS = 3;
const PER_PARTITION = 10;
let cluster: RunningCluster;
let client: MqClient;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: {
      'share.auto.offset.reset': 'earliest',
      'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS),
      'group.share.heartbeat.interval.ms': '200',
      // Longer than the test: a record acquired and not handed out would stay locked throughout.
      'group.share.record.lock.duration.ms': '600000',
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'allow.everyone.if.no.acl.found': 'true',
      'super.users': 'User:ANONYMOUS',
    },
  });
  client = new MqClient({ bootstrapServers: cluster.bootstrap, clientId: 'share-admin-test' });
}, 180_000);

afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

const kafka = (bootstrap = cluster.bootstrap): Kafka =>
  new Kafka({ clientId: 'share-admin-test', brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1_000 } });

async function withAdmin<T>(fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The broker coordinating each __consumer_offsets partition now. */
async function coordinators(): Promise<number[]> {
  return (await topicMetadata(cluster.bootstrap, CONSUMER_OFFSETS_TOPIC)).partitions.map((p) => p.leader);
}

/** A group name (with `prefix`) whose coordinator is `wanted(node)`. */
async function groupCoordinatedBy(prefix: string, wanted: (node: number) => boolean): Promise<{ group: string; coordinator: number }> {
  const leaders = await coordinators();
  for (let i = 0; i < 200; i++) {
    const group = `${prefix}-${i}`;
    const coordinator = leaders[partitionFor(group, OFFSETS_PARTITIONS)]!;
    if (wanted(coordinator)) return { group, coordinator };
  }
  throw new Error(`no ${prefix} group has a wanted coordinator (coordinators ${leaders.join(', ')})`);
}

async function produce(topic: string, partitions: readonly number[], tag: string): Promise<void> {
  await client.producer({ acks: -1 }).send({ topic, messages: partitions.flatMap((partition) => Array.from({ length: PER_PARTITION }, (_, i) => ({ partition, value: `${tag}-${partition}-${i}` }))) });
}

/** A share consumer of `group` on `topic` accepting until `count` records arrived; answers them. */
async function consume(group: string, topic: string, count: number): Promise<ShareRecord[]> {
  const c = client.shareConsumer({ groupId: group, maxWaitMs: 200 });
  c.subscribe([topic]);
  const got: ShareRecord[] = [];
  try {
    await until(`${count} records of ${topic} for ${group}`, 90_000, async () => {
      got.push(...(await c.poll()));
      return got.length >= count;
    });
    expect(await c.commit()).toEqual([]);
  } finally {
    await c.close();
  }
  return got;
}

const values = (records: readonly ShareRecord[]): string[] => records.map((r) => r.value!.toString()).sort();
const expectedValues = (tag: string, partitions: readonly number[]): string[] =>
  partitions.flatMap((p) => Array.from({ length: PER_PARTITION }, (_, i) => `${tag}-${p}-${i}`)).sort();

describe('share-group administration in a 3-broker cluster', () => {
  it('reset-offsets and delete --topic reach every share-partition, wherever it is led', async () => {
    const topic = 'admin-queue';
    await withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true }));
    await until('the three partitions led by three brokers', 60_000, async () => new Set((await topicMetadata(cluster.bootstrap, topic)).partitions.map((p) => p.leader)).size === 3);
    await produce(topic, [0, 1, 2], 'r');
    const { group, coordinator } = await groupCoordinatedBy('admin-workers', () => true);
    expect(values(await consume(group, topic, 3 * PER_PARTITION))).toEqual(expectedValues('r', [0, 1, 2]));
    const shares = () => client.admin().shareGroups().offsets(group);
    await until('every start offset past the accepted records', 30_000, async () => (await shares()).every((o) => o.startOffset === BigInt(PER_PARTITION)));

    // Asked through a broker that is not the coordinator: the CLI finds the coordinator, which has each leader move its share-partition.
    const other = cluster.brokers.find((b) => b.nodeId !== coordinator)!;
    const reset = await mq(['-b', `${other.host}:${other.port}`, '-o', 'json', 'share-groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--execute']);
    expect(reset.code, reset.stderr).toBe(0);
    expect((await shares()).map((o) => [o.partition, o.startOffset])).toEqual([0, 1, 2].map((p) => [p, 0n]));
    expect(values(await consume(group, topic, 3 * PER_PARTITION)), 'every record again after the reset').toEqual(expectedValues('r', [0, 1, 2]));

    // A group with a member is refused (the coordinator knows the membership; the leaders do not).
    const member = client.shareConsumer({ groupId: group, maxWaitMs: 200 });
    member.subscribe([topic]);
    await member.poll();
    const refused = await mq(['-b', cluster.bootstrap, 'share-groups', 'reset-offsets', group, '--topic', topic, '--to-earliest', '--execute']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/NON_EMPTY_GROUP|members/);
    await member.close();

    await until('every start offset past the records again', 30_000, async () => (await shares()).every((o) => o.startOffset === BigInt(PER_PARTITION)));
    const dropped = await mq(['-b', `${other.host}:${other.port}`, 'share-groups', 'delete', group, '--topic', topic]);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(await shares(), 'no share-partition has state after the delete').toEqual([]);
    // Without state each share-partition starts at share.auto.offset.reset (earliest): everything once more.
    expect(values(await consume(group, topic, 3 * PER_PARTITION)), 'every record again after the delete').toEqual(expectedValues('r', [0, 1, 2]));

    // DeleteGroups: the group and the state of all three share-partitions go (asked of every share coordinator).
    await until('every start offset past the records once more', 30_000, async () => (await shares()).every((o) => o.startOffset === BigInt(PER_PARTITION)));
    const deleted = await mq(['-b', `${other.host}:${other.port}`, 'share-groups', 'delete', group]);
    expect(deleted.code, deleted.stderr).toBe(0);
    await expect(shares()).rejects.toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND });
    expect(values(await consume(group, topic, 3 * PER_PARTITION)), 'every record again after DeleteGroups').toEqual(expectedValues('r', [0, 1, 2]));
  }, 300_000);

  it('each share group is listed by its coordinator only: kafkajs sees it once and describes it as a share group', async () => {
    const topic = 'listed-queue';
    await withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true }));
    await produce(topic, [0, 1, 2], 'l');
    const byNode = new Map<number, string>();
    for (const b of cluster.brokers) byNode.set(b.nodeId, (await groupCoordinatedBy(`listed-${b.nodeId}`, (n) => n === b.nodeId)).group);
    // One member each, left running: the groups are Stable with a member at their coordinators.
    const members = [...byNode.values()].map((group) => {
      const c = client.shareConsumer({ groupId: group, maxWaitMs: 200 });
      c.subscribe([topic]);
      return c;
    });
    try {
      await Promise.all(members.map((c) => c.poll()));
      const groups = [...byNode.values()];
      const listed = await withAdmin(async (admin) => (await admin.listGroups()).groups.filter((g) => groups.includes(g.groupId)));
      expect(listed.map((g) => [g.groupId, g.protocolType]).sort()).toEqual(groups.map((g) => [g, 'share']).sort());
      // ListGroups to each broker on its own: it lists exactly the share group it coordinates.
      for (const b of cluster.brokers) {
        const wire = await WireClient.open(b.port);
        try {
          const res = await wire.call(ApiKey.ListGroups, 5, { statesFilter: [], typesFilter: ['share'] });
          const here = (res.groups as { groupId: string; groupType: string }[]).filter((g) => groups.includes(g.groupId)).map((g) => [g.groupId, g.groupType]);
          expect(here, `share groups listed by broker ${b.nodeId}`).toEqual([[byNode.get(b.nodeId), 'share']]);
        } finally {
          wire.close();
        }
      }
      const described = await withAdmin((admin) => admin.describeGroups(groups));
      expect(described.groups.map((g) => [g.groupId, g.protocolType, g.members.length]).sort()).toEqual(groups.map((g) => [g, 'share', 1]).sort());
      const cli = await mq(['-b', cluster.bootstrap, '-o', 'json', 'share-groups', 'list']);
      expect(cli.code, cli.stderr).toBe(0);
      const rows = JSON.parse(cli.stdout) as { groupId?: string; group?: string }[];
      expect(rows.map((r) => r.groupId ?? r.group).filter((g) => groups.includes(g!)).sort()).toEqual([...groups].sort());
    } finally {
      await Promise.all(members.map((c) => c.close()));
    }
  }, 300_000);

  it("a leader refusing the group does not cost the records another leader acquired: they are handed out at once", async () => {
    const topic = 'split-queue';
    const [refusing, answering] = [cluster.brokers[0]!.nodeId, cluster.brokers[1]!.nodeId];
    // One replica each, so the refusing broker leads its partition again after its restart.
    await withAdmin((admin) =>
      admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [refusing] }, { partition: 1, replicas: [answering] }] }], waitForLeaders: true }),
    );
    const guarded = 'guarded-workers';
    const acl = (operation: number, permissionType: number) => ({ resourceType: Res.GROUP, resourceName: guarded, resourcePatternType: Pattern.LITERAL, principal: 'User:ANONYMOUS', host: '*', operation, permissionType });
    // ALLOW ALL keeps FindCoordinator (DESCRIBE) and heartbeats open; DENY READ refuses ShareFetch — where ANONYMOUS is no super user.
    await withAdmin((admin) => admin.createAcls({ acl: [acl(Op.ALL, Perm.ALLOW), acl(Op.READ, Perm.DENY)] }));
    await cluster.broker(refusing).stop();
    await cluster.broker(refusing).restart({ 'super.users': '' });
    await until('both partitions led again', 60_000, async () => (await topicMetadata(cluster.bootstrap, topic)).partitions.map((p) => p.leader).join() === `${refusing},${answering}`);
    // The group's coordinator (heartbeats, READ on the group) must not be the refusing broker.
    await until('the group coordinated by a broker that lets it in', 60_000, async () => {
      const leaders = await coordinators();
      return leaders[partitionFor(guarded, OFFSETS_PARTITIONS)] !== refusing && leaders.every((l) => l > 0);
    });
    await produce(topic, [0, 1], 's');

    const c = client.shareConsumer({ groupId: guarded, maxWaitMs: 200 });
    c.subscribe([topic]);
    const got: ShareRecord[] = [];
    let refusal: unknown;
    try {
      await until('the answering leader\'s records and the refusal', 90_000, async () => {
        try {
          got.push(...(await c.poll()));
        } catch (err) {
          refusal = err;
        }
        return got.length >= PER_PARTITION && refusal !== undefined;
      });
    } finally {
      await c.close().catch(() => undefined);
    }
    expect(refusal).toBeInstanceOf(KafkaError);
    expect((refusal as KafkaError).errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    // Delivered the first time they were acquired: nothing waited out a lock.
    expect(got.map((r) => [r.partition, r.value!.toString(), r.deliveryCount]).sort()).toEqual(
      Array.from({ length: PER_PARTITION }, (_, i) => [1, `s-1-${i}`, 1]).sort(),
    );
  }, 300_000);
});
