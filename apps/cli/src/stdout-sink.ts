// Writes consumed records to stdout and reports which ones really left the process: a write counts
// only when its callback fires without error, so a group consumer commits nothing that a closed
// pipe (`| head -1`) swallowed. Waits for 'drain' when the stream buffers too much (backpressure),
// and turns EPIPE into a quiet stop instead of an uncaught stream error.

export interface SinkStream {
  write(chunk: string | Uint8Array, cb?: (err?: Error | null) => void): boolean;
  on(event: 'error', listener: (err: Error) => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
  off?(event: string, listener: (...args: never[]) => void): unknown;
}

export function isBrokenPipe(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END';
}

export class StdoutSink {
  /** The reader went away: stop producing output. */
  broken = false;
  /** A write error other than a closed pipe (disk full, ...). */
  failure: Error | undefined;
  private pending = 0;
  private needDrain = false;
  private settledWaiters: Array<() => void> = [];

  constructor(private readonly stream: SinkStream) {
    stream.on('error', (err) => this.onError(err));
  }

  /** Queues `chunk`; `onWritten` runs once the stream has accepted it for good. */
  write(chunk: string | Uint8Array, onWritten?: () => void): void {
    if (this.broken || this.failure) return;
    this.pending++;
    const more = this.stream.write(chunk, (err) => {
      this.pending--;
      if (err) this.onError(err);
      else onWritten?.();
      if (this.pending === 0) for (const w of this.settledWaiters.splice(0)) w();
    });
    if (!more) this.needDrain = true;
  }

  /** Resolves when the stream can take more (or is broken): honours backpressure. */
  async ready(): Promise<void> {
    if (!this.needDrain || this.broken || this.failure) return;
    await new Promise<void>((resolve) => {
      this.stream.once('drain', resolve);
      this.settledWaiters.push(resolve);
    });
    this.needDrain = false;
  }

  /** Resolves when every queued write has been confirmed or failed. */
  async settled(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((resolve) => this.settledWaiters.push(resolve));
  }

  private onError(err: Error): void {
    if (isBrokenPipe(err)) this.broken = true;
    else this.failure ??= err;
    for (const w of this.settledWaiters.splice(0)) w();
  }
}
