// A raw TCP connection to the broker for hostile input: writes arbitrary bytes and reports what the
// broker did (response frames received, connection closed by the broker) within a deadline.
import { connect, type Socket } from 'node:net';

export interface Outcome {
  /** Complete size-prefixed frames the broker sent back. */
  readonly frames: Buffer[];
  /** The broker ended or reset the connection. */
  readonly closedByBroker: boolean;
  readonly error?: string;
}

export class RawConnection {
  private buffered = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private closed = false;
  private errorText: string | undefined;
  private readonly waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (b: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, b]);
      while (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (size < 0 || this.buffered.length < 4 + size) break;
        this.frames.push(this.buffered.subarray(4, 4 + size));
        this.buffered = this.buffered.subarray(4 + size);
      }
      this.wake();
    });
    socket.on('error', (e) => {
      this.errorText = e.message;
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static open(host: string, port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve) => {
      // A write the broker refuses (it already closed) shows up as closedByBroker, not a throw.
      this.socket.write(bytes, () => resolve());
    });
  }

  /** Half-closes our side: no more bytes will come (how a client abandons a truncated frame). */
  endWrites(): void {
    this.socket.end();
  }

  /** Waits until `want` frames arrived or the broker closed, or the deadline passed. */
  async outcome(timeoutMs: number, want = 1): Promise<Outcome> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && this.frames.length < want && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return { frames: [...this.frames], closedByBroker: this.closed, ...(this.errorText !== undefined ? { error: this.errorText } : {}) };
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
