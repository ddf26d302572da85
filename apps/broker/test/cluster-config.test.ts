// Cluster-mode settings: --node-id / --etcd / --rack / broker.session.timeout.ms / replica.lag.time.max.ms parsed from the one
// config table, refused when they cannot work, and a broker that cannot reach etcd does not start.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadBrokerOptions, startBroker } from '../src/index';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('cluster settings', () => {
  it('--node-id, --etcd (comma-separated), --rack and the session timeout', async () => {
    const o = await loadBrokerOptions(['--node-id', '2', '--etcd', 'http://127.0.0.1:2379, http://127.0.0.1:2381', '--rack', 'r1', '--override', 'broker.session.timeout.ms=3000', '--override', 'replica.lag.time.max.ms=4000'], {});
    expect(o.config.nodeId).toBe(2);
    expect(o.cluster).toEqual({
      etcd: ['http://127.0.0.1:2379', 'http://127.0.0.1:2381'],
      rack: 'r1',
      sessionTimeoutMs: 3000,
      replicaLagTimeMaxMs: 4000,
      leaderRebalance: { enabled: true, checkIntervalMs: 300_000, imbalancePercentage: 10 },
    });
    const rebalance = await loadBrokerOptions(
      ['--etcd', 'http://127.0.0.1:2379', '--override', 'auto.leader.rebalance.enable=false', '--override', 'leader.imbalance.check.interval.seconds=2', '--override', 'leader.imbalance.per.broker.percentage=0'],
      {},
    );
    expect(rebalance.cluster?.leaderRebalance).toEqual({ enabled: false, checkIntervalMs: 2000, imbalancePercentage: 0 });
    expect((await loadBrokerOptions(['--etcd', 'http://127.0.0.1:2379'], {})).cluster?.replicaLagTimeMaxMs).toBe(30_000);
    expect((await loadBrokerOptions(['--etcd', 'http://127.0.0.1:2379'], {})).cluster?.sessionTimeoutMs).toBe(1000);
    expect((await loadBrokerOptions([], { MQ_ETCD_ENDPOINTS: 'http://127.0.0.1:2379' })).cluster?.etcd).toEqual(['http://127.0.0.1:2379']);
  });

  it('without --etcd there is no cluster (the single node as before)', async () => {
    expect((await loadBrokerOptions(['--node-id', '3'], {})).cluster).toBeUndefined();
  });

  it('refuses what cannot work, naming it', async () => {
    await expect(loadBrokerOptions(['--etcd', 'localhost:2379'], {})).rejects.toThrow(/not etcd client URLs: localhost:2379/);
    await expect(loadBrokerOptions(['--rack', 'r1'], {})).rejects.toThrow(ConfigError);
    await expect(loadBrokerOptions(['--rack', 'r1'], {})).rejects.toThrow(/only a cluster member has a rack/);
    await expect(loadBrokerOptions(['--etcd', 'http://127.0.0.1:2379', '--override', 'broker.session.timeout.ms=10'], {})).rejects.toThrow(/broker.session.timeout.ms/);
    await expect(loadBrokerOptions(['--etcd', 'http://127.0.0.1:2379', '--override', 'replica.lag.time.max.ms=0'], {})).rejects.toThrow(/replica.lag.time.max.ms/);
    await expect(loadBrokerOptions(['--etcd', 'http://127.0.0.1:2379', '--override', 'leader.imbalance.per.broker.percentage=101'], {})).rejects.toThrow(/leader.imbalance.per.broker.percentage/);
  });

  it('a broker that cannot reach etcd fails to start with the endpoint named', async () => {
    const port = await closedPort();
    await expect(startBroker({ cluster: { etcd: [`http://127.0.0.1:${port}`] } })).rejects.toThrow(new RegExp(`cannot reach etcd at http://127.0.0.1:${port}`));
  });
});
