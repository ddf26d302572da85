// Small files inside a partition directory (producer snapshot, partition.metadata), written and read
// through @mq/log's FileSystem seam, so a test's injected faults reach them as they reach the log:
// temp file + fsync + rename + directory fsync, never a torn file.
import { dirname } from 'node:path';
import { type FileSystem, nodeFileSystem } from '@mq/log';

/** Writes all of `data` from offset 0 (looping over short writes). */
export async function writeWhole(fs: FileSystem, fd: number, data: Buffer): Promise<void> {
  let done = 0;
  while (done < data.length) done += await fs.writev(fd, [data.subarray(done)], done);
}

export async function writeFileAtomic(path: string, data: string, fs: FileSystem = nodeFileSystem): Promise<void> {
  // Ends in .tmp so @mq/log's recovery removes a leftover one inside a partition directory.
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = await fs.open(tmp, 'w');
  try {
    await writeWhole(fs, fd, Buffer.from(data));
    await fs.fsync(fd);
  } finally {
    await fs.close(fd);
  }
  await fs.rename(tmp, path);
  await syncDirectory(dirname(path), fs);
}

/** fsync a directory so a rename or unlink inside it survives a crash. */
export async function syncDirectory(dir: string, fs: FileSystem = nodeFileSystem): Promise<void> {
  const fd = await fs.open(dir, 'r');
  try {
    await fs.fsync(fd);
  } finally {
    await fs.close(fd);
  }
}

/** The file's text, or undefined when it does not exist. */
export async function readFileIfExists(path: string, fs: FileSystem = nodeFileSystem): Promise<string | undefined> {
  try {
    return (await fs.readFile(path)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
