// `mq produce <topic>`: one message per input line (stdin or --file), optional key split, headers,
// explicit partition, acks, compression and a rate limit; progress on stderr when reading a file.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import type { Acks, CompressionName, Message } from '@mq/client';
import type { CliContext } from '../context';
import { UsageError } from '../cli-error';
import { readLines } from '../line-reader';
import { collectKeyValue, parseAcks, parseIntOption, parsePositiveNumber } from '../parse';
import { ProgressReporter } from '../progress';
import { RateLimiter } from '../rate-limiter';

interface ProduceOptions {
  file?: string;
  keySeparator?: string;
  header?: Array<[string, string]>;
  partition?: number;
  acks: Acks;
  compression: CompressionName;
  rate?: number;
  lingerMs: number;
  batchBytes: number;
  progress: boolean;
}

const COMPRESSIONS: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function registerProduce(program: Command, ctx: () => CliContext): void {
  program
    .command('produce <topic>')
    .description('produce one message per line from stdin or --file')
    .option('-f, --file <path>', 'read messages from a file instead of stdin')
    .option('-K, --key-separator <sep>', 'split each line at the first <sep> into key and value')
    .option('-H, --header <key=value>', 'header added to every message, repeatable', collectKeyValue)
    .option('-p, --partition <n>', 'send every message to this partition', parseIntOption(0))
    .option('--acks <acks>', 'all|-1, 1 or 0', parseAcks, -1 as Acks)
    .option('-z, --compression <codec>', `one of ${COMPRESSIONS.join(', ')}`, parseCompression, 'none' as CompressionName)
    .option('--rate <msgs-per-sec>', 'limit the send rate', parsePositiveNumber)
    .option('--linger-ms <ms>', 'batch linger time', parseIntOption(0, 60_000), 5)
    .option('--batch-bytes <n>', 'maximum batch size in bytes', parseIntOption(100, 64 * 1024 * 1024), 65_536)
    .option('--no-progress', 'no progress output on stderr when reading a file')
    .addHelpText(
      'after',
      '\nDelayed delivery and message priorities are not supported by the broker yet, so there are\n' +
        'no --delay/--priority flags: they will appear when the broker advertises those features.\n',
    )
    .action(async (topic: string, opts: ProduceOptions) => {
      const c = ctx();
      if (opts.keySeparator === '') throw new UsageError('--key-separator must not be empty');
      let totalBytes = 0;
      if (opts.file) {
        try {
          totalBytes = (await stat(opts.file)).size;
        } catch (err) {
          throw new UsageError(`cannot read --file ${opts.file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        }
      }
      const input: AsyncIterable<Buffer | string> = opts.file ? createReadStream(opts.file) : (c.io.stdin as AsyncIterable<Buffer | string>);
      const progress = opts.file && opts.progress ? new ProgressReporter(c.io.stderr, totalBytes) : undefined;
      const limiter = opts.rate ? new RateLimiter(opts.rate) : undefined;
      const headers = (opts.header ?? []).map(([key, value]) => ({ key, value }));
      const perPartition = new Map<number, number>();
      let messages = 0;
      let bytes = 0;
      await c.withClient(async (client) => {
        const producer = client.producer({ acks: opts.acks, compression: opts.compression, lingerMs: opts.lingerMs, batchBytes: opts.batchBytes });
        // Bound memory: at most a few chunks of lines wait for acknowledgement at once.
        const inFlight = new Set<Promise<void>>();
        let failure: unknown;
        for await (const chunk of readLines(input)) {
          let pending = chunk.lines.map((line) => toMessage(line, opts, headers));
          while (pending.length > 0) {
            const n = limiter ? await limiter.take(pending.length) : pending.length;
            const batch = pending.slice(0, n);
            pending = pending.slice(n);
            const p = producer.send({ topic, messages: batch }).then((metas) => {
              for (const m of metas) perPartition.set(m.partition, (perPartition.get(m.partition) ?? 0) + 1);
            });
            inFlight.add(p);
            p.then(
              () => inFlight.delete(p),
              (err: unknown) => {
                inFlight.delete(p);
                failure ??= err;
              },
            );
            messages += batch.length;
            if (inFlight.size >= 8) await Promise.race(inFlight).catch(() => {});
            if (failure !== undefined) throw failure;
          }
          bytes = chunk.bytesRead;
          progress?.update(bytes, messages);
        }
        await Promise.allSettled(inFlight);
        if (failure !== undefined) throw failure;
        await producer.flush();
      });
      progress?.done(totalBytes || bytes, messages);
      const rows = [...perPartition].sort((a, b) => a[0] - b[0]).map(([partition, count]) => ({ topic, partition, messages: count }));
      c.print({ rows, data: { topic, messages, partitions: Object.fromEntries(perPartition) } });
    });
}

function parseCompression(value: string): CompressionName {
  if ((COMPRESSIONS as readonly string[]).includes(value)) return value as CompressionName;
  throw new InvalidArgumentError(`must be one of ${COMPRESSIONS.join(', ')}.`);
}

function toMessage(line: string, opts: ProduceOptions, headers: Message['headers']): Message {
  let key: string | null = null;
  let value = line;
  if (opts.keySeparator !== undefined) {
    const i = line.indexOf(opts.keySeparator);
    if (i >= 0) {
      key = line.slice(0, i);
      value = line.slice(i + opts.keySeparator.length);
    }
  }
  return { key, value, headers, partition: opts.partition };
}
