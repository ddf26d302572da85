// `mq cluster info`: cluster id, controller, brokers, and (json/yaml) the API versions advertised.
import type { Command } from 'commander';
import { apiKeyName } from '@mq/protocol';
import type { CliContext } from '../context';

export function registerCluster(program: Command, ctx: () => CliContext): void {
  const cluster = program.command('cluster').description('cluster information');
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
}
