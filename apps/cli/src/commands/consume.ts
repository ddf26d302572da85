// `mq consume <topic>`: plain (all or one partition, from beginning/offset/timestamp/end) or as a
// group member (--group, committing as it goes). Stops after --count messages, after --idle-ms
// without messages, or on SIGINT/SIGTERM.
import type { Command } from 'commander';
import type { ConsumerRecord, OffsetSpec } from '@mq/client';
import { stringify as toYaml } from 'yaml';
import type { CliContext } from '../context';
import { UsageError } from '../cli-error';
import { parseBigIntOption, parseIntOption, parseTimestamp } from '../parse';
import { formatRecord, recordToJson, validateTemplate } from '../record-format';

interface ConsumeOptions {
  fromBeginning?: boolean;
  offset?: bigint;
  timestamp?: bigint;
  partition?: number;
  group?: string;
  count?: number;
  idleMs?: number;
  format: string;
}

export function registerConsume(program: Command, ctx: () => CliContext): void {
  program
    .command('consume <topic>')
    .description('print messages from a topic')
    .option('--from-beginning', 'start at the earliest offset (default: only new messages)')
    .option('--offset <n>', 'start at this offset (with --partition, or on every partition)', parseBigIntOption)
    .option('--timestamp <ms|iso>', 'start at the first message at or after this time', parseTimestamp)
    .option('-p, --partition <n>', 'read only this partition', parseIntOption(0))
    .option('-g, --group <id>', 'consume as a member of this consumer group (commits offsets)')
    .option('-n, --count <n>', 'exit after this many messages', parseIntOption(1))
    .option('--idle-ms <ms>', 'exit after this long without a message', parseIntOption(1))
    .option('--format <template>', 'output template: {key} {value} {partition} {offset} {timestamp} {headers} {topic}', '{value}')
    .action(async (topic: string, opts: ConsumeOptions) => {
      const c = ctx();
      const starts = [opts.fromBeginning, opts.offset !== undefined, opts.timestamp !== undefined].filter(Boolean).length;
      if (starts > 1) throw new UsageError('use only one of --from-beginning, --offset, --timestamp');
      if (opts.group && (opts.partition !== undefined || opts.offset !== undefined || opts.timestamp !== undefined)) {
        throw new UsageError('--group takes partitions from the group: do not combine it with --partition, --offset or --timestamp');
      }
      const bad = validateTemplate(opts.format);
      if (bad) throw new UsageError(`--format: ${bad}`);
      const start: OffsetSpec = opts.offset ?? (opts.timestamp !== undefined ? { timestamp: opts.timestamp } : opts.fromBeginning ? 'earliest' : 'latest');
      const emit = makeEmitter(c, opts.format);
      let stop = false;
      const onSignal = (): void => {
        stop = true;
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await c.withClient(async (client) => {
          const consumer = client.consumer({
            groupId: opts.group,
            autoOffsetReset: opts.fromBeginning ? 'earliest' : 'latest',
            maxWaitMs: 200,
          });
          if (opts.group) consumer.subscribe([topic]);
          else {
            const [desc] = await client.admin().describeTopics([topic]);
            const partitions = desc!.partitions.map((p) => p.partition);
            if (opts.partition !== undefined && !partitions.includes(opts.partition)) {
              throw new UsageError(`topic "${topic}" has no partition ${opts.partition} (it has ${partitions.length})`);
            }
            const chosen = opts.partition !== undefined ? [opts.partition] : partitions;
            consumer.assign(chosen.map((partition) => ({ topic, partition, offset: start })));
          }
          let seen = 0;
          let lastMessageAt = Date.now();
          try {
            while (!stop) {
              const records = await consumer.poll();
              if (records.length > 0) lastMessageAt = Date.now();
              for (let i = 0; i < records.length; i++) {
                const r = records[i]!;
                emit(r);
                seen++;
                if (opts.count !== undefined && seen >= opts.count) {
                  stop = true;
                  // Commit exactly what was printed: rewind each partition to its first unprinted record.
                  const rewound = new Set<number>();
                  for (const rest of records.slice(i + 1)) {
                    if (rewound.has(rest.partition)) continue;
                    rewound.add(rest.partition);
                    consumer.seek(rest.topic, rest.partition, rest.offset);
                  }
                  break;
                }
              }
              if (opts.idleMs !== undefined && Date.now() - lastMessageAt >= opts.idleMs) stop = true;
            }
          } finally {
            await consumer.close();
          }
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

function makeEmitter(c: CliContext, template: string): (r: ConsumerRecord) => void {
  switch (c.global.output) {
    case 'json':
      // One JSON object per line: streamable, and `jq` reads it as is.
      return (r) => c.io.stdout.write(`${JSON.stringify(recordToJson(r))}\n`);
    case 'yaml':
      return (r) => c.io.stdout.write(`---\n${toYaml(recordToJson(r))}`);
    case 'table':
      return (r) => c.io.stdout.write(`${formatRecord(r, template)}\n`);
  }
}
