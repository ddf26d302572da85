// `mq groups list|describe|lag|reset-offsets|delete`: consumer group administration over Admin.
// reset-offsets only prints the plan unless --execute is given.
import type { Command } from 'commander';
import type { ResetTarget } from '@mq/client';
import type { CliContext } from '../context';
import { UsageError } from '../cli-error';
import { collectPartition, parseBigIntOption, parseTimestamp } from '../parse';

interface ResetOptions {
  topic: string;
  toEarliest?: boolean;
  toLatest?: boolean;
  toTimestamp?: bigint;
  toOffset?: bigint;
  partition?: number[];
  execute?: boolean;
}

export function registerGroups(program: Command, ctx: () => CliContext): void {
  const groups = program.command('groups').description('list, describe, inspect lag of, reset and delete consumer groups');

  groups
    .command('list')
    .description('list consumer groups')
    .action(async () => {
      const c = ctx();
      const rows = await c.withClient((client) => client.admin().listGroups());
      c.print({ rows: rows.map((g) => ({ group: g.groupId, protocolType: g.protocolType, state: g.state || '-' })), columns: ['group', 'protocolType', 'state'] });
    });

  groups
    .command('describe <group>')
    .description('state, assignor and members (with their partitions) of a group')
    .action(async (group: string) => {
      const c = ctx();
      const [desc] = await c.withClient((client) => client.admin().describeGroups([group]));
      const d = desc!;
      const members = d.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: m.assignment.map((tp) => `${tp.topic}-${tp.partition}`),
      }));
      if (c.global.output === 'table') {
        c.io.stdout.write(`Group: ${d.groupId}  State: ${d.state}  Protocol: ${d.protocolType}/${d.protocol || '-'}  Members: ${d.members.length}\n`);
        c.print({ rows: members, columns: ['memberId', 'clientId', 'host', 'assignment'] });
        return;
      }
      c.print({ rows: [], data: { group: d.groupId, state: d.state, protocolType: d.protocolType, protocol: d.protocol, members } });
    });

  groups
    .command('lag <group>')
    .description('committed offset, high watermark and lag per partition')
    .action(async (group: string) => {
      const c = ctx();
      const lag = await c.withClient((client) => client.admin().groupLag(group));
      const rows = lag.map((l) => ({
        topic: l.topic,
        partition: l.partition,
        committed: l.committed >= 0n ? l.committed : null,
        highWatermark: l.highWatermark,
        lag: l.lag,
        memberId: l.memberId,
      }));
      const total = lag.reduce((s, l) => s + (l.lag ?? 0n), 0n);
      c.print({ rows, columns: ['topic', 'partition', 'committed', 'highWatermark', 'lag', 'memberId'], data: { group, totalLag: total, partitions: rows } });
    });

  groups
    .command('reset-offsets <group>')
    .description('plan (default) or --execute a reset of the group committed offsets for a topic')
    .requiredOption('-t, --topic <topic>', 'topic whose offsets to reset')
    .option('--to-earliest', 'reset to the log start offset')
    .option('--to-latest', 'reset to the high watermark')
    .option('--to-timestamp <ms|iso>', 'reset to the first offset at or after this time', parseTimestamp)
    .option('--to-offset <n>', 'reset to this offset (clamped to the log range)', parseBigIntOption)
    .option('-p, --partition <n>', 'only this partition, repeatable', collectPartition)
    .option('--execute', 'commit the new offsets (otherwise only print the plan)')
    .action(async (group: string, opts: ResetOptions) => {
      const chosen = [opts.toEarliest, opts.toLatest, opts.toTimestamp !== undefined, opts.toOffset !== undefined].filter(Boolean).length;
      if (chosen !== 1) throw new UsageError('give exactly one of --to-earliest, --to-latest, --to-timestamp, --to-offset');
      const target: ResetTarget = opts.toEarliest
        ? 'earliest'
        : opts.toLatest
          ? 'latest'
          : opts.toTimestamp !== undefined
            ? { timestamp: opts.toTimestamp }
            : { offset: opts.toOffset! };
      const partitions = opts.partition;
      const c = ctx();
      const plan = await c.withClient((client) => client.admin().resetOffsets(group, opts.topic, target, { execute: opts.execute ?? false, partitions }));
      const rows = plan.map((p) => ({ topic: p.topic, partition: p.partition, current: p.current >= 0n ? p.current : null, newOffset: p.target }));
      c.print({ rows, columns: ['topic', 'partition', 'current', 'newOffset'], data: { group, executed: opts.execute ?? false, offsets: rows } });
      if (!opts.execute) c.note('dry run: nothing was committed (add --execute to apply)');
    });

  groups
    .command('delete <groups...>')
    .description('delete consumer groups (they must have no active members)')
    .action(async (names: string[]) => {
      const c = ctx();
      await c.withClient((client) => client.admin().deleteGroups(names));
      c.print({ rows: names.map((group) => ({ group, deleted: true })) });
    });
}
