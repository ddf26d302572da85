// `mq produce <topic>`: one message per input record (stdin or --file, split at newlines or
// --delimiter) or one per file (--value-file); keys split off, fixed or absent; utf8/hex/base64/
// json encodings; headers, partition, acks, compression, rate limit; progress on stderr for files;
// --delay / --deliver-at / --priority / --ttl set the broker's mq-* headers (see queue-headers.ts).
// Connects before reading input (a dead broker fails fast), and on Ctrl-C or a lost broker says
// how many records were acknowledged and how to resume (--skip-lines).
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type Command, InvalidArgumentError } from 'commander';
import type { Acks, CompressionName, Message, RecordMetadata } from '@mq/client';
import { AckTracker } from '../ack-tracker';
import type { CliContext } from '../context';
import { CliExit, UsageError } from '../cli-error';
import { ENCODINGS, type Encoding, decodeInput } from '../encoding';
import { parseDelimiter, readRecords } from '../line-reader';
import { collectKeyValue, parseAcks, parseChoice, parseIntOption, parsePositiveNumber } from '../parse';
import { ProgressReporter } from '../progress';
import { RateLimiter } from '../rate-limiter';
import { type QueueHeaderOptions, queueHeaders, registerQueueHeaderOptions } from '../queue-headers';
import { type SchemaValueOptions, type ValueSerializer, registerSchemaValueOptions, valueSerializer } from '../schema-values';

interface ProduceOptions extends QueueHeaderOptions, SchemaValueOptions {
  file?: string;
  valueFile?: string[];
  keySeparator?: string;
  key?: string;
  nullEmpty?: boolean;
  delimiter?: Buffer;
  keyEncoding: Encoding;
  valueEncoding: Encoding;
  header?: Array<[string, string]>;
  partition?: number;
  acks: Acks;
  compression: CompressionName;
  rate?: number;
  lingerMs: number;
  batchBytes: number;
  progress: boolean;
  skipLines: number;
  printAcks?: boolean;
}

const COMPRESSIONS: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const STOP = Symbol('stop');

