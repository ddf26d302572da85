// Crash-safe small-file writes: write a temp file, fsync it, rename over the target, fsync the
// directory — a reader sees the old or the new contents, never a torn file. Shared with
// @mq/partition (producer snapshots, partition.metadata, the data-dir lock).
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MetadataStorageError } from './errors';

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const dir = dirname(path);
  await makeParent(dir);
  // Ends in .tmp so @mq/log's recovery removes a leftover one inside a partition directory.
  const tmp = `${path}.${process.pid}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** The file's text, or undefined when it does not exist. */
export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * One level only (meta/ under a data dir that exists and is locked): `recursive: true` would report
 * EROFS as ENOENT on the parent, so the real errno is kept and named.
 */
async function makeParent(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    throw new MetadataStorageError(`cannot create directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
}
