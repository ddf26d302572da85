// `mq groups reset-offsets <group>`: plan (default) or --execute new committed offsets for one or
// more topics (--topic repeatable, or --all-topics the group has offsets for), to the log ends, a
// time, an offset, a shift, or a CSV plan (--from-file); --to-file saves the plan as that CSV.
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Admin, OffsetResetPlan, ResetTarget } from '@mq/client';
import { UsageError } from '../cli-error';
import type { CliContext } from '../context';
import { collectPartition, collectString, parseBigIntOption, parseTimestamp } from '../parse';
import { requireGroup } from './require-group';

interface ResetOptions {
  topic?: string[];
  allTopics?: boolean;
  toEarliest?: boolean;
  toLatest?: boolean;
  toTimestamp?: bigint;
  toOffset?: bigint;
  shiftBy?: bigint;
  fromFile?: string;
  toFile?: string;
  partition?: number[];
  execute?: boolean;
}

interface PlannedOffset {
  topic: string;
  partition: number;
  offset: bigint;
}

/** Kafka's reset-offsets CSV: `topic,partition,offset` per line. */
export function parsePlanCsv(text: string, source: string): PlannedOffset[] {
  const out: PlannedOffset[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(.+),(\d+),(\d+)$/.exec(line);
    if (!m) throw new UsageError(`${source} line ${i + 1}: want topic,partition,offset (got "${line}")`);
    out.push({ topic: m[1]!, partition: Number(m[2]), offset: BigInt(m[3]!) });
  });
  if (out.length === 0) throw new UsageError(`${source} has no topic,partition,offset lines`);
  return out;
}

function target(opts: ResetOptions): ResetTarget | undefined {
  if (opts.toEarliest) return 'earliest';
  if (opts.toLatest) return 'latest';
  if (opts.toTimestamp !== undefined) return { timestamp: opts.toTimestamp };
  if (opts.toOffset !== undefined) return { offset: opts.toOffset };
  if (opts.shiftBy !== undefined) return { shiftBy: opts.shiftBy };
  return undefined;
}

async function planFromFile(admin: Admin, group: string, planned: PlannedOffset[]): Promise<OffsetResetPlan[]> {
  const current = await admin.committedOffsets(group, planned);
  const find = (p: PlannedOffset): bigint => current.find((c) => c.topic === p.topic && c.partition === p.partition)?.offset ?? -1n;
  return planned.map((p) => ({ topic: p.topic, partition: p.partition, current: find(p), target: p.offset }));
}

export function registerGroupReset(groups: Command, ctx: () => CliContext): void {
  groups
    .command('reset-offsets <group>')
    .description('plan (default) or --execute a reset of the group committed offsets')
    .option('-t, --topic <topic>', 'topic whose offsets to reset, repeatable', collectString)
    .option('--all-topics', 'every topic the group has committed offsets for')
    .option('--to-earliest', 'reset to the log start offset')
    .option('--to-latest', 'reset to the high watermark')
    .option('--to-timestamp <ms|iso>', 'reset to the first offset at or after this time', parseTimestamp)
    .option('--to-offset <n>', 'reset to this offset (clamped to the log range)', parseBigIntOption)
    .option('--shift-by <n>', 'move the committed offset by n (negative: back), clamped to the log range', parseBigIntOption)
    .option('--from-file <path>', 'take the new offsets from a topic,partition,offset CSV (as --to-file writes)')
    .option('--to-file <path>', 'also write the plan as topic,partition,offset CSV')
    .option('-p, --partition <n>', 'only this partition, repeatable', collectPartition)
    .option('--execute', 'commit the new offsets (otherwise only print the plan)')
    .action(async (group: string, opts: ResetOptions) => {
      const t = target(opts);
      const chosen = [opts.toEarliest, opts.toLatest, opts.toTimestamp !== undefined, opts.toOffset !== undefined, opts.shiftBy !== undefined, opts.fromFile !== undefined];
      if (chosen.filter(Boolean).length !== 1) throw new UsageError('give exactly one of --to-earliest, --to-latest, --to-timestamp, --to-offset, --shift-by, --from-file');
      if (opts.fromFile && (opts.topic || opts.allTopics || opts.partition)) throw new UsageError('--from-file names its own topics and partitions: drop --topic, --all-topics and --partition');
      if (!opts.fromFile && !opts.topic?.length && !opts.allTopics) throw new UsageError('give --topic <topic> (repeatable) or --all-topics');
      if (opts.topic?.length && opts.allTopics) throw new UsageError('use either --topic or --all-topics');
      let fromFile: PlannedOffset[] | undefined;
      if (opts.fromFile) {
        let text: string;
        try {
          text = await readFile(opts.fromFile, 'utf8');
        } catch (err) {
          throw new UsageError(`cannot read --from-file ${opts.fromFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        }
        fromFile = parsePlanCsv(text, opts.fromFile);
      }
      const c = ctx();
      const execute = opts.execute ?? false;
      const plan = await c.withClient(async (client) => {
        const admin = client.admin();
        if (fromFile) {
          const p = await planFromFile(admin, group, fromFile);
          if (execute) await admin.alterGroupOffsets(group, p.map((x) => ({ topic: x.topic, partition: x.partition, offset: x.target })));
          return p;
        }
        let topics = opts.topic ?? [];
        if (opts.allTopics) {
          await requireGroup(admin, group);
          topics = [...new Set((await admin.committedOffsets(group)).filter((o) => o.offset >= 0n).map((o) => o.topic))].sort();
          if (topics.length === 0) throw new UsageError(`group "${group}" has no committed offsets: name the topics with --topic`);
        }
        // Plan every topic first, so a bad topic fails before anything is committed.
        const plans: OffsetResetPlan[] = [];
        for (const topic of topics) plans.push(...(await admin.resetOffsets(group, topic, t!, { partitions: opts.partition })));
        if (execute) await admin.alterGroupOffsets(group, plans.map((x) => ({ topic: x.topic, partition: x.partition, offset: x.target })));
        return plans;
      });
      if (opts.toFile) await writeFile(opts.toFile, plan.map((p) => `${p.topic},${p.partition},${p.target}\n`).join(''));
      const rows = plan.map((p) => ({ topic: p.topic, partition: p.partition, current: p.current >= 0n ? p.current : null, newOffset: p.target }));
      c.print({ rows, columns: ['topic', 'partition', 'current', 'newOffset'], data: { group, executed: execute, offsets: rows } });
      if (!execute) c.note('dry run: nothing was committed (add --execute to apply)');
    });
}
