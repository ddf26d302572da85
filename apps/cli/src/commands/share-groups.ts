// `mq share-groups list|describe|reset-offsets|delete`: share groups (KIP-932, queues) over the
// Kafka protocol — ListGroups (share type), ShareGroupDescribe with DescribeShareGroupOffsets (start
// offset and what is left per share-partition), AlterShareGroupOffsets (the group must be empty;
// a plan unless --execute) and DeleteGroups / DeleteShareGroupOffsets (--topic).
import type { Command } from 'commander';
import type { ShareResetTarget } from '@mq/client';
import { CliExit, UsageError } from '../cli-error';
import type { CliContext } from '../context';
import { collectPartition, collectString, parseBigIntOption } from '../parse';

interface ResetOptions {
  topic?: string;
  toEarliest?: boolean;
  toLatest?: boolean;
  toOffset?: bigint;
  partition?: number[];
  execute?: boolean;
}

export function registerShareGroups(program: Command, ctx: () => CliContext): void {
  const share = program.command('share-groups').description('list, describe, reset and delete share groups (KIP-932 queues)');

  share
    .command('list')
    .description('list share groups')
    .action(async () => {
      const c = ctx();
      const rows = await c.withClient((client) => client.admin().shareGroups().list());
      c.print({ rows: rows.map((g) => ({ group: g.groupId, state: g.state || '-' })), columns: ['group', 'state'] });
    });

  share
    .command('describe <group>')
    .description('state, members with their partitions, and per share-partition the start offset and what is left')
    .action(async (group: string) => {
      const c = ctx();
      const { d, offsets } = await c.withClient(async (client) => {
        const admin = client.admin().shareGroups();
        const d = await admin.describe(group);
        return { d, offsets: await admin.offsets(group) };
      });
      const members = d.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: m.assignment.flatMap((a) => a.partitions.map((p) => `${a.topic}-${p}`)),
      }));
      const partitions = offsets.map((o) => ({ topic: o.topic, partition: o.partition, startOffset: o.startOffset >= 0n ? o.startOffset : null, highWatermark: o.highWatermark, lag: o.lag }));
      if (c.global.output === 'table') {
        c.io.stdout.write(`Share group: ${d.groupId}  State: ${d.state}  Epoch: ${d.groupEpoch}  Assignor: ${d.assignor}  Members: ${d.members.length}\n`);
        if (members.length > 0) c.print({ rows: members, columns: ['memberId', 'clientId', 'host', 'assignment'] });
        if (partitions.length > 0) c.print({ rows: partitions, columns: ['topic', 'partition', 'startOffset', 'highWatermark', 'lag'] });
        return;
      }
      c.print({ rows: [], data: { group: d.groupId, state: d.state, groupEpoch: d.groupEpoch, assignor: d.assignor, members, partitions } });
    });

  share
    .command('reset-offsets <group>')
    .description("plan (default) or --execute new start offsets of an empty share group's share-partitions of one topic")
    .requiredOption('-t, --topic <topic>', 'the topic whose share-partitions to move')
    .option('--to-earliest', 'to the log start offset')
    .option('--to-latest', 'to the high watermark (skip everything there is now)')
    .option('--to-offset <n>', 'to this offset', parseBigIntOption)
    .option('-p, --partition <n>', 'only this partition, repeatable', collectPartition)
    .option('--execute', 'apply (otherwise only print the current start offsets and the plan)')
    .action(async (group: string, opts: ResetOptions) => {
      const chosen = [opts.toEarliest, opts.toLatest, opts.toOffset !== undefined].filter(Boolean).length;
      if (chosen !== 1) throw new UsageError('give exactly one of --to-earliest, --to-latest, --to-offset');
      const target: ShareResetTarget = opts.toEarliest ? 'earliest' : opts.toLatest ? 'latest' : { offset: opts.toOffset! };
      const c = ctx();
      const topic = opts.topic!;
      const rows = await c.withClient(async (client) => {
        const admin = client.admin();
        const shares = admin.shareGroups();
        const current = await shares.offsets(group).catch(() => []);
        const currentOf = (p: number): bigint | null => current.find((o) => o.topic === topic && o.partition === p && o.startOffset >= 0n)?.startOffset ?? null;
        let planned: { partition: number; startOffset: bigint }[];
        if (opts.execute) planned = await shares.resetOffsets(group, topic, target, opts.partition);
        else {
          const [desc] = await admin.describeTopics([topic]);
          const ps = opts.partition ?? desc!.partitions.map((p) => p.partition);
          planned = typeof target === 'object' ? ps.map((partition) => ({ partition, startOffset: target.offset })) : (await admin.listOffsets(topic, target, ps)).map((o) => ({ partition: o.partition, startOffset: o.offset }));
        }
        return planned.map((p) => ({ topic, partition: p.partition, current: currentOf(p.partition), newStartOffset: p.startOffset }));
      });
      c.print({ rows, columns: ['topic', 'partition', 'current', 'newStartOffset'], data: { group, executed: opts.execute ?? false, offsets: rows } });
      if (!opts.execute) c.note('dry run: nothing was changed (add --execute to apply; the group must have no members)');
    });

  share
    .command('delete <groups...>')
    .description('delete empty share groups with their state, or with --topic only their state for those topics')
    .option('-t, --topic <topic>', "delete only the group's state for this topic (repeatable; one group)", collectString)
    .action(async (names: string[], opts: { topic?: string[] }) => {
      const c = ctx();
      if (opts.topic !== undefined) {
        if (names.length !== 1) throw new UsageError('--topic deletes the state of one group: name exactly one');
        await c.withClient((client) => client.admin().shareGroups().deleteOffsets(names[0]!, opts.topic!));
        c.print({ rows: opts.topic.map((t) => ({ group: names[0], topic: t, deleted: true })), columns: ['group', 'topic', 'deleted'] });
        return;
      }
      const results = await c.withClient((client) => client.admin().deleteGroupsEach(names));
      c.print({
        rows: results.map((r) => ({ group: r.name, deleted: !r.error, error: r.error ? `${r.error.errorName}: ${r.error.message}` : null })),
        columns: ['group', 'deleted', 'error'],
      });
      const failed = results.filter((r) => r.error).length;
      if (failed > 0) throw new CliExit(1, `error: ${failed} of ${results.length} share group(s) not deleted`);
    });
}
