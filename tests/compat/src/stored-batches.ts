// Reads the RecordBatch v2 headers straight out of a partition's segment files, so a test can check
// what the broker stored (e.g. that a compressed batch was kept with its codec, not re-encoded).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StoredBatchHeader {
  readonly file: string;
  readonly baseOffset: bigint;
  readonly recordsCount: number;
  /** Attributes bits 0-2: 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
  readonly codec: number;
}

export const CODEC_IDS = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;

async function logFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await logFiles(p)));
    else if (e.isFile() && e.name.endsWith('.log')) out.push(p);
  }
  return out.sort();
}

/**
 * Every batch header in the `.log` files under `partitionDirPrefix*` in dataDir (Kafka's layout:
 * `<topic>-<partition>/<baseOffset>.log`). Stops reading a file at the first bytes that are not a
 * v2 batch (a preallocated or torn tail).
 */
export async function storedBatches(dataDir: string, topic: string): Promise<StoredBatchHeader[]> {
  const batches: StoredBatchHeader[] = [];
  const all = await logFiles(dataDir);
  const mine = all.filter((f) => f.split('/').some((part) => part.startsWith(`${topic}-`) && /-\d+$/.test(part) && part.slice(0, part.lastIndexOf('-')) === topic));
  for (const file of mine) {
    const buf = await readFile(file);
    let at = 0;
    while (at + 61 <= buf.length) {
      const batchLength = buf.readInt32BE(at + 8);
      const magic = buf.readInt8(at + 16);
      if (batchLength < 49 || magic !== 2 || at + 12 + batchLength > buf.length) break;
      batches.push({
        file,
        baseOffset: buf.readBigInt64BE(at),
        recordsCount: buf.readInt32BE(at + 57),
        codec: buf.readInt16BE(at + 21) & 0x7,
      });
      at += 12 + batchLength;
    }
  }
  return batches;
}
