// `mq queue receive -g <group> -t <topic>`: receives from a share group (KIP-932) as a member with
// @mq/client's ShareConsumer, prints each record, and acknowledges what it printed — accept (--ack,
// the default), --release (back to the queue, delivery count + 1 next time) or --reject (archived).
// Stops after --count records or --wait-ms without one; records received past --count go back
// (released) at once. An acknowledgement the broker refuses (its lock expired) is exit 1.
import type { Command } from 'commander';
import { KafkaError, type ShareRecord } from '@mq/client';
import { ErrorCode } from '@mq/protocol';
import { stringify as toYaml } from 'yaml';
import { CliExit, UsageError } from '../cli-error';
import type { CliContext } from '../context';
import { ENCODINGS, type Encoding } from '../encoding';
import { parseChoice, parseIntOption } from '../parse';
import { type RecordEncodings, formatRecordBytes, recordToJson, validateTemplate } from '../record-format';
import { checkTemplateOutput } from '../template-output';

interface ReceiveOptions {
  group: string;
  topic: string;
  count?: number;
  waitMs: number;
  ack?: boolean;
  release?: boolean;
  reject?: boolean;
  format: string;
  keyEncoding: Encoding;
  valueEncoding: Encoding;
  nullText: string;
}

export function registerQueue(program: Command, ctx: () => CliContext): void {
  const queue = program.command('queue').description('receive from share groups (KIP-932 queues) with per-record acknowledgement');
  queue
    .command('receive')
    .description('receive records as a share-group member, print them, and accept, release or reject each')
    .requiredOption('-g, --group <id>', 'the share group')
    .requiredOption('-t, --topic <topic>', 'the topic')
    .option('-n, --count <n>', 'stop after this many records', parseIntOption(1))
    .option('--wait-ms <ms>', 'stop after this long without a record', parseIntOption(1), 5000)
    .option('--ack', 'accept each printed record: done (default)')
    .option('--release', 'release each printed record: back to the queue for another delivery')
    .option('--reject', 'reject each printed record: archived, never delivered again')
    .option('--format <template>', 'output template: {key} {value} {partition} {offset} {timestamp} {headers} {topic}', '{value}')
    .option('--key-encoding <enc>', `how to print keys: ${ENCODINGS.join('|')}`, parseChoice(ENCODINGS), 'utf8' as Encoding)
    .option('--value-encoding <enc>', `how to print values: ${ENCODINGS.join('|')}`, parseChoice(ENCODINGS), 'utf8' as Encoding)
    .option('--null-text <text>', 'printed for a null key or value in --format output', '')
    .action(async (opts: ReceiveOptions, command: Command) => {
      if ([opts.ack, opts.release, opts.reject].filter(Boolean).length > 1) throw new UsageError('give at most one of --ack, --release, --reject');
      const bad = validateTemplate(opts.format);
      if (bad) throw new UsageError(`--format: ${bad}`);
      const how = opts.release ? 'release' : opts.reject ? 'reject' : 'accept';
      const c = ctx();
      checkTemplateOutput(command, c.global.output);
      const enc: RecordEncodings = { key: opts.keyEncoding, value: opts.valueEncoding, nullText: opts.nullText };
      const render = (r: ShareRecord): string | Buffer => {
        const json = { ...recordToJson(r, enc), deliveryCount: r.deliveryCount };
        if (c.global.output === 'json') return `${JSON.stringify(json)}\n`;
        if (c.global.output === 'yaml') return `---\n${toYaml(json)}`;
        return Buffer.concat([formatRecordBytes(r, opts.format, enc), Buffer.from('\n')]);
      };
      const failures = await c.withClient(async (client) => {
        const [desc] = await client.admin().describeTopics([opts.topic]);
        if (desc === undefined || desc.partitions.length === 0) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic "${opts.topic}" does not exist`);
        const consumer = client.shareConsumer({ groupId: opts.group, acknowledgementMode: 'explicit', maxWaitMs: Math.min(opts.waitMs, 500) });
        consumer.subscribe([opts.topic]);
        let printed = 0;
        let lastAt = Date.now();
        try {
          while (opts.count === undefined || printed < opts.count) {
            const records = await consumer.poll();
            if (records.length === 0) {
              if (Date.now() - lastAt >= opts.waitMs) break;
              continue;
            }
            lastAt = Date.now();
            for (const r of records) {
              if (opts.count !== undefined && printed >= opts.count) {
                r.release(); // received past --count: straight back to the queue
                continue;
              }
              c.io.stdout.write(render(r));
              printed++;
              r[how]();
            }
          }
          return await consumer.commit();
        } finally {
          await consumer.close();
        }
      });
      if (failures.length > 0) {
        const n = failures.reduce((s, f) => s + f.offsets.length, 0);
        throw new CliExit(1, `error: ${n} acknowledgement(s) refused (${failures.map((f) => `${f.topic}-${f.partition}: error ${f.errorCode}`).join(', ')}): their locks had expired`);
      }
    });
}
