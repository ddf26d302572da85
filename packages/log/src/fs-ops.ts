// Promise wrappers over Node's numeric-fd fs calls. The log uses raw fds (not FileHandle) on its hot
// paths: positional reads/writes, writev of many batches, fdatasync, ftruncate.
import * as fs from 'node:fs';

export function openFile(path: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => fs.open(path, flags, 0o644, (err, fd) => (err ? reject(err) : resolve(fd))));
}

export function closeFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.close(fd, (err) => (err ? reject(err) : resolve())));
}

/** Reads up to `length` bytes at `position`; returns the number read (short only at end of file). */
export async function pread(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const n = await new Promise<number>((resolve, reject) =>
      fs.read(fd, buf, offset + done, length - done, position + done, (err, bytes) => (err ? reject(err) : resolve(bytes))),
    );
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Writes all of `buffers` starting at `position`, looping over short writes. */
export async function pwritev(fd: number, buffers: Buffer[], position: number): Promise<void> {
  let pending = buffers;
  let pos = position;
  while (pending.length > 0) {
    const written = await new Promise<number>((resolve, reject) =>
      fs.writev(fd, pending, pos, (err, bytes) => (err ? reject(err) : resolve(bytes))),
    );
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

export function fdatasync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

export function ftruncate(fd: number, length: number): Promise<void> {
  return new Promise((resolve, reject) => fs.ftruncate(fd, length, (err) => (err ? reject(err) : resolve())));
}

/** fsync a directory so renames/creates/unlinks inside it survive a crash. */
export async function syncDir(dir: string): Promise<void> {
  const fd = await openFile(dir, 'r');
  try {
    await new Promise<void>((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
  } finally {
    await closeFile(fd);
  }
}

/** Writes a whole small file atomically: temp file, fsync, rename, fsync the directory. */
export async function writeFileAtomic(dir: string, name: string, data: Buffer): Promise<void> {
  const tmp = `${dir}/${name}.tmp`;
  const fd = await openFile(tmp, 'w');
  try {
    await pwritev(fd, [data], 0);
    await fdatasync(fd);
  } finally {
    await closeFile(fd);
  }
  await fs.promises.rename(tmp, `${dir}/${name}`);
  await syncDir(dir);
}

export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === 'ENOENT';
}
