// `mq consume <topic>`: plain (all or one partition, from an rpk-style offset spec) or as a group
// member (--group). Stops after --count messages, at a stop offset / the end (--exit-at-end),
// after --idle-ms without messages, when stdout's reader goes away, or on SIGINT/SIGTERM.
// A group member commits only records whose write to stdout completed, then leaves the group.
import type { Command } from 'commander';
import { type ConsumerRecord, type Consumer, KafkaError } from '@mq/client';
import { stringify as toYaml } from 'yaml';
import type { CliContext } from '../context';
import { UsageError } from '../cli-error';
import { planConsume } from '../consume-plan';
import { ENCODINGS, type Encoding } from '../encoding';
import { OFFSET_SPEC_HELP, type OffsetSpec, parseOffsetSpec } from '../offset-spec';
import { parseChoice, parseIntOption, parseTimestamp } from '../parse';
import { type RecordEncodings, formatRecordBytes, recordToJson, validateTemplate } from '../record-format';
import { StdoutSink } from '../stdout-sink';
import { checkTemplateOutput } from '../template-output';
import { type SchemaValueOptions, registerSchemaValueOptions, valueDeserializer } from '../schema-values';

interface ConsumeOptions extends SchemaValueOptions {
  fromBeginning?: boolean;
  offset?: OffsetSpec;
  timestamp?: bigint;
  partition?: number;
  group?: string;
  count?: number;
  idleMs?: number;
  exitAtEnd?: boolean;
  format: string;
  keyEncoding: Encoding;
  valueEncoding: Encoding;
  nullText: string;
}

