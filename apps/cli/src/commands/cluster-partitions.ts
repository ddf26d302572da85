// `mq cluster elect-leaders|reassign|reassignments`: partition leadership and placement, as
// kafka-leader-election and kafka-reassign-partitions do it (ElectLeaders, AlterPartitionReassignments,
// ListPartitionReassignments; --throttle / --verify as reassignment-throttle.ts). Per-partition
// refusals are rows; any refusal makes the exit 1.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Admin, ElectionType, PartitionResult, ReassignmentTarget, TopicPartition } from '@mq/client';
import { ErrorCode } from '@mq/protocol';
import { CliExit, UsageError } from '../cli-error';
import type { CliContext } from '../context';
import { collectPartition, parseChoice, parseIntOption } from '../parse';
import { parseReassignmentPlan, parseReplicaList } from '../reassignment-plan';
import { applyThrottle, clearThrottle, throttlePlan } from '../reassignment-throttle';

const WAIT_POLL_MS = 500;

function resultName(r: PartitionResult, ok: string): string {
  return r.error === undefined ? ok : r.error.errorName;
}

/** Every partition of `topic` when none are named. */
async function partitionsOf(admin: Admin, topic: string, partitions: readonly number[] | undefined): Promise<TopicPartition[]> {
  if (partitions !== undefined && partitions.length > 0) return partitions.map((partition) => ({ topic, partition }));
  const [t] = await admin.describeTopics([topic]);
  return t!.partitions.map((p) => ({ topic, partition: p.partition }));
}

