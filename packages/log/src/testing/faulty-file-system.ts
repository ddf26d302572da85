// A FileSystem for tests that fails chosen calls the way a sick disk does (EIO, ENOSPC, EMFILE...),
// holds chosen calls until released (to observe what the broker does meanwhile), and reports every
// call as it starts and ends — so a test can assert "no acknowledgement before the fdatasync of its
// bytes returned". Everything else is passed to the wrapped FileSystem (default node:fs).
import { constants } from 'node:os';
import type { FileStat, FileSystem } from '../file-system';
import { nodeFileSystem } from '../node-file-system';

export type FsOp = keyof FileSystem;

/** Which calls a rule applies to: the ops, and the path (fd calls: the path the fd was opened with). */
export interface FsMatch {
  readonly op: FsOp | readonly FsOp[];
  readonly path?: RegExp | ((path: string) => boolean);
}

export interface FaultRule extends FsMatch {
  /** errno code of the thrown error: 'EIO', 'ENOSPC', 'EMFILE', ... */
  readonly code: string;
  /** Fails this many matching calls, then passes them again (default: until cleared). */
  readonly times?: number;
  /**
   * writev only: first write half of what was asked (a disk that fills mid-write), then fail: the
   * caller must cut the half batch off again.
   */
  readonly partial?: boolean;
}

export interface Fault {
  /** Matching calls failed so far. */
  readonly hits: number;
  /** The fault is over: matching calls pass from now on. */
  clear(): void;
}

export interface Hold {
  /** Calls waiting at the hold now. */
  readonly waiting: number;
  /** Resolves once a matching call is waiting. */
  readonly reached: Promise<void>;
  /** Lets every waiting and later matching call through. */
  release(): void;
}

export interface FsEvent {
  readonly op: FsOp;
  readonly path: string;
  readonly phase: 'start' | 'end' | 'error';
  /** The errno code for phase 'error'. */
  readonly code?: string;
}

interface ActiveFault {
  readonly rule: FaultRule;
  hits: number;
  cleared: boolean;
}

interface ActiveHold {
  readonly match: FsMatch;
  released: boolean;
  readonly waiters: (() => void)[];
  reachedResolve: () => void;
}

export class FaultyFileSystem implements FileSystem {
  private readonly inner: FileSystem;
  private readonly faults: ActiveFault[] = [];
  private readonly holds: ActiveHold[] = [];
  private readonly listeners = new Set<(e: FsEvent) => void>();
  /** Paths of open fds, so fd calls match by path. */
  private readonly fdPaths = new Map<number, string>();

  constructor(inner: FileSystem = nodeFileSystem) {
    this.inner = inner;
  }

  /** Makes matching calls fail with `rule.code` until the returned Fault is cleared (or `times` ran out). */
  inject(rule: FaultRule): Fault {
    const f: ActiveFault = { rule, hits: 0, cleared: false };
    this.faults.push(f);
    return {
      get hits() {
        return f.hits;
      },
      clear: () => {
        f.cleared = true;
      },
    };
  }

  /** Makes matching calls wait (before reaching the disk) until released. */
  hold(match: FsMatch): Hold {
    let reachedResolve = (): void => {};
    const reached = new Promise<void>((r) => (reachedResolve = r));
    const h: ActiveHold = { match, released: false, waiters: [], reachedResolve };
    this.holds.push(h);
    return {
      get waiting() {
        return h.waiters.length;
      },
      reached,
      release: () => {
        h.released = true;
        for (const w of h.waiters.splice(0)) w();
      },
    };
  }

  /** Clears every fault and releases every hold. */
  heal(): void {
    for (const f of this.faults) f.cleared = true;
    for (const h of this.holds) {
      h.released = true;
      for (const w of h.waiters.splice(0)) w();
    }
  }

