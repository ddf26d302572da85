// The default FileSystem: node:fs, numeric fds and callbacks (no FileHandle, no promise wrapper per
// call beyond one Promise) — the only file of @mq/log that imports node:fs.
import * as fs from 'node:fs';
import type { FileSystem } from './file-system';

function call<T>(fn: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

function done(fn: (cb: (err: NodeJS.ErrnoException | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
}

const { O_CREAT, O_DSYNC, O_RDWR, O_TRUNC } = fs.constants;
const DSYNC_FLAGS: Readonly<Record<string, number>> = { 'r+': O_RDWR | O_DSYNC, 'w+': O_RDWR | O_CREAT | O_TRUNC | O_DSYNC };

function openFlags(flags: string, sync: 'data' | undefined): string | number {
  if (sync === undefined) return flags;
  const n = DSYNC_FLAGS[flags];
  if (n === undefined) throw new RangeError(`open with sync 'data' takes flags 'r+' or 'w+', not '${flags}'`);
  return n;
}

export const nodeFileSystem: FileSystem = {
  open: (path, flags, sync) => call((cb) => fs.open(path, openFlags(flags, sync), 0o644, cb)),
  close: (fd) => done((cb) => fs.close(fd, cb)),
  read: (fd, buf, offset, length, position) => call((cb) => fs.read(fd, buf, offset, length, position, cb)),
  writev: (fd, buffers, position) => call((cb) => fs.writev(fd, buffers as Buffer[], position, cb)),
  fdatasync: (fd) => done((cb) => fs.fdatasync(fd, cb)),
  fsync: (fd) => done((cb) => fs.fsync(fd, cb)),
  ftruncate: (fd, length) => done((cb) => fs.ftruncate(fd, length, cb)),
  readFile: (path) => fs.promises.readFile(path),
  readdir: (path) => fs.promises.readdir(path),
  stat: (path) => fs.promises.stat(path),
  mkdir: (path) => fs.promises.mkdir(path),
  rename: (from, to) => fs.promises.rename(from, to),
  unlink: (path) => fs.promises.unlink(path),
  removeTree: (path) => fs.promises.rm(path, { recursive: true, force: true }),
  readdirSync: (path) => fs.readdirSync(path),
  statSync: (path) => fs.statSync(path),
  readFileSync: (path) => fs.readFileSync(path),
};
