// The etcd harness: a real etcd on free ports in a temp dir, killed and restarted with its data.
import { existsSync } from 'node:fs';
import { Etcd3 } from 'etcd3';
import { describe, expect, it } from 'vitest';
import { startEtcd } from '../src/testing/index';

describe('startEtcd', () => {
  it('serves on a free loopback port, keeps data across kill + restart, and stop() removes its dir', async () => {
    const etcd = await startEtcd();
    const client = new Etcd3({ hosts: etcd.endpoint });
    try {
      await client.put('/k').value('v');
      await etcd.kill();
      await etcd.restart();
      expect(await client.get('/k').string()).toBe('v');
      // A 1 s lease is granted as 1 s (the harness's election timing allows it).
      const lease = client.lease(1);
      const id = await lease.grant();
      const ttl = await client.leaseClient.leaseTimeToLive({ ID: id });
      expect(Number(ttl.grantedTTL)).toBe(1);
      await lease.revoke();
    } finally {
      client.close();
      await etcd.stop();
    }
    expect(existsSync(etcd.dataDir)).toBe(false);
  });
});
