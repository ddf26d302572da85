// A writer process is SIGKILLed mid-stream under flush=always; reopening must keep every
// acknowledged batch, in order, and accept new appends right after the recovered end.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { decodeRecordBatch, splitBatches } from '@mq/records';
import { Log } from '../src/index';
import { makeBatch, tempDir } from './helpers/fixtures';

const writer = fileURLToPath(new URL('./helpers/crash-writer.ts', import.meta.url));

it.each(['grow', 'preallocate', 'dsync'])('keeps every acknowledged batch after kill -9 of the writing process (%s)', async (mode) => {
  const dir = await tempDir();
  const child = spawn(process.execPath, ['--conditions=@mq/source', '--import', 'tsx', writer, dir, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked: [bigint, number][] = [];
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [offset, n] = line.split(' ');
        acked.push([BigInt(offset!), Number(n)]);
      }
      if (acked.length >= 400) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => resolve());
  });
  await new Promise((r) => child.once('exit', r).once('close', r));
  expect(acked.length).toBeGreaterThanOrEqual(400);

  const log = await Log.open(dir, { segmentBytes: 64 * 1024 });
  // Sealed segments were trimmed on roll and recovery trimmed the active one's zero tail: the files
  // hold exactly the log's data.
  const files = (await readdir(dir)).filter((f) => f.endsWith('.log'));
  let onDisk = 0;
  for (const f of files) onDisk += (await stat(join(dir, f))).size;
  expect(onDisk).toBe(log.size);
  expect(log.segmentCount).toBeGreaterThan(1);
  expect(log.recovery.recoveredSegments).toBeGreaterThanOrEqual(1); // no clean-shutdown marker: rescanned
  const byOffset = new Map<bigint, string>();
  let offset = 0n;
  while (offset < log.logEndOffset) {
    const { batches } = splitBatches(await log.read(offset, 1 << 20));
    for (const b of batches) {
      const { records } = await decodeRecordBatch(b.batch);
      byOffset.set(records[0]!.offset, records[0]!.value!.toString());
      offset = records[records.length - 1]!.offset + 1n;
    }
  }
  for (const [base, n] of acked) expect(byOffset.get(base)).toBe(`rec-${n}`);
  const end = log.logEndOffset;
  expect(end).toBeGreaterThanOrEqual(acked[acked.length - 1]![0] + 2n);
  expect((await log.append(await makeBatch(1))).baseOffset).toBe(end);
  await log.close();
}, 60_000);
