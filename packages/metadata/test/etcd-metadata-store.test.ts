// EtcdMetadataStore against a real etcd (the harness): commits guarded by the controller key (a
// store without it, or whose key was taken over, cannot write), deltas on every watching store,
// the leader's ISR CAS (AlterPartition rules), producer-id blocks by CAS, and etcd going away.
import type { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EtcdMetadataStore,
  FencedLeaderEpochError,
  IneligibleReplicaError,
  InvalidUpdateVersionError,
  MetadataUnavailableError,
  NotControllerError,
  StaleBrokerEpochError,
  StaleMembershipError,
  createEtcdClient,
  entriesOf,
  type MetadataDelta,
  type MetadataRecord,
} from '../src/index';
import { startEtcd, type EtcdServer } from '../src/testing/index';

let etcd: EtcdServer;
const clients: Etcd3[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await etcd.stop();
});

let prefixN = 0;
async function stores(n: number): Promise<{ stores: EtcdMetadataStore[]; client: Etcd3; prefix: string }> {
  const prefix = `/t${prefixN++}/`;
  const client = await createEtcdClient([etcd.endpoint], { callTimeoutMs: 1_000 });
  clients.push(client);
  const out: EtcdMetadataStore[] = [];
  for (let i = 0; i < n; i++) {
    const s = new EtcdMetadataStore({ client, prefix, nodeId: i + 1 });
    await s.load();
    out.push(s);
  }
  return { stores: out, client, prefix };
}

/** Writes the controller key as an election would; returns the guard it gives. */
async function holdController(client: Etcd3, store: EtcdMetadataStore, nodeId: number, epoch: number): Promise<{ createRevision: string }> {
  const res = await client.put(store.keys.controller).value(JSON.stringify({ nodeId, epoch })).exec();
  return { createRevision: res.header.revision };
}

function topicRecords(name: string, topicId: string, replicas: number[][]): MetadataRecord[] {
  return [
    { type: 'topic', name, topicId, configs: { 'retention.ms': '60000' } },
    ...replicas.map((r, i): MetadataRecord => ({ type: 'partition', state: { topicId, topic: name, partition: i, leader: r[0]!, leaderEpoch: 0, partitionEpoch: 0, replicas: r, isr: r } })),
  ];
}

async function registerBrokers(client: Etcd3, store: EtcdMetadataStore, ids: number[]): Promise<void> {
  for (const id of ids) await client.put(store.keys.broker(id)).value(JSON.stringify({ nodeId: id, host: '127.0.0.1', port: 9000 + id, epoch: 1 })).exec();
  await expect.poll(() => store.image.brokers.size).toBe(ids.length);
}