  /** Told about every call as it starts and as it ends (or fails). Returns the unsubscribe. */
  listen(fn: (e: FsEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  open(path: string, flags: string, sync?: 'data'): Promise<number> {
    return this.run('open', path, async () => {
      const fd = await this.inner.open(path, flags, sync);
      this.fdPaths.set(fd, path);
      return fd;
    });
  }

  close(fd: number): Promise<void> {
    return this.run('close', this.pathOf(fd), async () => {
      await this.inner.close(fd);
      this.fdPaths.delete(fd);
    });
  }

  read(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
    return this.run('read', this.pathOf(fd), () => this.inner.read(fd, buf, offset, length, position));
  }

  writev(fd: number, buffers: readonly Buffer[], position: number): Promise<number> {
    const path = this.pathOf(fd);
    return this.run('writev', path, () => this.inner.writev(fd, buffers, position), async (rule) => {
      if (rule.partial !== true) return;
      // Half of the first buffer lands, as when the disk fills in the middle of a batch.
      const first = buffers[0];
      if (first !== undefined && first.length > 1) await this.inner.writev(fd, [first.subarray(0, first.length >> 1)], position);
    });
  }

  fdatasync(fd: number): Promise<void> {
    return this.run('fdatasync', this.pathOf(fd), () => this.inner.fdatasync(fd));
  }

  fsync(fd: number): Promise<void> {
    return this.run('fsync', this.pathOf(fd), () => this.inner.fsync(fd));
  }

  ftruncate(fd: number, length: number): Promise<void> {
    return this.run('ftruncate', this.pathOf(fd), () => this.inner.ftruncate(fd, length));
  }

  readFile(path: string): Promise<Buffer> {
    return this.run('readFile', path, () => this.inner.readFile(path));
  }

  readdir(path: string): Promise<string[]> {
    return this.run('readdir', path, () => this.inner.readdir(path));
  }

  stat(path: string): Promise<FileStat> {
    return this.run('stat', path, () => this.inner.stat(path));
  }

  mkdir(path: string): Promise<void> {
    return this.run('mkdir', path, () => this.inner.mkdir(path));
  }

  rename(from: string, to: string): Promise<void> {
    return this.run('rename', from, () => this.inner.rename(from, to));
  }

  unlink(path: string): Promise<void> {
    return this.run('unlink', path, () => this.inner.unlink(path));
  }

  removeTree(path: string): Promise<void> {
    return this.run('removeTree', path, () => this.inner.removeTree(path));
  }

  readdirSync(path: string): string[] {
    return this.runSync('readdirSync', path, () => this.inner.readdirSync(path));
  }

  statSync(path: string): FileStat {
    return this.runSync('statSync', path, () => this.inner.statSync(path));
  }

  readFileSync(path: string): Buffer {
    return this.runSync('readFileSync', path, () => this.inner.readFileSync(path));
  }

  private pathOf(fd: number): string {
    return this.fdPaths.get(fd) ?? `fd:${fd}`;
  }

  private async run<T>(op: FsOp, path: string, call: () => Promise<T>, beforeFail?: (rule: FaultRule) => Promise<void>): Promise<T> {
    this.emit({ op, path, phase: 'start' });
    for (const h of this.holds) {
      if (!h.released && matches(h.match, op, path)) {
        await new Promise<void>((resolve) => {
          h.waiters.push(resolve);
          h.reachedResolve();
        });
      }
    }
    const fault = this.faultFor(op, path);
    try {
      if (fault !== undefined) {
        await beforeFail?.(fault.rule);
        throw errnoError(fault.rule.code, op, path);
      }
      const value = await call();
      this.emit({ op, path, phase: 'end' });
      return value;
    } catch (err) {
      this.emit({ op, path, phase: 'error', code: (err as NodeJS.ErrnoException).code ?? 'unknown' });
      throw err;
    }
  }

  private runSync<T>(op: FsOp, path: string, call: () => T): T {
    this.emit({ op, path, phase: 'start' });
    const fault = this.faultFor(op, path);
    try {
      if (fault !== undefined) throw errnoError(fault.rule.code, op, path);
      const value = call();
      this.emit({ op, path, phase: 'end' });
      return value;
    } catch (err) {
      this.emit({ op, path, phase: 'error', code: (err as NodeJS.ErrnoException).code ?? 'unknown' });
      throw err;
    }
  }

  private faultFor(op: FsOp, path: string): ActiveFault | undefined {
    for (const f of this.faults) {
      if (f.cleared || !matches(f.rule, op, path)) continue;
      if (f.rule.times !== undefined && f.hits >= f.rule.times) continue;
      f.hits++;
      return f;
    }
    return undefined;
  }

  private emit(e: FsEvent): void {
    for (const fn of this.listeners) fn(e);
  }
}

function matches(m: FsMatch, op: FsOp, path: string): boolean {
  const ops = typeof m.op === 'string' ? [m.op] : m.op;
  if (!ops.includes(op)) return false;
  if (m.path === undefined) return true;
  return typeof m.path === 'function' ? m.path(path) : m.path.test(path);
}

/** The error Node's fs would throw for `code` (ENOSPC, EIO, EMFILE...): code, errno, syscall, path. */
export function errnoError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const errno = (constants.errno as Record<string, number>)[code];
  return Object.assign(new Error(`${code}: injected fault, ${syscall} '${path}'`), {
    code,
    syscall,
    path,
    ...(errno !== undefined ? { errno: -errno } : {}),
  });
}
