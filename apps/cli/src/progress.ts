// Progress for producing from a file, on stderr: a redrawn bar on a TTY, otherwise one plain line
// at most every `intervalMs` (logs and CI stay readable).

export interface ProgressStream {
  write(s: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export class ProgressReporter {
  private lastDraw = -Infinity;
  private readonly started: number;

  constructor(
    private readonly out: ProgressStream,
    private readonly totalBytes: number,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  update(bytes: number, messages: number, force = false): void {
    const t = this.now();
    const tty = this.out.isTTY === true;
    if (!force && t - this.lastDraw < (tty ? 100 : this.intervalMs)) return;
    this.lastDraw = t;
    const pct = this.totalBytes > 0 ? Math.min(100, (bytes / this.totalBytes) * 100) : 100;
    const secs = Math.max(0.001, (t - this.started) / 1000);
    const rate = Math.round(messages / secs);
    const stats = `${pct.toFixed(1).padStart(5)}% ${messages} msgs ${formatBytes(bytes)}/${formatBytes(this.totalBytes)} ${rate} msg/s`;
    if (tty) {
      const width = Math.max(10, Math.min(40, (this.out.columns ?? 80) - stats.length - 4));
      const filled = Math.round((pct / 100) * width);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats}`);
    } else {
      this.out.write(`progress: ${stats}\n`);
    }
  }

  done(bytes: number, messages: number): void {
    this.update(bytes, messages, true);
    if (this.out.isTTY) this.out.write('\n');
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)}MiB`;
  return `${(n / 1024 ** 3).toFixed(2)}GiB`;
}