describe('EtcdMetadataStore', () => {
  it('commits while holding the controller key and every store applies the same delta', async () => {
    const { stores: [a, b], client } = await stores(2);
    a!.setControllerGuard(await holdController(client, a!, 1, 1));
    const seen: MetadataDelta[] = [];
    b!.watch((d) => seen.push(d));
    const delta = await a!.commit(topicRecords('orders', 'AAAAAAAAAAAAAAAAAAAAAQ', [[1, 2], [2, 1]]));
    expect(delta.topicsCreated().map((t) => t.name)).toEqual(['orders']);
    await expect.poll(() => b!.image.topics.get('orders')?.partitions.length).toBe(2);
    // One etcd txn is one delta on every watching store: the topic with all its partitions at once.
    const created = seen.find((d) => d.topicsCreated().length > 0)!;
    expect(created.partitionsChanged().map((s) => s.partition)).toEqual([0, 1]);
    expect(b!.image.topics.get('orders')).toEqual(a!.image.topics.get('orders'));
    expect(b!.image.controller).toEqual({ nodeId: 1, epoch: 1 });
    // A config change arrives as a config change, not a new topic.
    await a!.commit([{ type: 'config', topic: 'orders', configs: { 'cleanup.policy': 'compact' } }]);
    await expect.poll(() => b!.image.topics.get('orders')?.configs).toEqual({ 'cleanup.policy': 'compact' });
    expect(seen.at(-1)!.configsChanged().map((t) => t.name)).toEqual(['orders']);
    await a!.commit([{ type: 'removeTopic', name: 'orders' }]);
    await expect.poll(() => b!.image.topics.has('orders')).toBe(false);
    // A store loaded now sees what is there, and nothing of what was removed.
    const { stores: [late] } = { stores: [new EtcdMetadataStore({ client, prefix: a!.keys.prefix, nodeId: 9 })] };
    await late!.load();
    expect(late!.image.topics.size).toBe(0);
    expect(late!.image.controller).toEqual({ nodeId: 1, epoch: 1 });
    await Promise.all([a!.close(), b!.close(), late!.close()]);
  });

  it('refuses a commit from a broker that is not the controller (NOT_CONTROLLER, 41)', async () => {
    const { stores: [a, b], client } = await stores(2);
    a!.setControllerGuard(await holdController(client, a!, 1, 1));
    await expect.poll(() => b!.image.controller?.nodeId).toBe(1);
    const err = await b!.commit(topicRecords('x', 'AAAAAAAAAAAAAAAAAAAAAg', [[1]])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotControllerError);
    expect((err as NotControllerError).errorCode).toBe(41);
    expect((err as Error).message).toBe('broker 2 is not the controller (broker 1 is)');
    await Promise.all([a!.close(), b!.close()]);
  });

  it('a deposed controller cannot write: its txn is refused once the key was taken over, and nothing is written', async () => {
    const { stores: [a, b], client } = await stores(2);
    const old = await holdController(client, a!, 1, 1);
    a!.setControllerGuard(old);
    await a!.commit(topicRecords('before', 'AAAAAAAAAAAAAAAAAAAAAw', [[1]]));
    // Broker 1 stalls (it still believes it is the controller); its key expires and broker 2 is elected.
    await client.delete().key(a!.keys.controller).exec();
    b!.setControllerGuard(await holdController(client, b!, 2, 2));
    const err = await a!.commit(topicRecords('after', 'AAAAAAAAAAAAAAAAAAAABA', [[1]])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotControllerError);
    expect((err as Error).message).toMatch(/broker 1 is no longer the controller: its etcd txn was refused/);
    expect(await client.get(a!.keys.topic('after')).string()).toBeNull();
    // The new controller writes.
    await b!.commit(topicRecords('after', 'AAAAAAAAAAAAAAAAAAAABA', [[2]]));
    await expect.poll(() => a!.image.topics.get('after')?.partitions[0]?.leader).toBe(2);
    await Promise.all([a!.close(), b!.close()]);
  });

  it('alterPartition: CAS on partitionEpoch, fenced by leaderEpoch, only live replicas join the ISR', async () => {
    const { stores: [ctl, leader], client } = await stores(2);
    ctl!.setControllerGuard(await holdController(client, ctl!, 1, 1));
    await registerBrokers(client, leader!, [1, 2, 3]);
    await ctl!.commit(topicRecords('t', 'AAAAAAAAAAAAAAAAAAAABQ', [[2, 1, 3]]));
    await expect.poll(() => leader!.image.topics.has('t')).toBe(true);
    // The leader (broker 2, not the controller) shrinks the ISR itself.
    const shrunk = await leader!.alterPartition({ topic: 't', partition: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [2, 1] });
    expect(shrunk).toMatchObject({ leader: 2, leaderEpoch: 0, partitionEpoch: 1, isr: [2, 1], replicas: [2, 1, 3] });
    await expect.poll(() => ctl!.image.topics.get('t')?.partitions[0]?.partitionEpoch).toBe(1);
    await expect(leader!.alterPartition({ topic: 't', partition: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [2] })).rejects.toBeInstanceOf(InvalidUpdateVersionError);
    await expect(leader!.alterPartition({ topic: 't', partition: 0, leaderEpoch: 3, partitionEpoch: 1, isr: [2] })).rejects.toBeInstanceOf(FencedLeaderEpochError);
    await client.delete().key(leader!.keys.broker(3)).exec();
    await expect.poll(() => leader!.image.brokers.has(3)).toBe(false);
    await expect(leader!.alterPartition({ topic: 't', partition: 0, leaderEpoch: 0, partitionEpoch: 1, isr: [2, 1, 3] })).rejects.toBeInstanceOf(IneligibleReplicaError);
    expect((await leader!.alterPartition({ topic: 't', partition: 0, leaderEpoch: 0, partitionEpoch: 1, isr: [2] })).isr).toEqual([2]);
    await Promise.all([ctl!.close(), leader!.close()]);
  });

  it('a commit computed from a stale membership basis is refused (STALE_BROKER_EPOCH, 77) and nothing is written; recomputed from the new image it goes through', async () => {
    const { stores: [ctl], client } = await stores(1);
    ctl!.setControllerGuard(await holdController(client, ctl!, 1, 1));
    await registerBrokers(client, ctl!, [1, 2, 3]);
    await ctl!.commit(topicRecords('m', 'AAAAAAAAAAAAAAAAAAAACQ', [[1, 2, 3]]));
    await client.delete().key(ctl!.keys.broker(3)).exec();
    await expect.poll(() => ctl!.image.brokers.has(3)).toBe(false);
    // Decided from this image: broker 3 is dead, so it leaves the ISR.
    const basis = ctl!.membershipBasis([1, 2, 3]);
    expect(basis.registrations.get(3)).toBe('0');
    const s = ctl!.image.topics.get('m')!.partitions[0]!;
    const shrink: MetadataRecord = { type: 'partition', state: { ...s, isr: [1, 2], partitionEpoch: s.partitionEpoch + 1 } };
    // ... but broker 3 registers again before the commit: the decision is stale.
    const put = await client.put(ctl!.keys.broker(3)).value(JSON.stringify({ nodeId: 3, host: '127.0.0.1', port: 9003, epoch: 2 })).exec();
    const err = await ctl!.commit([shrink], { basis }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleMembershipError);
    expect(err).toBeInstanceOf(StaleBrokerEpochError);
    expect((err as StaleMembershipError).errorCode).toBe(77);
    expect((err as StaleMembershipError).revision).toBeGreaterThanOrEqual(BigInt(put.header.revision));
    expect(((await client.get(ctl!.keys.partition('m', 0)).json()) as { isr: number[] }).isr).toEqual([1, 2, 3]);
    // Caught up with the revision the refusal names, the image has broker 3 back: a basis from it holds.
    await ctl!.caughtUp((err as StaleMembershipError).revision);
    expect(ctl!.image.brokers.get(3)?.epoch).toBe(2);
    const renamed: MetadataRecord = { type: 'config', topic: 'm', configs: { 'retention.ms': '1000' } };
    await ctl!.commit([renamed], { basis: ctl!.membershipBasis([1, 2, 3]) });
    expect(ctl!.image.topics.get('m')!.configs['retention.ms']).toBe('1000');
    await ctl!.close();
  });

  it('alterPartition (KIP-841): a replica joins the ISR only registered under the broker epoch the leader saw; a stale leader epoch is STALE_BROKER_EPOCH', async () => {
    const { stores: [ctl, leader], client } = await stores(2);
    ctl!.setControllerGuard(await holdController(client, ctl!, 1, 1));
    await registerBrokers(client, leader!, [1, 2, 3]);
    await ctl!.commit(topicRecords('k', 'AAAAAAAAAAAAAAAAAAAACg', [[2, 1, 3]]));
    await expect.poll(() => leader!.image.topics.has('k')).toBe(true);
    expect((await leader!.alterPartition({ topic: 'k', partition: 0, leaderEpoch: 0, partitionEpoch: 0, isr: [2, 1], brokerEpoch: 1 })).isr).toEqual([2, 1]);
    // Broker 3 restarted (epoch 7) after the leader last saw it (epoch 1): ineligible.
    await client.put(leader!.keys.broker(3)).value(JSON.stringify({ nodeId: 3, host: '127.0.0.1', port: 9003, epoch: 7 })).exec();
    await expect.poll(() => leader!.image.brokers.get(3)?.epoch).toBe(7);
    const add3 = (brokerEpoch3: number, leaderBrokerEpoch = 1) => leader!.alterPartition({
      topic: 'k', partition: 0, leaderEpoch: 0, partitionEpoch: 1, isr: [2, 1, 3], brokerEpoch: leaderBrokerEpoch,
      isrWithEpochs: [{ brokerId: 2, brokerEpoch: 1 }, { brokerId: 1, brokerEpoch: 1 }, { brokerId: 3, brokerEpoch: brokerEpoch3 }],
    });
    const ineligible = await add3(1).catch((e: unknown) => e);
    expect(ineligible).toBeInstanceOf(IneligibleReplicaError);
    expect((ineligible as IneligibleReplicaError).errorCode).toBe(107);
    expect((ineligible as Error).message).toMatch(/registered under broker epoch 7, the leader saw 1/);
    // The leader itself sends an epoch it is no longer registered under.
    const stale = await add3(7, 5).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(StaleBrokerEpochError);
    expect((stale as StaleBrokerEpochError).errorCode).toBe(77);
    expect((await add3(7)).isr).toEqual([2, 1, 3]);
    await Promise.all([ctl!.close(), leader!.close()]);
  });

  it('producer-id blocks are taken by CAS from any broker: two never get the same block', async () => {
    const { stores: [a, b] } = await stores(2);
    await a!.commit([{ type: 'producerIds', nextBlockStart: 1000n }]);
    await expect.poll(() => b!.image.nextProducerIdBlock).toBe(1000n);
    await b!.commit([{ type: 'producerIds', nextBlockStart: 2000n }]);
    await expect.poll(() => a!.image.nextProducerIdBlock).toBe(2000n);
    await a!.commit([{ type: 'producerIds', nextBlockStart: 3000n }]);
    await expect.poll(() => b!.image.nextProducerIdBlock).toBe(3000n);
    await Promise.all([a!.close(), b!.close()]);
  });
});

