// CreateTopics / CreatePartitions placement over the registered brokers is committed with those
// registrations as its membership basis, against a real etcd. Injected: between the placement and
// its commit, a broker's registration is deleted (its lease expired, as on SIGKILL). etcd refuses
// the stale placement (STALE_BROKER_EPOCH); the TopicManager places again from the image caught up
// with the refusal — the caller never sees the error and no new partition names the gone broker.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  EtcdMetadataStore,
  StaleMembershipError,
  createEtcdClient,
  type CommitOptions,
  type MembershipBasis,
  type MetadataDelta,
  type MetadataImage,
  type MetadataListener,
  type MetadataRecord,
  type MetadataStore,
} from '@mq/metadata';
import { startEtcd, type EtcdServer } from '@mq/metadata/testing';
import { TopicManager } from '../src/index';

/** The real etcd store with a hook run once before a commit (where a race would land). */
class HookedStore implements MetadataStore {
  armed: (() => Promise<void>) | undefined;
  readonly outcomes: string[] = [];
  constructor(readonly inner: EtcdMetadataStore) {}
  get image(): MetadataImage {
    return this.inner.image;
  }
  load(): Promise<MetadataImage> {
    return this.inner.load();
  }
  async commit(records: readonly MetadataRecord[], opts?: CommitOptions): Promise<MetadataDelta> {
    const hook = this.armed;
    this.armed = undefined;
    await hook?.();
    try {
      const delta = await this.inner.commit(records, opts);
      this.outcomes.push(opts?.basis !== undefined ? 'committed with basis' : 'committed');
      return delta;
    } catch (err) {
      this.outcomes.push(err instanceof StaleMembershipError ? 'stale' : 'failed');
      throw err;
    }
  }
  membershipBasis(nodeIds: Iterable<number>): MembershipBasis {
    return this.inner.membershipBasis(nodeIds);
  }
  caughtUp(revision: bigint): Promise<void> {
    return this.inner.caughtUp(revision);
  }
  watch(listener: MetadataListener): () => void {
    return this.inner.watch(listener);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

let etcd: EtcdServer;
let client: Awaited<ReturnType<typeof createEtcdClient>>;
let dir: string;
let store: HookedStore;
let tm: TopicManager;
let prefixN = 0;

beforeAll(async () => {
  etcd = await startEtcd();
  client = await createEtcdClient([etcd.endpoint], { callTimeoutMs: 1_000 });
});

afterAll(async () => {
  client.close();
  await etcd.stop();
});

const register = (id: number) => client.put(store.inner.keys.broker(id)).value(JSON.stringify({ nodeId: id, host: '127.0.0.1', port: 9000 + id, epoch: id })).exec();

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-placement-basis-'));
  const inner = new EtcdMetadataStore({ client, prefix: `/placement${prefixN++}/`, nodeId: 1 });
  store = new HookedStore(inner);
  tm = await TopicManager.open({ dataDir: dir, nodeId: 1, store });
  // This broker holds the controller key (as an election writes it): its commits are guarded by it.
  const held = await client.put(inner.keys.controller).value(JSON.stringify({ nodeId: 1, epoch: 1 })).exec();
  inner.setControllerGuard({ createRevision: held.header.revision });
  for (const id of [1, 2, 3]) await register(id);
  await expect.poll(() => store.image.brokers.size).toBe(3);
});

afterEach(async () => {
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

describe('replica placement from broker registrations', () => {
  it('CreateTopics: a placement onto a broker that left before the commit is refused by etcd and placed again', async () => {
    store.armed = async () => {
      await client.delete().key(store.inner.keys.broker(3)).exec();
    };
    const topic = await tm.createTopic('placed', 6, {}, false, { replicationFactor: 2 });
    expect(topic?.partitions).toHaveLength(6);
    // Six partitions at rf 2 over three brokers: the first placement named broker 3; it was refused.
    expect(store.outcomes).toEqual(['stale', 'committed with basis']);
    const replicas = store.image.topics.get('placed')!.partitions.map((s) => [...s.replicas].sort());
    expect(replicas).toEqual(Array.from({ length: 6 }, () => [1, 2]));
  });

  it('CreatePartitions: the new partitions are placed again the same way; explicit assignments carry no basis', async () => {
    await tm.createTopic('grown', 2, {}, false, { replicationFactor: 2 });
    store.armed = async () => {
      await client.delete().key(store.inner.keys.broker(2)).exec();
    };
    await tm.createPartitions('grown', 5);
    expect(store.outcomes).toEqual(['committed with basis', 'stale', 'committed with basis']);
    const added = store.image.topics.get('grown')!.partitions.slice(2).map((s) => [...s.replicas].sort());
    expect(added).toEqual([
      [1, 3],
      [1, 3],
      [1, 3],
    ]);
    await tm.createTopic('assigned', 1, {}, false, { assignments: [[1, 3]] });
    expect(store.outcomes.at(-1)).toBe('committed');
  });
});
