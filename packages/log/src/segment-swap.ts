// Atomic replacement of a run of segments by one compacted segment. The cleaner writes
// `<base>.log.cleaned` (+ indexes), then a `<base>.swap` marker holding the exclusive end offset of
// the replaced run; completeSwap (also run by recovery after a crash) deletes the old run and renames.
import { promises as fsp } from 'node:fs';
import { isNotFound, syncDir, writeFileAtomic } from './fs-ops';
import {
  CLEANED_SUFFIX,
  INDEX_SUFFIX,
  LOG_SUFFIX,
  SWAP_MARKER_SUFFIX,
  TIME_INDEX_SUFFIX,
  parseSegmentName,
  segmentName,
  unlinkIfExists,
} from './segment-files';

export function writeSwapMarker(dir: string, base: bigint, end: bigint): Promise<void> {
  return writeFileAtomic(dir, `${segmentName(base)}${SWAP_MARKER_SUFFIX}`, Buffer.from(`${end}\n`));
}

export async function readSwapMarker(dir: string, file: string): Promise<bigint | null> {
  const text = (await fsp.readFile(`${dir}/${file}`, 'utf8')).trim();
  return /^\d+$/.test(text) ? BigInt(text) : null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.access(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Idempotent: safe to rerun after a crash at any step. */
export async function completeSwap(dir: string, base: bigint, end: bigint): Promise<void> {
  const name = `${dir}/${segmentName(base)}`;
  if (await exists(`${name}${LOG_SUFFIX}${CLEANED_SUFFIX}`)) {
    for (const f of await fsp.readdir(dir)) {
      const b = parseSegmentName(f, LOG_SUFFIX);
      if (b === null || b < base || b >= end) continue;
      const old = `${dir}/${segmentName(b)}`;
      await unlinkIfExists(`${old}${LOG_SUFFIX}`);
      await unlinkIfExists(`${old}${INDEX_SUFFIX}`);
      await unlinkIfExists(`${old}${TIME_INDEX_SUFFIX}`);
    }
    for (const suffix of [INDEX_SUFFIX, TIME_INDEX_SUFFIX, LOG_SUFFIX]) {
      try {
        await fsp.rename(`${name}${suffix}${CLEANED_SUFFIX}`, `${name}${suffix}`);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    await syncDir(dir);
  }
  await unlinkIfExists(`${name}${SWAP_MARKER_SUFFIX}`);
  await syncDir(dir);
}
