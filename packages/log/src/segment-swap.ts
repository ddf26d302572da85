// Atomic replacement of a run of segments by one compacted segment. The cleaner writes
// `<base>.log.cleaned` (+ indexes), then a `<base>.swap` marker holding the exclusive end offset of
// the replaced run; completeSwap (also run by recovery after a crash) deletes the old run and renames.
import type { FileSystem } from './file-system';
import { isNotFound, syncDir, unlinkIfExists, writeFileAtomic } from './fs-ops';
import {
  CLEANED_SUFFIX,
  INDEX_SUFFIX,
  LOG_SUFFIX,
  SWAP_MARKER_SUFFIX,
  TIME_INDEX_SUFFIX,
  parseSegmentName,
  segmentName,
} from './segment-files';

export function writeSwapMarker(fs: FileSystem, dir: string, base: bigint, end: bigint): Promise<void> {
  return writeFileAtomic(fs, dir, `${segmentName(base)}${SWAP_MARKER_SUFFIX}`, Buffer.from(`${end}\n`));
}

export async function readSwapMarker(fs: FileSystem, dir: string, file: string): Promise<bigint | null> {
  const text = (await fs.readFile(`${dir}/${file}`)).toString('utf8').trim();
  return /^\d+$/.test(text) ? BigInt(text) : null;
}

async function exists(fs: FileSystem, path: string): Promise<boolean> {
  try {
    await fs.stat(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Idempotent: safe to rerun after a crash at any step. */
export async function completeSwap(fs: FileSystem, dir: string, base: bigint, end: bigint): Promise<void> {
  const name = `${dir}/${segmentName(base)}`;
  if (await exists(fs, `${name}${LOG_SUFFIX}${CLEANED_SUFFIX}`)) {
    for (const f of await fs.readdir(dir)) {
      const b = parseSegmentName(f, LOG_SUFFIX);
      if (b === null || b < base || b >= end) continue;
      const old = `${dir}/${segmentName(b)}`;
      await unlinkIfExists(fs, `${old}${LOG_SUFFIX}`);
      await unlinkIfExists(fs, `${old}${INDEX_SUFFIX}`);
      await unlinkIfExists(fs, `${old}${TIME_INDEX_SUFFIX}`);
    }
    for (const suffix of [INDEX_SUFFIX, TIME_INDEX_SUFFIX, LOG_SUFFIX]) {
      try {
        await fs.rename(`${name}${suffix}${CLEANED_SUFFIX}`, `${name}${suffix}`);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    await syncDir(fs, dir);
  }
  await unlinkIfExists(fs, `${name}${SWAP_MARKER_SUFFIX}`);
  await syncDir(fs, dir);
}
