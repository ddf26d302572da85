// `mq topics list|create|delete|describe|alter-config|add-partitions`: thin wrappers over Admin.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { UsageError } from '../cli-error';
import { collectKeyValue, collectString, parseIntOption } from '../parse';

export function registerTopics(program: Command, ctx: () => CliContext): void {
  const topics = program.command('topics').description('list, create, delete, describe and configure topics');

  topics
    .command('list')
    .description('list topics with their partition counts')
    .option('--internal', 'include internal topics')
    .action(async (opts: { internal?: boolean }) => {
      const c = ctx();
      const rows = await c.withClient(async (client) => {
        const admin = client.admin();
        const names = await admin.listTopics(opts.internal ?? false);
        const described = names.length > 0 ? await admin.describeTopics(names) : [];
        return described.map((t) => ({ topic: t.name, partitions: t.partitions.length, replicationFactor: t.partitions[0]?.replicas.length ?? 0 }));
      });
      c.print({ rows, columns: ['topic', 'partitions', 'replicationFactor'] });
    });

  topics
    .command('create <topic>')
    .description('create a topic')
    .option('-p, --partitions <n>', 'number of partitions (broker default when omitted)', parseIntOption(1, 1_000_000))
    .option('-r, --replication-factor <n>', 'replication factor (broker default when omitted)', parseIntOption(1, 32767))
    .option('-c, --config <key=value>', 'topic config, repeatable', collectKeyValue)
    .action(async (topic: string, opts: { partitions?: number; replicationFactor?: number; config?: Array<[string, string]> }) => {
      const c = ctx();
      await c.withClient((client) =>
        client.admin().createTopics([
          { name: topic, numPartitions: opts.partitions ?? -1, replicationFactor: opts.replicationFactor ?? -1, configs: Object.fromEntries(opts.config ?? []) },
        ]),
      );
      c.print({ rows: [{ topic, created: true }] });
    });

  topics
    .command('delete <topics...>')
    .description('delete one or more topics')
    .action(async (names: string[]) => {
      const c = ctx();
      await c.withClient((client) => client.admin().deleteTopics(names));
      c.print({ rows: names.map((topic) => ({ topic, deleted: true })) });
    });

  topics
    .command('describe <topic>')
    .description('partitions (leader, replicas, isr) and non-default configs of a topic')
    .option('--all-configs', 'show every config, defaults included')
    .action(async (topic: string, opts: { allConfigs?: boolean }) => {
      const c = ctx();
      const { desc, configs } = await c.withClient(async (client) => {
        const admin = client.admin();
        const [d] = await admin.describeTopics([topic]);
        const cfg = await admin.describeConfigs('topic', topic);
        return { desc: d!, configs: cfg };
      });
      const shown = opts.allConfigs ? configs : configs.filter((e) => !e.isDefault);
      const partitions = desc.partitions.map((p) => ({ partition: p.partition, leader: p.leaderId, leaderEpoch: p.leaderEpoch, replicas: p.replicas, isr: p.isr }));
      if (c.global.output === 'table') {
        c.io.stdout.write(`Topic: ${desc.name}  TopicId: ${desc.topicId ?? '-'}  Partitions: ${desc.partitions.length}\n`);
        c.print({ rows: partitions });
        if (shown.length > 0) {
          c.io.stdout.write('\nConfigs:\n');
          c.print({ rows: shown.map((e) => ({ name: e.name, value: e.isSensitive ? '(sensitive)' : e.value, source: e.source })) });
        }
        return;
      }
      c.print({ rows: [], data: { topic: desc.name, topicId: desc.topicId, partitions, configs: Object.fromEntries(shown.map((e) => [e.name, e.value])) } });
    });

  topics
    .command('alter-config <topic>')
    .description('set or delete topic configs (IncrementalAlterConfigs)')
    .option('-s, --set <key=value>', 'config to set, repeatable', collectKeyValue)
    .option('-d, --delete <key>', 'config to reset to its default, repeatable', collectString)
    .action(async (topic: string, opts: { set?: Array<[string, string]>; delete?: string[] }) => {
      if (!opts.set?.length && !opts.delete?.length) throw new UsageError('give at least one --set key=value or --delete key');
      const c = ctx();
      await c.withClient((client) => client.admin().alterConfigs('topic', topic, { set: Object.fromEntries(opts.set ?? []), delete: opts.delete ?? [] }));
      c.print({
        rows: [...(opts.set ?? []).map(([name, value]) => ({ name, value, action: 'set' })), ...(opts.delete ?? []).map((name) => ({ name, value: null, action: 'delete' }))],
      });
    });

  topics
    .command('add-partitions <topic>')
    .description('grow a topic to a total number of partitions')
    .requiredOption('-p, --partitions <n>', 'new total partition count', parseIntOption(1, 1_000_000))
    .action(async (topic: string, opts: { partitions: number }) => {
      const c = ctx();
      await c.withClient((client) => client.admin().createPartitions(topic, opts.partitions));
      c.print({ rows: [{ topic, partitions: opts.partitions }] });
    });
}
