// `mq cluster info|brokers|health` (what the cluster is and whether it is well), through
// cluster-partitions.ts `elect-leaders|reassign|reassignments`, and through cluster-config.ts
// `config describe|set|delete` (broker configs). health exits 1 when unhealthy, so
// scripts and probes can use it as is.
import type { Command } from 'commander';
import { apiKeyName } from '@mq/protocol';
import { CliExit } from '../cli-error';
import { brokerLoads, clusterHealth } from '../cluster-health';
import type { CliContext } from '../context';
import { registerClusterConfig } from './cluster-config';
import { registerClusterPartitions } from './cluster-partitions';

export function registerCluster(program: Command, ctx: () => CliContext): void {
  const cluster = program.command('cluster').description('cluster information, health, leader elections and partition reassignments');
  cluster
    .command('info')
    .description('cluster id, controller and brokers')
    .action(async () => {
      const c = ctx();
      const info = await c.withClient((client) => client.admin().describeCluster());
      const brokers = info.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack, controller: b.nodeId === info.controllerId }));
      if (c.global.output === 'table') {
        c.io.stdout.write(`Cluster: ${info.clusterId ?? '-'}  Controller: ${info.controllerId}\n`);
        c.print({ rows: brokers });
        return;
      }
      c.print({
        rows: [],
        data: {
          clusterId: info.clusterId,
          controllerId: info.controllerId,
          brokers,
          apiVersions: info.apiVersions.map((v) => ({ api: apiKeyName(v.apiKey) ?? String(v.apiKey), ...v })),
        },
      });
    });

  cluster
    .command('brokers')
    .description('each broker: address, rack, controller, partitions it leads / should lead / holds / lags on (offline: named as a replica, not live)')
    .action(async () => {
      const c = ctx();
      const rows = await c.withClient(async (client) => {
        const admin = client.admin();
        const [info, topics] = await Promise.all([admin.describeCluster(), admin.describeTopics()]);
        return brokerLoads(info.controllerId, info.brokers, topics);
      });
      c.print({ rows: rows.map((r) => ({ ...r })), columns: ['nodeId', 'host', 'port', 'rack', 'status', 'controller', 'leaders', 'preferred', 'replicas', 'outOfSync'] });
    });

  cluster
    .command('health')
    .description('controller, offline and under-replicated partitions; exit 1 when any is wrong')
    .action(async () => {
      const c = ctx();
      const health = await c.withClient(async (client) => {
        const admin = client.admin();
        const [info, topics] = await Promise.all([admin.describeCluster(), admin.describeTopics()]);
        return clusterHealth(info.controllerId, info.brokers, topics);
      });
      if (c.global.output === 'table') {
        c.io.stdout.write(
          `Controller: ${health.controllerId < 0 ? 'none' : health.controllerId}  Brokers: ${health.brokers.join(',') || '-'}  Topics: ${health.topics}  Partitions: ${health.partitions}  ` +
            `Offline: ${health.offline.length}  Under-replicated: ${health.underReplicated.length}\n`,
        );
        c.print({ rows: [...health.offline, ...health.underReplicated].map((p) => ({ ...p })), columns: ['topic', 'partition', 'problem', 'leader', 'replicas', 'isr', 'offlineReplicas'] });
      } else {
        c.print({ rows: [], data: health });
      }
      if (!health.healthy) throw new CliExit(1, `error: cluster unhealthy: ${health.reasons.join(', ')}`);
    });

  registerClusterPartitions(cluster, ctx);
  registerClusterConfig(cluster, ctx);
}
