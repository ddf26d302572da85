// A control-plane node as a broker wires it (store + membership + controller), in-process, for tests.
import type { Etcd3 } from 'etcd3';
import { EtcdMetadataStore, createEtcdClient } from '@mq/metadata';
import { BrokerMembership } from '../src/broker-membership';
import { Controller, type ControllerOptions } from '../src/controller';
import type { LeaderRebalanceConfig } from '../src/leader-rebalance';
import type { Clock } from '@mq/timerwheel';

export interface ControlNode {
  readonly nodeId: number;
  readonly client: Etcd3;
  readonly store: EtcdMetadataStore;
  readonly controller: Controller;
  /** Clean stop: the lease is revoked, the registration goes at once. */
  stop(): Promise<void>;
  /** As a SIGKILL looks to etcd: keepalives stop, the lease expires after its TTL. */
  crash(): Promise<void>;
}

export async function startControlNode(endpoint: string, prefix: string, nodeId: number, opts: { unclean?: boolean; ttlSeconds?: number; clock?: Clock; leaderRebalance?: LeaderRebalanceConfig; beforeCommit?: ControllerOptions['beforeCommit'] } = {}): Promise<ControlNode> {
  const client = await createEtcdClient([endpoint], { callTimeoutMs: 1_000 });
  const store = new EtcdMetadataStore({ client, prefix, nodeId });
  await store.load();
  const controller = new Controller({ client, store, nodeId, uncleanLeaderElection: opts.unclean ?? false, ...(opts.clock !== undefined ? { clock: opts.clock } : {}), ...(opts.leaderRebalance !== undefined ? { leaderRebalance: opts.leaderRebalance } : {}), ...(opts.beforeCommit !== undefined ? { beforeCommit: opts.beforeCommit } : {}) });
  const membership = new BrokerMembership({
    client,
    keys: store.keys,
    nodeId,
    host: '127.0.0.1',
    port: 9000 + nodeId,
    ttlSeconds: opts.ttlSeconds ?? 1,
    onLease: (lease, id) => controller.useLease(lease, id),
    onLeaseLost: () => controller.leaseLost(),
  });
  await membership.start();
  let down = false;
  return {
    nodeId,
    client,
    store,
    controller,
    async stop() {
      if (down) return;
      down = true;
      await controller.stop();
      await membership.stop();
      await store.close();
      client.close();
    },
    async crash() {
      if (down) return;
      down = true;
      membership.abandon();
      await controller.stop();
      await store.close();
      client.close();
    },
  };
}