describe('etcd unavailable', () => {
  it('a commit fails with REQUEST_TIMED_OUT naming etcd; the image stays; after etcd returns the watch resyncs', async () => {
    const { stores: [a, b], client } = await stores(2);
    a!.setControllerGuard(await holdController(client, a!, 1, 1));
    await a!.commit(topicRecords('kept', 'AAAAAAAAAAAAAAAAAAAABg', [[1]]));
    await expect.poll(() => b!.image.topics.has('kept')).toBe(true);
    const before = a!.image;
    await etcd.kill();
    const err = await a!.commit(topicRecords('lost', 'AAAAAAAAAAAAAAAAAAAABw', [[1]])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetadataUnavailableError);
    expect((err as MetadataUnavailableError).errorCode).toBe(7);
    expect((err as Error).message).toMatch(/^etcd is unavailable \(committing a metadata change\)/);
    expect(a!.image).toBe(before);
    await etcd.restart();
    // Pending change retried by the caller after etcd is back; the other store's watch catches up.
    await expect.poll(async () => a!.commit(topicRecords('later', 'AAAAAAAAAAAAAAAAAAAACA', [[1]])).then(() => true, () => false), { timeout: 20_000, interval: 300 }).toBe(true);
    await expect.poll(() => b!.image.topics.has('later'), { timeout: 20_000 }).toBe(true);
    expect(b!.image.topics.has('lost')).toBe(false);
    await Promise.all([a!.close(), b!.close()]);
  });

  it('any broker writes keyed entries (no controller needed); every store applies them, keys with "/" included', async () => {
    const { stores: [a, b] } = await stores(2);
    const seen: string[] = [];
    b!.watch((d) => seen.push(...d.entriesChanged().map((c) => `${c.namespace}|${c.key}|${c.value}`)));
    await a!.commit([
      { type: 'entry', namespace: 'scram', key: 'SCRAM-SHA-512/alice', value: 'cred' },
      { type: 'entry', namespace: 'quota', key: 'user=alice', value: '{"producer_byte_rate":1024}' },
    ]);
    await expect.poll(() => entriesOf(b!.image, 'scram').get('SCRAM-SHA-512/alice')).toBe('cred');
    expect(entriesOf(b!.image, 'quota').get('user=alice')).toBe('{"producer_byte_rate":1024}');
    await b!.commit([{ type: 'entry', namespace: 'scram', key: 'SCRAM-SHA-512/alice', value: null }]);
    await expect.poll(() => entriesOf(a!.image, 'scram').size).toBe(0);
    expect(seen).toEqual(['scram|SCRAM-SHA-512/alice|cred', 'quota|user=alice|{"producer_byte_rate":1024}', 'scram|SCRAM-SHA-512/alice|null']);
    // A store loaded afterwards reads them from etcd.
    const later = new EtcdMetadataStore({ client: clients[clients.length - 1]!, prefix: `/t${prefixN - 1}/`, nodeId: 9 });
    await later.load();
    expect(entriesOf(later.image, 'quota').get('user=alice')).toBe('{"producer_byte_rate":1024}');
    await later.close();
  });
});
