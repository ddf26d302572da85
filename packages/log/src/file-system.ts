// The storage seam: every filesystem call of a log — segments, indexes, recovery, retention,
// compaction — and of the partition files above it goes through one FileSystem passed in by
// options. Default nodeFileSystem (node:fs); tests inject faults (`@mq/log/testing`).

export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  isDirectory(): boolean;
}

/**
 * Raw-fd calls (the log's hot paths: positional reads and writes, fdatasync) plus the few path
 * calls around them. Errors are Node's: an Error with `code` (ENOENT, EIO, ENOSPC, EMFILE...).
 * A call reports exactly what one system call did: read and writev may be short.
 */
export interface FileSystem {
  /**
   * `sync` 'data' (flags 'r+' or 'w+' only): O_DSYNC — every write returns once its bytes, and the
   * file size needed to read them, are durable: a write and an fdatasync in one system call.
   */
  open(path: string, flags: string, sync?: 'data'): Promise<number>;
  close(fd: number): Promise<void>;
  /** One read at `position`; returns the bytes read (0 at end of file). */
  read(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number>;
  /** One positional writev; returns the bytes written (may be fewer than asked). */
  writev(fd: number, buffers: readonly Buffer[], position: number): Promise<number>;
  fdatasync(fd: number): Promise<void>;
  fsync(fd: number): Promise<void>;
  ftruncate(fd: number, length: number): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<FileStat>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** rm -rf: removes `path` and everything under it; nothing there is not an error. */
  removeTree(path: string): Promise<void>;
  /**
   * Synchronous forms for a clean open: a handful of syscalls cost less than a thread-pool round
   * trip apiece, and opening 10,000 logs was bound by those round trips, not by the disk.
   */
  readdirSync(path: string): string[];
  statSync(path: string): FileStat;
  readFileSync(path: string): Buffer;
}
