// `mq groups list|describe|lag|reset-offsets|offset-delete|delete`: consumer group administration
// over Admin. An unknown group is an error (Kafka reports it as state "Dead"); reset-offsets lives in
// group-reset.ts and only prints its plan unless --execute is given; offset-delete in group-offset-delete.ts.
import type { Command } from 'commander';
import { CliExit } from '../cli-error';
import type { CliContext } from '../context';
import { registerGroupOffsetDelete } from './group-offset-delete';
import { registerGroupReset } from './group-reset';
import { requireGroup } from './require-group';

export function registerGroups(program: Command, ctx: () => CliContext): void {
  const groups = program.command('groups').description('list, describe, inspect lag of, reset, delete offsets of and delete consumer groups');

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
      const d = await c.withClient(async (client) => {
        const admin = client.admin();
        await requireGroup(admin, group);
        const [desc] = await admin.describeGroups([group]);
        return desc!;
      });
      const members = d.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: m.assignment.map((tp) => `${tp.topic}-${tp.partition}`),
      }));
      if (c.global.output === 'table') {
        c.io.stdout.write(`Group: ${d.groupId}  State: ${d.state}  Protocol: ${d.protocolType || '-'}/${d.protocol || '-'}  Members: ${d.members.length}\n`);
        c.print({ rows: members, columns: ['memberId', 'clientId', 'host', 'assignment'] });
        return;
      }
      c.print({ rows: [], data: { group: d.groupId, state: d.state, protocolType: d.protocolType, protocol: d.protocol, members } });
    });

  groups
    .command('lag <group>')
    .description('committed offset, high watermark and lag per partition, and their TOTAL')
    .action(async (group: string) => {
      const c = ctx();
      const lag = await c.withClient(async (client) => {
        const admin = client.admin();
        await requireGroup(admin, group);
        return admin.groupLag(group);
      });
      const rows = lag.map((l) => ({
        topic: l.topic,
        partition: l.partition,
        committed: l.committed >= 0n ? l.committed : null,
        highWatermark: l.highWatermark,
        lag: l.lag,
        memberId: l.memberId,
      }));
      const total = lag.reduce((s, l) => s + (l.lag ?? 0n), 0n);
      const totalRow = { topic: 'TOTAL', partition: null, committed: null, highWatermark: null, lag: total, memberId: null };
      c.print({ rows: [...rows, totalRow], columns: ['topic', 'partition', 'committed', 'highWatermark', 'lag', 'memberId'], data: { group, totalLag: total, partitions: rows } });
    });

  registerGroupReset(groups, ctx);
  registerGroupOffsetDelete(groups, ctx);

  groups
    .command('delete <groups...>')
    .description('delete consumer groups (they must have no active members); one result per group')
    .action(async (names: string[]) => {
      const c = ctx();
      const results = await c.withClient((client) => client.admin().deleteGroupsEach(names));
      c.print({
        rows: results.map((r) => ({ group: r.name, deleted: !r.error, error: r.error ? `${r.error.errorName}: ${r.error.message}` : null })),
        columns: ['group', 'deleted', 'error'],
      });
      const failed = results.filter((r) => r.error).length;
      if (failed > 0) throw new CliExit(1, `error: ${failed} of ${results.length} group(s) not deleted`);
    });
}
