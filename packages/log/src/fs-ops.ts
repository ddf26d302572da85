// Loops and compound operations over a FileSystem: whole positional reads and writes (looping over
// short ones), directory sync, atomic small-file replacement, unlink-if-exists.
import type { FileSystem } from './file-system';

/** Reads up to `length` bytes at `position`; returns the number read (short only at end of file). */
export async function pread(fs: FileSystem, fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const n = await fs.read(fd, buf, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Writes all of `buffers` starting at `position`, looping over short writes. */
export async function pwritev(fs: FileSystem, fd: number, buffers: Buffer[], position: number): Promise<void> {
  let pending = buffers;
  let pos = position;
  while (pending.length > 0) {
    const written = await fs.writev(fd, pending, pos);
    pos += written;
    let skip = written;
    const rest: Buffer[] = [];
    for (const b of pending) {
      if (skip >= b.length) {
        skip -= b.length;
      } else {
        rest.push(skip > 0 ? b.subarray(skip) : b);
        skip = 0;
      }
    }
    pending = rest;
  }
}

/** fsync a directory so renames/creates/unlinks inside it survive a crash. */
export async function syncDir(fs: FileSystem, dir: string): Promise<void> {
  const fd = await fs.open(dir, 'r');
  try {
    await fs.fsync(fd);
  } finally {
    await fs.close(fd);
  }
}

/** Writes a whole file and fdatasyncs it before closing. */
export async function writeFileSynced(fs: FileSystem, path: string, data: Buffer): Promise<void> {
  const fd = await fs.open(path, 'w');
  try {
    await pwritev(fs, fd, [data], 0);
    await fs.fdatasync(fd);
  } finally {
    await fs.close(fd);
  }
}

/** Writes a whole small file atomically: temp file, fsync, rename, fsync the directory. */
export async function writeFileAtomic(fs: FileSystem, dir: string, name: string, data: Buffer): Promise<void> {
  const tmp = `${dir}/${name}.tmp`;
  await writeFileSynced(fs, tmp, data);
  await fs.rename(tmp, `${dir}/${name}`);
  await syncDir(fs, dir);
}

export async function unlinkIfExists(fs: FileSystem, path: string): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === 'ENOENT';
}
