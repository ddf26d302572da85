// Exclusive ownership of a data dir for a process's life (Kafka's <log.dir>/.lock). On Linux the
// mutual exclusion is an abstract Unix socket named after the dir's device and inode: binding is
// atomic and the kernel drops it when the holder dies, even by SIGKILL, so two starters can never
// both win and a crashed broker leaves nothing to clean up. <dataDir>/.lock records the holder
// (pid, host, start time) for the refusal message, and refuses a holder the socket cannot see (a
// live pid with the same /proc start time: another network namespace; or another host).
import { readFileSync } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { KafkaStorageError } from '@mq/errors';
import { makeDirectory } from '@mq/log';
import { readFileIfExists, writeFileAtomic } from '@mq/metadata';
import { type Clock, SystemClock } from '@mq/timerwheel';

/** Between reads of .lock while the winner of a simultaneous start has not written it yet. */
const HOLDER_RETRY_MS = 50;

export const LOCK_FILE_NAME = '.lock';

export interface DataDirLockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO-8601 time the holder took the lock. */
  readonly startedAt: string;
  /** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot): tells a reused pid apart. */
  readonly procStartTicks?: string;
}

/** The data dir is held by another live broker. KAFKA_STORAGE_ERROR, as the dir is unusable to us. */
export class DataDirLockedError extends KafkaStorageError {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirLockHolder | undefined,
  ) {
    const who =
      holder === undefined
        ? 'another process (not yet recorded in .lock)'
        : `pid ${holder.pid} on host ${holder.host} since ${holder.startedAt}`;
    super(`data dir ${dataDir} is locked by ${who}; another broker is using it (lock file ${join(dataDir, LOCK_FILE_NAME)})`);
  }
}

export interface DataDirLockOptions {
  /** Told (WARN) when a lock left by a dead process is taken over. */
  readonly logger?: { warn(obj: object, msg?: string): void };
  /** Paces the retries while a simultaneous start writes its holder record; default a SystemClock. */
  readonly clock?: Clock;
}

export class DataDirLock {
  readonly path: string;
  readonly holder: DataDirLockHolder;
  private released = false;

  private constructor(
    readonly dataDir: string,
    holder: DataDirLockHolder,
    private readonly socket: Server | undefined,
  ) {
    this.path = join(dataDir, LOCK_FILE_NAME);
    this.holder = holder;
  }

  /**
   * Creates the data dir if needed and locks it. Throws DataDirLockedError when a live process
   * holds it, KafkaStorageError (naming path and errno) when the dir cannot be created or written.
   */
  static async acquire(dataDir: string, opts: DataDirLockOptions = {}): Promise<DataDirLock> {
    await makeDirectory(dataDir);
    const path = join(dataDir, LOCK_FILE_NAME);
    const socket = process.platform === 'linux' ? await bindLockSocket(dataDir, path, opts.clock ?? new SystemClock()) : undefined;
    try {
      const previous = parseHolder(await readFileIfExists(path));
      if (previous !== undefined) {
        if (previous.host !== hostname() || isAlive(previous)) throw new DataDirLockedError(dataDir, previous);
        opts.logger?.warn({ path, holder: previous }, 'taking over the data dir lock of a process that is gone');
      }
      const holder: DataDirLockHolder = {
        pid: process.pid,
        host: hostname(),
        startedAt: new Date().toISOString(),
        ...optional(procStartTicks(process.pid)),
      };
      await writeFileAtomic(path, `${JSON.stringify(holder)}\n`).catch((err: NodeJS.ErrnoException) => {
        throw new KafkaStorageError(`cannot write lock file ${path}: ${err.message}`, { cause: err });
      });
      return new DataDirLock(dataDir, holder, socket);
    } catch (err) {
      socket?.close();
      throw err;
    }
  }

  /** Removes .lock (while it is still ours) and frees the socket. Idempotent. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    try {
      const current = parseHolder(await readFileIfExists(this.path));
      if (current?.pid === this.holder.pid && current.startedAt === this.holder.startedAt) await unlink(this.path);
    } finally {
      await new Promise<void>((resolve) => (this.socket === undefined ? resolve() : this.socket.close(() => resolve())));
    }
  }
}

/** Binds the abstract socket of this dir (keyed by device+inode, so every path to it agrees). */
async function bindLockSocket(dataDir: string, path: string, clock: Clock): Promise<Server> {
  const st = await stat(dataDir);
  const name = `\0mq-data-dir-lock-${st.dev}-${st.ino}`;
  const server = createServer((conn) => conn.destroy());
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(name, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    throw new DataDirLockedError(dataDir, await liveHolder(path, clock));
  }
  server.unref(); // the lock must never keep a process alive on its own
  return server;
}

/** The holder recorded in .lock; the winner of a simultaneous start may take a moment to write it. */
async function liveHolder(path: string, clock: Clock): Promise<DataDirLockHolder | undefined> {
  for (let i = 0; i < 20; i++) {
    const h = parseHolder(await readFileIfExists(path).catch(() => undefined));
    if (h !== undefined && isAlive(h)) return h;
    await new Promise<void>((r) => clock.schedule(HOLDER_RETRY_MS, r));
  }
  return undefined;
}

function parseHolder(text: string | undefined): DataDirLockHolder | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as Partial<DataDirLockHolder>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string' || typeof v.startedAt !== 'string') return undefined;
    return { pid: v.pid, host: v.host, startedAt: v.startedAt, ...optional(v.procStartTicks) };
  } catch {
    return undefined; // a torn or foreign file says nothing about a live holder
  }
}

/** Same host only: the pid exists and (where /proc exists) started at the recorded time. */
function isAlive(h: DataDirLockHolder): boolean {
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const ticks = procStartTicks(h.pid);
  return h.procStartTicks === undefined || ticks === undefined || ticks === h.procStartTicks;
}

function procStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may hold spaces and parentheses; fields after the last ')' start at field 3.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function optional(procStartTicks: string | undefined): { procStartTicks?: string } {
  return procStartTicks === undefined ? {} : { procStartTicks };
}