/** Polls until none of `asked` is reassigning; throws (exit 1) after `timeoutMs`. */
async function waitForCompletion(admin: Admin, asked: readonly TopicPartition[], timeoutMs: number, timeout: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await admin.listPartitionReassignments(asked, { timeoutMs: timeout });
    if (left.length === 0) return;
    if (Date.now() >= deadline) {
      throw new CliExit(1, `error: still in progress after ${timeoutMs} ms: ${left.map((r) => `${r.topic}-${r.partition} (adding ${r.addingReplicas.join(',') || '-'})`).join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, WAIT_POLL_MS));
  }
}

/** --verify: each partition's state; once none is moving any more, the throttle goes (topics named, every broker's rates). */
async function verifyReassignments(c: CliContext, targets: readonly ReassignmentTarget[]): Promise<void> {
  const { moving, cleared } = await c.withClient(async (client) => {
    const admin = client.admin();
    const left = await admin.listPartitionReassignments(targets, { timeoutMs: c.global.requestTimeout });
    const moving = new Set(left.map((r) => `${r.topic}-${r.partition}`));
    if (moving.size > 0) return { moving, cleared: false };
    await clearThrottle(admin, targets.map((t) => t.topic));
    return { moving, cleared: true };
  });
  c.print({
    rows: targets.map((t) => ({ topic: t.topic, partition: t.partition, result: moving.has(`${t.topic}-${t.partition}`) ? 'in progress' : 'complete' })),
    columns: ['topic', 'partition', 'result'],
  });
  c.note(cleared ? 'every reassignment has completed: throttle removed' : `${moving.size} reassignment(s) still in progress: throttle kept`);
}

/**
 * --additional --throttle without new replicas (kafka-reassign-partitions --execute --additional):
 * the running moves of `asked` get the new rate — their brokers' leader/follower rates, and their
 * replicas named on the topics as --throttle names them — without a new reassignment. Exit 1 when
 * none of them is moving.
 */
async function retuneThrottle(c: CliContext, asked: readonly TopicPartition[], bytesPerSecond: number): Promise<void> {
  const running = await c.withClient(async (client) => {
    const admin = client.admin();
    const running = await admin.listPartitionReassignments(asked, { timeoutMs: c.global.requestTimeout });
    if (running.length === 0) return running;
    // KIP-455: during a move `replicas` is the original set plus the adding ones.
    const from = new Map(running.map((r) => [`${r.topic}-${r.partition}`, r.replicas.filter((b) => !r.addingReplicas.includes(b))]));
    const targets = running.map((r) => ({ topic: r.topic, partition: r.partition, replicas: r.replicas.filter((b) => !r.removingReplicas.includes(b)) }));
    await applyThrottle(admin, throttlePlan(targets, from), bytesPerSecond);
    return running;
  });
  if (running.length === 0) throw new CliExit(1, `error: no reassignment in progress for ${asked.map((t) => `${t.topic}-${t.partition}`).join(', ')}: nothing to throttle`);
  c.note(`throttle of ${bytesPerSecond} bytes/s set for ${running.length} running move(s); \`mq cluster reassign --verify\` with the same partitions removes it once they have completed`);
  c.print({
    rows: running.map((r) => ({ topic: r.topic, partition: r.partition, replicas: r.replicas, adding: r.addingReplicas, removing: r.removingReplicas, throttle: bytesPerSecond })),
    columns: ['topic', 'partition', 'replicas', 'adding', 'removing', 'throttle'],
  });
}

export function registerClusterPartitions(cluster: Command, ctx: () => CliContext): void {
  cluster
    .command('elect-leaders')
    .description('elect preferred leaders (or, unclean, any live replica of a leaderless partition)')
    .option('--topic <name>', 'the topic (all its partitions unless --partition is given)')
    .option('-p, --partition <n>', 'a partition of --topic, repeatable', collectPartition)
    .option('--all', 'every partition of every topic')
    .option('--type <type>', 'preferred or unclean (default preferred)', parseChoice<ElectionType>(['preferred', 'unclean']))
    .action(async (opts: { topic?: string; partition?: number[]; all?: boolean; type?: ElectionType }) => {
      if (opts.all === true && opts.topic !== undefined) throw new UsageError('give --all or --topic, not both');
      if (opts.all !== true && opts.topic === undefined) throw new UsageError('say which partitions: --topic <name> [--partition <n>] or --all');
      if (opts.partition !== undefined && opts.topic === undefined) throw new UsageError('--partition needs --topic');
      const c = ctx();
      const type = opts.type ?? 'preferred';
      const results = await c.withClient(async (client) => {
        const admin = client.admin();
        const asked = opts.topic === undefined ? null : await partitionsOf(admin, opts.topic, opts.partition);
        return admin.electLeaders(type, asked, { timeoutMs: c.global.requestTimeout });
      });
      if (results.length === 0) c.note(type === 'preferred' ? 'every partition is led by its preferred replica: nothing to elect' : 'every partition has a live leader: nothing to elect');
      c.print({
        rows: results.map((r) => ({ topic: r.topic, partition: r.partition, result: resultName(r, 'elected'), error: r.error?.message ?? null })),
        columns: ['topic', 'partition', 'result', 'error'],
      });
      const failed = results.filter((r) => r.error !== undefined && r.error.errorCode !== ErrorCode.ELECTION_NOT_NEEDED).length;
      if (failed > 0) throw new CliExit(1, `error: ${failed} of ${results.length} election(s) failed`);
    });

  cluster
    .command('reassign')
    .description('move partitions to other replicas (KIP-455): --replicas, --cancel, or a kafka-reassign-partitions plan file')
    .option('--topic <name>', 'the topic of the partition to move')
    .option('-p, --partition <n>', 'the partition to move', parseIntOption(0, 2_147_483_647))
    .option('--replicas <ids>', 'the target replicas, preferred leader first, e.g. 1,2,3')
    .option('--cancel', 'cancel the reassignment in progress (back to the original replicas)')
    .option('--reassignment-json-file <path>', 'a plan: {"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[2,3]}]}')
    .option('--wait', 'wait until the reassignments have completed (then remove a --throttle)')
    .option('--wait-timeout <ms>', 'how long --wait waits (default 300000)', parseIntOption(1, 86_400_000))
    .option('--throttle <bytes/s>', 'replication throttle for the moves: each broker involved copies at most this many bytes/s as leader and as follower', parseIntOption(1))
    .option('--verify', 'report whether the reassignments completed; once all have, remove the throttle')
    .option('--additional', 'moves may be running already: with --throttle and no --replicas, change the running moves\' throttle to that rate')
    .action(async (opts: { topic?: string; partition?: number; replicas?: string; cancel?: boolean; reassignmentJsonFile?: string; wait?: boolean; waitTimeout?: number; throttle?: number; verify?: boolean; additional?: boolean }) => {
      const cancel = opts.cancel === true;
      const verify = opts.verify === true;
      if (verify && (cancel || opts.wait === true || opts.throttle !== undefined || opts.replicas !== undefined || opts.additional === true)) throw new UsageError('--verify takes the partitions only (--topic/--partition or --reassignment-json-file)');
      if (opts.throttle !== undefined && cancel) throw new UsageError('--throttle applies to a move, not to --cancel');
      if (opts.additional === true && cancel) throw new UsageError('--additional applies to a move, not to --cancel');
      if (opts.additional === true && opts.replicas === undefined && opts.reassignmentJsonFile === undefined) {
        // Only a new rate for what is moving already.
        if (opts.throttle === undefined) throw new UsageError('--additional without --replicas changes the throttle of running moves: give --throttle <bytes/s>');
        if (opts.wait === true) throw new UsageError('--wait waits for a move it starts; with --additional alone nothing is started (use --verify)');
        if (opts.topic === undefined || opts.partition === undefined) throw new UsageError('say which running move: --topic <name> --partition <n>');
        return retuneThrottle(ctx(), [{ topic: opts.topic, partition: opts.partition }], opts.throttle);
      }
      let targets: ReassignmentTarget[];
      if (opts.reassignmentJsonFile !== undefined) {
        if (opts.topic !== undefined || opts.partition !== undefined || opts.replicas !== undefined) throw new UsageError('--reassignment-json-file replaces --topic/--partition/--replicas');
        const path = opts.reassignmentJsonFile;
        const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
          throw new UsageError(`cannot read ${path}: ${err.code ?? err.message}`);
        });
        targets = parseReassignmentPlan(text, path, cancel || verify);
      } else {
        if (opts.topic === undefined || opts.partition === undefined) throw new UsageError('say what to move: --topic <name> --partition <n> with --replicas <ids> or --cancel (or --reassignment-json-file)');
        if (!verify && cancel === (opts.replicas !== undefined)) throw new UsageError('give exactly one of --replicas <ids> and --cancel');
        targets = [{ topic: opts.topic, partition: opts.partition, replicas: cancel || verify ? null : parseReplicaList(opts.replicas!) }];
      }
      const c = ctx();
      if (verify) return verifyReassignments(c, targets);
      const { results, from } = await c.withClient(async (client) => {
        const admin = client.admin();
        // The current replicas, to show (and roll back to); unknown partitions are the broker's to refuse.
        const topics = new Map((await admin.describeTopics()).map((t) => [t.name, t]));
        const from = new Map(targets.map((t) => [`${t.topic}-${t.partition}`, topics.get(t.topic)?.partitions[t.partition]?.replicas ?? null]));
        // The throttle is in place before the first byte is copied (kafka-reassign-partitions' order).
        if (opts.throttle !== undefined) await applyThrottle(admin, throttlePlan(targets, from), opts.throttle);
        const results = await admin.alterPartitionReassignments(targets, { timeoutMs: c.global.requestTimeout });
        if (opts.wait === true && results.every((r) => r.error === undefined)) {
          await waitForCompletion(admin, targets, opts.waitTimeout ?? 300_000, c.global.requestTimeout);
          if (opts.throttle !== undefined) await clearThrottle(admin, targets.map((t) => t.topic));
        }
        return { results, from };
      });
      if (opts.throttle !== undefined) {
        c.note(
          opts.wait === true && results.every((r) => r.error === undefined)
            ? 'throttle removed'
            : `throttle of ${opts.throttle} bytes/s set; \`mq cluster reassign --verify\` with the same partitions removes it once the moves have completed`,
        );
      }
      const toOf = new Map(targets.map((t) => [`${t.topic}-${t.partition}`, t.replicas]));
      const ok = cancel ? 'cancelled' : opts.wait === true ? 'completed' : 'started';
      c.print({
        rows: results.map((r) => ({
          topic: r.topic,
          partition: r.partition,
          from: from.get(`${r.topic}-${r.partition}`) ?? null,
          to: toOf.get(`${r.topic}-${r.partition}`) ?? null,
          result: resultName(r, ok),
          error: r.error?.message ?? null,
        })),
        columns: ['topic', 'partition', 'from', 'to', 'result', 'error'],
      });
      const failed = results.filter((r) => r.error !== undefined).length;
      if (failed > 0) throw new CliExit(1, `error: ${failed} of ${results.length} reassignment(s) refused`);
    });

  cluster
    .command('reassignments')
    .description('the partition reassignments in progress')
    .option('--topic <name>', 'only this topic')
    .action(async (opts: { topic?: string }) => {
      const c = ctx();
      const list = await c.withClient(async (client) => {
        const admin = client.admin();
        const asked = opts.topic === undefined ? undefined : await partitionsOf(admin, opts.topic, undefined);
        return admin.listPartitionReassignments(asked, { timeoutMs: c.global.requestTimeout });
      });
      if (list.length === 0) c.note('no reassignment in progress');
      c.print({
        rows: list.map((r) => ({ topic: r.topic, partition: r.partition, replicas: r.replicas, adding: r.addingReplicas, removing: r.removingReplicas })),
        columns: ['topic', 'partition', 'replicas', 'adding', 'removing'],
        data: list,
      });
    });
}
