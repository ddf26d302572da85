// The logger @mq/log writes through: a pino-compatible shape (pino or a child of it fits), so the
// library needs no logger dependency. Storage events that lose or refuse data go to warn/error.

export interface LogLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: LogLogger = { info() {}, warn() {}, error() {} };

/** Errno code of a filesystem error (ENOSPC, EMFILE, EIO, ...), or undefined. */
export function errnoCode(err: unknown): string | undefined {
  for (let e = err; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  }
  return undefined;
}

const ERRNO_HINTS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files in this process (raise ulimit -n or lower log.max.open.files)',
  ENFILE: 'too many open files on this system',
  EIO: 'I/O error',
  EROFS: 'read-only filesystem',
  EACCES: 'permission denied',
};

/** "ENOSPC (no space left on device)" — the errno with a human reading, for log lines. */
export function describeErrno(err: unknown): string {
  const code = errnoCode(err);
  if (code === undefined) return err instanceof Error ? err.message : String(err);
  const hint = ERRNO_HINTS[code];
  return hint === undefined ? code : `${code} (${hint})`;
}