export function registerProduce(program: Command, ctx: () => CliContext): void {
  const cmd = program
    .command('produce <topic>')
    .description('produce one message per line from stdin or --file (or one per --value-file)')
    .option('-f, --file <path>', 'read messages from a file instead of stdin')
    .option('--value-file <paths...>', 'each file, whole, is one message value (binary-safe)')
    .option('-K, --key-separator <sep>', 'split each record at the first <sep> into key and value')
    .option('-k, --key <key>', 'the same key for every message')
    .option('-Z, --null-empty', 'an empty value is sent as null (a tombstone), an empty key as no key')
    .option('-D, --delimiter <sep>', 'record delimiter instead of newline (escapes \\n \\r \\t \\0 \\xNN)', parseDelimiterOption)
    .option('--key-encoding <enc>', `how keys are written in the input: ${ENCODINGS.join('|')}`, parseChoice(ENCODINGS), 'utf8' as Encoding)
    .option('--value-encoding <enc>', `how values are written in the input: ${ENCODINGS.join('|')}`, parseChoice(ENCODINGS), 'utf8' as Encoding)
    .option('-H, --header <key=value>', 'header added to every message, repeatable (a key may repeat)', collectKeyValue)
    .option('-p, --partition <n>', 'send every message to this partition', parseIntOption(0))
    .option('--acks <acks>', 'all|-1, 1 or 0', parseAcks, -1 as Acks)
    .option('-z, --compression <codec>', `one of ${COMPRESSIONS.join(', ')}`, parseCompression, 'none' as CompressionName)
    .option('--rate <msgs-per-sec>', 'limit the send rate', parsePositiveNumber)
    .option('--linger-ms <ms>', 'batch linger time', parseIntOption(0, 60_000), 5)
    .option('--batch-bytes <n>', 'maximum batch size in bytes', parseIntOption(100, 64 * 1024 * 1024), 65_536)
    .option('--skip-lines <n>', 'skip the first n input records (resume after an interrupted run)', parseIntOption(0), 0)
    .option('--print-acks', 'print line, partition and offset of every stored message, in input order')
    .option('--no-progress', 'no progress output on stderr when reading a file');
  registerSchemaValueOptions(registerQueueHeaderOptions(cmd), 'produce')
    .addHelpText(
      'after',
      '\nTombstones: -Z with an empty value (e.g. "key=" with -K =) sends a null value.\n' +
        'Delayed messages (--delay / --deliver-at) are acknowledged once the broker holds them; their\n' +
        'offset is -1 until they are due (`mq delayed list` shows them, `mq delayed cancel` drops them).\n' +
        'Schemas: with --schema-registry each value is a JSON document, encoded in the Confluent wire\n' +
        "format with the subject's latest schema (Avro, JSON Schema or Protobuf); a value that does not\n" +
        'fit stops the run at that record (the records before it are sent).\n',
    )
    .action(async (topic: string, opts: ProduceOptions) => {
      const c = ctx();
      if (opts.keySeparator === '') throw new UsageError('--key-separator must not be empty');
      if (opts.keySeparator !== undefined && opts.key !== undefined) throw new UsageError('use either --key or --key-separator');
      if (opts.valueFile && (opts.file || opts.delimiter)) throw new UsageError('--value-file sends whole files: drop --file and --delimiter');
      let fixedKey: Buffer | null = null;
      if (opts.key !== undefined) {
        try {
          fixedKey = decodeInput(Buffer.from(opts.key, 'utf8'), opts.keyEncoding);
        } catch (err) {
          throw new UsageError(`--key ${(err as Error).message} (--key-encoding ${opts.keyEncoding})`);
        }
      }
      const serialize = await valueSerializer(c, topic, opts);
      let totalBytes = 0;
      for (const f of opts.file ? [opts.file] : (opts.valueFile ?? [])) {
        try {
          totalBytes += (await stat(f)).size;
        } catch (err) {
          throw new UsageError(`cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        }
      }
      const headers = [...(opts.header ?? []).map(([key, value]) => ({ key, value })), ...queueHeaders(opts)];
      const perPartition = new Map<number, number>();
      const ackLine = (index: number, m: RecordMetadata): void => {
        const line = opts.skipLines + index + 1;
        if (c.global.output === 'json') c.io.stdout.write(`${JSON.stringify({ line, topic, partition: m.partition, offset: m.offset.toString() })}\n`);
        else c.io.stdout.write(`${line}\t${topic}\t${m.partition}\t${m.offset}\n`);
      };
      const tracker = new AckTracker(opts.printAcks ? ackLine : undefined);
      let stopRequested = false;
      let wake: ((v: typeof STOP) => void) | undefined;
      const stopped = new Promise<typeof STOP>((resolve) => (wake = resolve));
      const onSignal = (): void => {
        stopRequested = true;
        wake?.(STOP);
      };
      let failure: unknown;
      let read = 0;
      let bytes = 0;
      const progress = (opts.file || opts.valueFile) && opts.progress ? new ProgressReporter(c.io.stderr, totalBytes) : undefined;
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await c.withClient(async (client) => {
          // Connect (and learn the partitions) before touching the input.
          await client.cluster.topic(topic, true);
          const producer = client.producer({ acks: opts.acks, compression: opts.compression, lingerMs: opts.lingerMs, batchBytes: opts.batchBytes });
          const limiter = opts.rate ? new RateLimiter(opts.rate) : undefined;
          // Bound memory: at most a few chunks wait for acknowledgement at once.
          const inFlight = new Set<Promise<void>>();
          const send = (batch: Message[]): void => {
            const done = tracker.reserve(batch.length);
            const p = producer.send({ topic, messages: batch }).then((metas) => {
              for (const m of metas) perPartition.set(m.partition, (perPartition.get(m.partition) ?? 0) + 1);
              done(metas);
            });
            inFlight.add(p);
            p.then(
              () => inFlight.delete(p),
              (err: unknown) => {
                inFlight.delete(p);
                failure ??= err;
                // Stop waiting for more input: nothing more can be stored.
                wake?.(STOP);
              },
            );
          };
          const source = opts.valueFile ? wholeFiles(opts.valueFile) : readRecords(opts.file ? createReadStream(opts.file) : (c.io.stdin as AsyncIterable<Buffer>), { delimiter: opts.delimiter });
          const it = source[Symbol.asyncIterator]();
          let skip = opts.skipLines;
          while (!stopRequested && failure === undefined) {
            const next = await Promise.race([it.next(), stopped]);
            if (next === STOP || next.done) break;
            let records = next.value.records;
            bytes = next.value.bytesRead;
            if (skip > 0) {
              const n = Math.min(skip, records.length);
              skip -= n;
              read += n;
              records = records.slice(n);
            }
            let pending: Message[] = [];
            let badInput: unknown;
            try {
              for (const r of records) pending.push(toMessage(r, ++read, opts, fixedKey, headers, serialize));
            } catch (err) {
              // Records before the bad one still go out, so the resume point is exact.
              badInput = err;
            }
            while (pending.length > 0 && !stopRequested && failure === undefined) {
              const n = limiter ? await limiter.take(pending.length) : pending.length;
              send(pending.slice(0, n));
              pending = pending.slice(n);
              if (inFlight.size >= 8) await Promise.race([Promise.race(inFlight).catch(() => {}), stopped]);
            }
            failure ??= badInput;
            progress?.update(bytes, tracker.sent);
          }
          if ((stopRequested || failure !== undefined) && !opts.file && !opts.valueFile) (c.io.stdin as Partial<Readable>).destroy?.();
          // Whatever was handed to the producer gets its answer before we report.
          await producer.flush().catch((err: unknown) => (failure ??= err));
          await Promise.allSettled([...inFlight]);
        });
      } catch (err) {
        failure ??= err;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      const resumeAt = opts.skipLines + tracker.acknowledged;
      const stored = `${tracker.acknowledged} message(s) acknowledged${opts.acks === 0 ? ' (acks=0: sent, not confirmed)' : ''}`;
      if (failure !== undefined) {
        if (tracker.sent === 0 && read === 0) throw failure;
        c.note(`mq: ${stored} before the failure; resume with --skip-lines ${resumeAt}`);
        throw failure;
      }
      if (stopRequested) throw new CliExit(130, `mq: interrupted: ${stored}; resume with --skip-lines ${resumeAt}`);
      progress?.done(totalBytes || bytes, tracker.sent);
      const rows = [...perPartition].sort((a, b) => a[0] - b[0]).map(([partition, count]) => ({ topic, partition, messages: count }));
      const summary = { rows, data: { topic, messages: tracker.acknowledged, partitions: Object.fromEntries(perPartition) } };
      // With --print-acks stdout carries one line per record; the summary goes to stderr.
      if (opts.printAcks) c.note(`mq: ${stored}`);
      else c.print(summary);
    });
}

function parseCompression(value: string): CompressionName {
  if ((COMPRESSIONS as readonly string[]).includes(value)) return value as CompressionName;
  throw new InvalidArgumentError(`must be one of ${COMPRESSIONS.join(', ')}.`);
}

function parseDelimiterOption(value: string): Buffer {
  try {
    return parseDelimiter(value);
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}.`);
  }
}

async function* wholeFiles(paths: readonly string[]): AsyncGenerator<{ records: Buffer[]; bytesRead: number }> {
  let bytesRead = 0;
  for (const p of paths) {
    const b = await readFile(p);
    bytesRead += b.length;
    yield { records: [b], bytesRead };
  }
}

function field(raw: Buffer, encoding: Encoding, what: string, line: number, nullEmpty: boolean): Buffer | null {
  if (nullEmpty && raw.length === 0) return null;
  try {
    return decodeInput(raw, encoding);
  } catch (err) {
    throw new UsageError(`input record ${line}: the ${what} ${(err as Error).message} (--${what}-encoding ${encoding})`);
  }
}

function toMessage(raw: Buffer, line: number, opts: ProduceOptions, fixedKey: Buffer | null, headers: Message['headers'], serialize?: ValueSerializer): Message {
  let key: Buffer | null = fixedKey;
  let value = raw;
  if (opts.keySeparator !== undefined) {
    const i = raw.indexOf(opts.keySeparator);
    if (i >= 0) {
      key = field(raw.subarray(0, i), opts.keyEncoding, 'key', line, opts.nullEmpty ?? false);
      value = raw.subarray(i + Buffer.byteLength(opts.keySeparator));
    }
  }
  const bytes = field(value, opts.valueEncoding, 'value', line, opts.nullEmpty ?? false);
  // A tombstone stays null: it deletes a key, it has no schema.
  return { key, value: bytes !== null && serialize ? serialize(bytes, line) : bytes, headers, partition: opts.partition };
}
