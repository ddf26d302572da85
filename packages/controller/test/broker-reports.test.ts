// BrokerReports on a real etcd: each broker sees the others' latest report (not its own), a close
// revokes the lease so the report goes at once, an abandoned lease (a killed broker) takes its
// report with it after the TTL, and reports never reach the metadata prefix's watch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdKeys, EtcdMetadataStore, createEtcdClient } from '@mq/metadata';
import { startEtcd, type EtcdServer } from '@mq/metadata/testing';
import type { Etcd3 } from 'etcd3';
import { BrokerReports } from '../src/broker-reports';

let etcd: EtcdServer;
const clients: Etcd3[] = [];

beforeAll(async () => {
  etcd = await startEtcd();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await etcd.stop();
});

async function reporter(prefix: string, nodeId: number): Promise<BrokerReports> {
  const client = await createEtcdClient([etcd.endpoint]);
  clients.push(client);
  const r = new BrokerReports({ client, prefix: new EtcdKeys(prefix).reportsPrefix('usage'), nodeId, ttlSeconds: 1 });
  await r.start();
  return r;
}

describe('BrokerReports', () => {
  it('each broker sees every other broker’s latest report; a close removes it at once', async () => {
    const [a, b, c] = [await reporter('/r1/', 1), await reporter('/r1/', 2), await reporter('/r1/', 3)];
    await a.publish('a1');
    await a.publish('a2');
    await b.publish('b1');
    await expect.poll(() => [...c.reports()].sort()).toEqual([
      [1, 'a2'],
      [2, 'b1'],
    ]);
    await expect.poll(() => [...a.reports()]).toEqual([[2, 'b1']]);
    let told = 0;
    c.onChange(() => told++);
    await b.close();
    await expect.poll(() => [...c.reports()]).toEqual([[1, 'a2']]);
    expect(told).toBeGreaterThan(0);
    // A later reporter reads what is there at start.
    const d = await reporter('/r1/', 4);
    expect([...d.reports()]).toEqual([[1, 'a2']]);
    await Promise.all([a.close(), c.close(), d.close()]);
  });

  it('an abandoned lease (the broker died) takes its report with it after the TTL; the metadata watch never sees reports', async () => {
    const client = await createEtcdClient([etcd.endpoint]);
    clients.push(client);
    const store = new EtcdMetadataStore({ client, nodeId: 9, prefix: '/r2/' });
    await store.load();
    let deltas = 0;
    store.watch(() => deltas++);
    const [a, b] = [await reporter('/r2/', 1), await reporter('/r2/', 2)];
    await a.publish('alive');
    await expect.poll(() => b.reports().get(1)).toBe('alive');
    // What a SIGKILL does to the lease: no more keepalives, nobody revokes it.
    a.abandon();
    await expect.poll(() => b.reports().size, { timeout: 10_000 }).toBe(0);
    expect(deltas).toBe(0);
    await Promise.all([b.close(), store.close()]);
  });
});