export function registerConsume(program: Command, ctx: () => CliContext): void {
  const cmd = program.command('consume <topic>');
  registerSchemaValueOptions(cmd, 'consume')
    .description('print messages from a topic')
    .option('--from-beginning', 'start at the log start (same as --offset start)')
    .option('--offset <spec>', 'where to start and stop: start, end, N, +N, -N, N:M, :end, @time, @t1:t2 (see below)', (v) => parseOffsetSpec(v))
    .option('--timestamp <ms|iso>', 'start at the first message at or after this time', parseTimestamp)
    .option('-p, --partition <n>', 'read only this partition', parseIntOption(0))
    .option('-g, --group <id>', 'consume as a member of this consumer group (commits what was printed)')
    .option('-n, --count <n>', 'exit after this many messages', parseIntOption(1))
    .option('-e, --exit-at-end', 'exit at the high watermark seen at start (per partition)')
    .option('--idle-ms <ms>', 'exit after this long without a message', parseIntOption(1))
    .option('--format <template>', 'output template: {key} {value} {partition} {offset} {timestamp} {headers} {topic}', '{value}')
    .option('--key-encoding <enc>', `how to print keys: ${ENCODINGS.join('|')}`, parseChoice(ENCODINGS), 'utf8' as Encoding)
    .option('--value-encoding <enc>', `how to print values: ${ENCODINGS.join('|')}`, parseChoice(ENCODINGS), 'utf8' as Encoding)
    .option('--null-text <text>', 'printed for a null key or value in --format output (JSON output has null)', '')
    .addHelpText('after', OFFSET_SPEC_HELP)
    .action(async (topic: string, opts: ConsumeOptions, command: Command) => {
      const c = ctx();
      checkTemplateOutput(command, c.global.output);
      const starts = [opts.fromBeginning, opts.offset !== undefined, opts.timestamp !== undefined].filter(Boolean).length;
      if (starts > 1) throw new UsageError('use only one of --from-beginning, --offset, --timestamp');
      if (opts.group && (opts.partition !== undefined || opts.offset !== undefined || opts.timestamp !== undefined)) {
        throw new UsageError('--group takes partitions and positions from the group: do not combine it with --partition, --offset or --timestamp');
      }
      const bad = validateTemplate(opts.format);
      if (bad) throw new UsageError(`--format: ${bad}`);
      const spec: OffsetSpec = opts.offset ?? {
        start: opts.timestamp !== undefined ? { kind: 'timestamp', ms: opts.timestamp } : opts.fromBeginning ? { kind: 'start' } : { kind: 'end' },
      };
      if (opts.exitAtEnd && !spec.stop) spec.stop = { kind: 'end' };
      if (!opts.group && starts === 0 && !spec.stop && c.io.stderr.isTTY) {
        c.note(`consuming ${topic} from the end: only new messages are shown (--from-beginning or --offset start for the rest; Ctrl-C to stop)`);
      }
      const decode = await valueDeserializer(c, opts);
      // Decoded values are JSON text: -o json nests them as objects.
      const enc: RecordEncodings = { key: opts.keyEncoding, value: decode ? 'json' : opts.valueEncoding, nullText: opts.nullText };
      const sink = new StdoutSink(c.io.stdout as unknown as ConstructorParameters<typeof StdoutSink>[0]);
      const render = renderer(c, opts.format, enc);
      let stop = false;
      const onSignal = (): void => {
        stop = true;
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await c.withClient(async (client) => {
          const admin = client.admin();
          const [desc] = await admin.describeTopics([topic]);
          const all = desc!.partitions.map((p) => p.partition);
          const consumer = client.consumer({
            groupId: opts.group,
            autoOffsetReset: opts.fromBeginning ? 'earliest' : 'latest',
            maxWaitMs: 200,
            // What counts as consumed is what reached stdout: committed below, never ahead of it.
            autoCommit: false,
          });
          // Per partition: stop before this offset (absent: no stop).
          const stopAt = new Map<number, bigint>();
          if (opts.group) {
            consumer.subscribe([topic]);
            if (spec.stop?.kind === 'end') for (const o of await admin.listOffsets(topic, 'latest')) stopAt.set(o.partition, o.offset);
          } else {
            if (opts.partition !== undefined && !all.includes(opts.partition)) {
              throw new UsageError(`topic "${topic}" has no partition ${opts.partition} (it has ${all.length})`);
            }
            const chosen = opts.partition !== undefined ? [opts.partition] : all;
            const plan = await planConsume(admin, topic, chosen, spec);
            for (const w of plan.warnings) c.note(w);
            for (const p of plan.partitions) if (p.stopOffset !== undefined) stopAt.set(p.partition, p.stopOffset);
            consumer.assign(plan.partitions.map((p) => ({ topic, partition: p.partition, offset: p.start })));
          }
          const written = new Map<number, bigint>();
          let printed = 0;
          let lastMessageAt = Date.now();
          let joined = false;
          const caughtUp = (): boolean => {
            if (!spec.stop) return false;
            const assigned = consumer.assignment();
            if (opts.group && assigned.length === 0 && !joined) return false;
            return assigned.every((tp) => {
              const end = stopAt.get(tp.partition);
              const pos = consumer.position(topic, tp.partition);
              return end !== undefined && pos !== null && pos >= end;
            });
          };
          try {
            while (!stop && !caughtUp()) {
              const polled = await consumer.poll();
              const records = decode ? await decode(polled) : polled;
              joined = true;
              if (records.length > 0) lastMessageAt = Date.now();
              // One write per run of same-partition records (up to 16 KiB): its callback confirms
              // them all. A failed write confirms none, so a cut pipe never over-commits.
              let chunk: Array<string | Buffer> = [];
              let chunkBytes = 0;
              let chunkPartition = -1;
              let chunkNext = 0n;
              const flush = (): void => {
                if (chunk.length === 0) return;
                const partition = chunkPartition;
                const next = chunkNext;
                sink.write(chunk.length === 1 ? chunk[0]! : Buffer.concat(chunk.map((x) => (typeof x === 'string' ? Buffer.from(x) : x))), () => written.set(partition, next));
                chunk = [];
                chunkBytes = 0;
              };
              for (const r of records) {
                const end = stopAt.get(r.partition);
                if (end !== undefined && r.offset >= end) continue;
                if (r.partition !== chunkPartition || chunkBytes >= 16_384) flush();
                const text = render(r);
                chunk.push(text);
                chunkBytes += text.length;
                chunkPartition = r.partition;
                chunkNext = r.offset + 1n;
                printed++;
                if (opts.count !== undefined && printed >= opts.count) {
                  stop = true;
                  break;
                }
              }
              flush();
              await sink.ready();
              if (sink.failure) throw sink.failure;
              if (sink.broken) stop = true;
              if (opts.group) await commitWritten(consumer, topic, written);
              if (opts.idleMs !== undefined && Date.now() - lastMessageAt >= opts.idleMs) stop = true;
            }
            await sink.settled();
            if (opts.group) await commitWritten(consumer, topic, written);
          } finally {
            await consumer.close();
          }
          if (sink.failure) throw sink.failure;
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}

/** Commits what reached stdout; a rebalance error only means the partition moved on. */
async function commitWritten(consumer: Consumer, topic: string, written: ReadonlyMap<number, bigint>): Promise<void> {
  if (written.size === 0) return;
  try {
    await consumer.commit([...written].map(([partition, offset]) => ({ topic, partition, offset })));
  } catch (err) {
    if (!(err instanceof KafkaError)) throw err;
  }
}

function renderer(c: CliContext, template: string, enc: RecordEncodings): (r: ConsumerRecord) => string | Buffer {
  switch (c.global.output) {
    case 'json':
      // One JSON object per line: streamable, and `jq` reads it as is.
      return (r) => `${JSON.stringify(recordToJson(r, enc))}\n`;
    case 'yaml':
      return (r) => `---\n${toYaml(recordToJson(r, enc))}`;
    case 'table':
      return (r) => Buffer.concat([formatRecordBytes(r, template, enc), NEWLINE]);
  }
}

const NEWLINE = Buffer.from('\n');
