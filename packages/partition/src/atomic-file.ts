// Crash-safe small-file writes: write a temp file, fsync it, rename over the target, fsync the
// directory — a reader sees the old or the new contents, never a torn file.
import { open, rename, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirectory } from '@mq/log';

export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const dir = dirname(path);
  await makeDirectory(dir);
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
