// `mq groups offset-delete <group> --topic t[:p,...]`: OffsetDelete (KIP-496) — removes a group's
// committed offsets of topics it no longer subscribes to (Kafka's kafka-consumer-groups
// --delete-offsets). --topic repeats; without partitions every partition of the topic. One row per
// partition; a partition the group still subscribes to is an error row (GROUP_SUBSCRIBED_TO_TOPIC)
// and the exit code is 1.
import type { Command } from 'commander';
import { CliExit, UsageError } from '../cli-error';
import type { CliContext } from '../context';
import { collectString } from '../parse';

/** `orders` or `orders:0,2`: a topic and, optionally, its partitions. */
export function parseTopicPartitions(spec: string): { topic: string; partitions?: number[] } {
  const i = spec.lastIndexOf(':');
  if (i < 0) {
    if (spec === '') throw new UsageError('--topic needs a topic name');
    return { topic: spec };
  }
  const topic = spec.slice(0, i);
  const list = spec.slice(i + 1);
  if (topic === '') throw new UsageError(`--topic "${spec}": no topic name before ":"`);
  const partitions = list.split(',').map((p) => {
    if (!/^\d+$/.test(p.trim()) || Number(p) > 2_147_483_647) throw new UsageError(`--topic "${spec}": "${p}" is not a partition number`);
    return Number(p);
  });
  return { topic, partitions };
}

export function registerGroupOffsetDelete(groups: Command, ctx: () => CliContext): void {
  groups
    .command('offset-delete <group>')
    .description('delete committed offsets of topics the group no longer subscribes to (--topic t or t:0,1, repeatable)')
    .option('--topic <topic[:partitions]>', 'topic, optionally with partitions (repeatable)', collectString)
    .action(async (group: string, opts: { topic?: string[] }) => {
      if (opts.topic === undefined || opts.topic.length === 0) throw new UsageError('offset-delete needs at least one --topic');
      const topics = opts.topic.map(parseTopicPartitions);
      const c = ctx();
      const results = await c.withClient((client) => client.admin().deleteOffsets(group, topics));
      c.print({
        rows: results.map((r) => ({ topic: r.topic, partition: r.partition, deleted: !r.error, error: r.error ? `${r.error.errorName}: ${r.error.message}` : null })),
        columns: ['topic', 'partition', 'deleted', 'error'],
      });
      const failed = results.filter((r) => r.error).length;
      if (failed > 0) throw new CliExit(1, `error: the offsets of ${failed} of ${results.length} partition(s) were not deleted`);
    });
}
