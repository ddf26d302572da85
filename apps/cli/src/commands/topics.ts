// `mq topics list|create|delete|describe|offsets|trim-prefix|alter-config|add-partitions`: thin
// wrappers over Admin.
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { InvalidArgumentError } from 'commander';
import type { PartitionOffset } from '@mq/client';
import { CliExit, UsageError } from '../cli-error';
import { collectKeyValue, collectPartition, collectString, parseIntOption, parseTimestamp } from '../parse';

function offsetsBy(list: readonly PartitionOffset[]): Map<number, bigint> {
  return new Map(list.map((o) => [o.partition, o.offset]));
}

function parseTrimOffset(value: string): bigint {
  if (value === 'end') return -1n;
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`"${value}" is not an offset (a non-negative integer or "end").`);
  return BigInt(value.trim());
}

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
    .description('delete one or more topics; one result per topic')
    .action(async (names: string[]) => {
      const c = ctx();
      const results = await c.withClient((client) => client.admin().deleteTopicsEach(names));
      c.print({
        rows: results.map((r) => ({ topic: r.name, deleted: !r.error, error: r.error ? `${r.error.errorName}: ${r.error.message}` : null })),
        columns: ['topic', 'deleted', 'error'],
      });
      const failed = results.filter((r) => r.error).length;
      if (failed > 0) throw new CliExit(1, `error: ${failed} of ${results.length} topic(s) not deleted`);
    });

  topics
    .command('describe <topic>')
    .description('partitions (leader, replicas, isr) and non-default configs of a topic')
    .option('--all-configs', 'show every config, defaults included')
    .action(async (topic: string, opts: { allConfigs?: boolean }) => {
      const c = ctx();
      const { desc, configs, lo, hi } = await c.withClient(async (client) => {
        const admin = client.admin();
        const [d] = await admin.describeTopics([topic]);
        const [cfg, earliest, latest] = await Promise.all([admin.describeConfigs('topic', topic), admin.listOffsets(topic, 'earliest'), admin.listOffsets(topic, 'latest')]);
        return { desc: d!, configs: cfg, lo: offsetsBy(earliest), hi: offsetsBy(latest) };
      });
      const shown = opts.allConfigs ? configs : configs.filter((e) => !e.isDefault);
      const partitions = desc.partitions.map((p) => ({
        partition: p.partition,
        leader: p.leaderId,
        leaderEpoch: p.leaderEpoch,
        replicas: p.replicas,
        isr: p.isr,
        logStartOffset: lo.get(p.partition) ?? null,
        highWatermark: hi.get(p.partition) ?? null,
      }));
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
    .command('offsets <topic>')
    .description('log start offset and high watermark per partition (and the offset at --timestamp)')
    .option('--timestamp <ms|iso>', 'also the first offset at or after this time (-1: none yet)', parseTimestamp)
    .option('-p, --partition <n>', 'only this partition, repeatable', collectPartition)
    .action(async (topic: string, opts: { timestamp?: bigint; partition?: number[] }) => {
      const c = ctx();
      const rows = await c.withClient(async (client) => {
        const admin = client.admin();
        const [earliest, latest, at] = await Promise.all([
          admin.listOffsets(topic, 'earliest', opts.partition),
          admin.listOffsets(topic, 'latest', opts.partition),
          opts.timestamp !== undefined ? admin.listOffsets(topic, { timestamp: opts.timestamp }, opts.partition) : Promise.resolve([]),
        ]);
        const hi = offsetsBy(latest);
        const byTs = new Map(at.map((o) => [o.partition, o]));
        return earliest.map((e) => {
          const row: Record<string, unknown> = { topic, partition: e.partition, logStartOffset: e.offset, highWatermark: hi.get(e.partition) ?? null };
          if (opts.timestamp !== undefined) {
            const o = byTs.get(e.partition);
            row.offsetAtTimestamp = o?.offset ?? -1n;
            row.recordTimestamp = o && o.offset >= 0n ? o.timestamp : null;
          }
          return row;
        });
      });
      c.print({ rows });
    });

  topics
    .command('trim-prefix <topic>')
    .description('delete records before an offset (DeleteRecords): the log start moves up to it')
    .requiredOption('--offset <n|end>', 'new log start offset; "end" deletes everything up to the high watermark', parseTrimOffset)
    .option('-p, --partition <n>', 'only this partition, repeatable (default: every partition)', collectPartition)
    .action(async (topic: string, opts: { offset: bigint; partition?: number[] }) => {
      const c = ctx();
      const result = await c.withClient(async (client) => {
        const admin = client.admin();
        const [d] = await admin.describeTopics([topic]);
        const all = d!.partitions.map((p) => p.partition);
        for (const p of opts.partition ?? []) if (!all.includes(p)) throw new UsageError(`topic "${topic}" has no partition ${p} (it has ${all.length})`);
        const chosen = opts.partition ?? all;
        return admin.deleteRecords(topic, chosen.map((partition) => ({ partition, offset: opts.offset })));
      });
      c.print({ rows: result.map((r) => ({ topic, partition: r.partition, logStartOffset: r.lowWatermark })) });
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
