// `mq dlq redrive --group G --topic T`: moves share group G's dead letters from T's dead-letter
// topic (`T.dlq`, or --dlq) back to the topic each came from (header mq-dlq-topic, its partition
// mq-dlq-partition) or to --to, stripped of the mq-dlq-* headers (--keep-headers keeps them). Its
// progress is the consumer group `mq-dlq-redrive.<G>`'s committed offset on the DLQ, committed only
// after the produce was acknowledged: a rerun continues where the last stopped (a crash between the
// two re-sends that batch once more: at-least-once).
import type { Command } from 'commander';
import { type ConsumerRecord, KafkaError, type Message } from '@mq/client';
import type { CliContext } from '../context';
import { CliExit, UsageError } from '../cli-error';
import { parseIntOption } from '../parse';

interface RedriveOptions {
  group: string;
  topic: string;
  dlq?: string;
  to?: string;
  max?: number;
  keepHeaders?: boolean;
}

/** The consumer group whose committed offsets on the DLQ are a redrive's progress. */
export function redriveGroupId(group: string): string {
  return `mq-dlq-redrive.${group}`;
}

/** Headers a redriven record loses: where it was dead-lettered, and a delay that already ran out. */
const STRIPPED = (key: string, keepDlq: boolean): boolean => (!keepDlq && key.startsWith('mq-dlq-')) || key === 'mq-delay-ms' || key === 'mq-deliver-at';

const header = (r: ConsumerRecord, key: string): string | undefined => r.headers.find((h) => h.key === key)?.value?.toString('utf8');

export function registerDlq(program: Command, ctx: () => CliContext): void {
  const dlq = program.command('dlq').description('dead-letter topics of share groups');
  dlq
    .command('redrive')
    .description("move a share group's dead letters back to the topic they came from")
    .requiredOption('-g, --group <id>', 'the share group whose dead letters to move (header mq-dlq-group)')
    .requiredOption('-t, --topic <topic>', 'the topic whose dead-letter topic to read (<topic>.dlq)')
    .option('--dlq <topic>', 'the dead-letter topic, when mq.dlq.topic names another than <topic>.dlq')
    .option('--to <topic>', "send them here instead of each record's original topic (the partitioner picks partitions)")
    .option('--max <n>', 'move at most this many records', parseIntOption(1))
    .option('--keep-headers', 'keep the mq-dlq-* headers on the redriven records')
    .addHelpText(
      'after',
      '\nRecords of other share groups in the same DLQ are skipped (each group redrives its own). Progress is the\n' +
        'committed offset of consumer group mq-dlq-redrive.<group> on the DLQ, so a rerun does not send a record\n' +
        'twice. mq-delay-ms / mq-deliver-at are always removed (the delay already ran out).',
    )
    .action(async (opts: RedriveOptions) => {
      const c = ctx();
      const dlqTopic = opts.dlq ?? `${opts.topic}.dlq`;
      if (opts.to !== undefined && opts.to === dlqTopic) throw new UsageError('--to names the dead-letter topic itself');
      await c.withClient(async (client) => {
        const admin = client.admin();
        const [desc] = await admin.describeTopics([dlqTopic]).catch((err: unknown) => {
          if (err instanceof KafkaError) throw new CliExit(1, `error: no dead-letter topic ${dlqTopic}: ${err.message}`);
          throw err;
        });
        if (desc === undefined || desc.partitions.length === 0) throw new CliExit(1, `error: no dead-letter topic ${dlqTopic}`);
        // The end as it is now: records dead-lettered while this runs wait for the next run.
        const stopAt = new Map<number, bigint>();
        for (const o of await admin.listOffsets(dlqTopic, 'latest')) stopAt.set(o.partition, o.offset);
        const partitionsOf = new Map<string, number>();
        const targetPartitions = async (topic: string): Promise<number> => {
          let n = partitionsOf.get(topic);
          if (n === undefined) {
            const [t] = await admin.describeTopics([topic]);
            n = t?.partitions.length ?? 0;
            partitionsOf.set(topic, n);
          }
          return n;
        };
        const consumer = client.consumer({ groupId: redriveGroupId(opts.group), autoOffsetReset: 'earliest', autoCommit: false, maxWaitMs: 200 });
        const producer = client.producer({ acks: -1 });
        let moved = 0;
        let skipped = 0;
        const byTopic = new Map<string, number>();
        try {
          consumer.subscribe([dlqTopic]);
          let joined = false;
          const done = (): boolean => {
            if (opts.max !== undefined && moved >= opts.max) return true;
            const assigned = consumer.assignment();
            if (!joined || assigned.length === 0) return false;
            return assigned.every((tp) => {
              const pos = consumer.position(dlqTopic, tp.partition);
              return pos !== null && pos >= (stopAt.get(tp.partition) ?? 0n);
            });
          };
          while (!done()) {
            const records = await consumer.poll();
            joined = true;
            const commits = new Map<number, bigint>();
            const sends = new Map<string, Message[]>();
            for (const r of records) {
              if (r.offset >= (stopAt.get(r.partition) ?? 0n)) continue;
              if (opts.max !== undefined && moved >= opts.max) break;
              commits.set(r.partition, r.offset + 1n);
              if (header(r, 'mq-dlq-group') !== opts.group) {
                skipped++;
                continue;
              }
              const target = opts.to ?? header(r, 'mq-dlq-topic') ?? opts.topic;
              const original = Number(header(r, 'mq-dlq-partition'));
              const partition = opts.to === undefined && Number.isInteger(original) && original >= 0 && original < (await targetPartitions(target)) ? original : undefined;
              const m: Message = {
                key: r.key,
                value: r.value,
                headers: r.headers.filter((h) => !STRIPPED(h.key, opts.keepHeaders === true)),
                ...(partition === undefined ? {} : { partition }),
              };
              sends.set(target, [...(sends.get(target) ?? []), m]);
              moved++;
              byTopic.set(target, (byTopic.get(target) ?? 0) + 1);
            }
            // Acknowledged first, then committed: a crash in between sends this batch again, never loses it.
            await Promise.all([...sends].map(([topic, messages]) => producer.send({ topic, messages })));
            if (commits.size > 0) await consumer.commit([...commits].map(([partition, offset]) => ({ topic: dlqTopic, partition, offset })));
          }
        } finally {
          await producer.close();
          await consumer.close();
        }
        const targets = [...byTopic].map(([t, n]) => `${n} to ${t}`).join(', ');
        if (c.global.output === 'json') c.io.stdout.write(`${JSON.stringify({ dlq: dlqTopic, group: opts.group, moved, skipped, to: Object.fromEntries(byTopic) })}\n`);
        else c.io.stdout.write(`redrove ${moved} record${moved === 1 ? '' : 's'} from ${dlqTopic}${targets === '' ? '' : ` (${targets})`}; skipped ${skipped} of other groups\n`);
      });
    });
}
