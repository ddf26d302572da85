// A flooding client for memory tests: pipelines many hand-built requests on one raw socket and
// counts the response frames (and bytes) without keeping them, so the test process stays small
// whatever the broker sends back. A shared body buffer is written by reference, not copied.
import { connect, type Socket } from 'node:net';
import { int16, int32, int64, str } from './wire-bytes';

/** Request header v1 (api key, version, correlation id, client id) with the frame's size prefix. */
function header(apiKey: number, apiVersion: number, correlationId: number, bodyBytes: number): Buffer {
  const client = str('flood');
  return Buffer.concat([int32(8 + client.length + bodyBytes), int16(apiKey), int16(apiVersion), int32(correlationId), client]);
}

/** Produce v3 (acks -1) of `batch` to one partition, as [head, batch]: the batch is not copied. */
export function produceV3Frame(correlationId: number, topic: string, partition: number, batch: Buffer): Buffer[] {
  const body = Buffer.concat([int16(-1), int16(-1), int32(30_000), int32(1), str(topic), int32(1), int32(partition), int32(batch.length)]);
  return [header(0, 3, correlationId, body.length + batch.length), body, batch];
}

/** Fetch v4 (max_wait 0) of every partition from offset 0 with the given limits. */
export function fetchV4Frame(correlationId: number, topic: string, partitions: number, maxBytes: number, partitionMaxBytes: number): Buffer[] {
  const parts = Array.from({ length: partitions }, (_, p) => Buffer.concat([int32(p), int64(0n), int32(partitionMaxBytes)]));
  const body = Buffer.concat([int32(-1), int32(0), int32(1), int32(maxBytes), Buffer.from([0]), int32(1), str(topic), int32(partitions), ...parts]);
  return [header(1, 4, correlationId, body.length), body];
}

export class FloodClient {
  private responses = 0;
  private responseBytes = 0;
  /** Bytes still to skip of the frame being received, or -1 while reading a size prefix. */
  private remaining = -1;
  private prefix = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
  }

  static open(host: string, port: number): Promise<FloodClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port }, () => resolve(new FloodClient(s)));
      s.once('error', reject);
    });
  }

  get received(): { responses: number; bytes: number } {
    return { responses: this.responses, bytes: this.responseBytes };
  }

  /** Writes the frames without waiting; the socket queues them (by reference). */
  send(frames: Buffer[][]): void {
    this.socket.cork();
    for (const f of frames) for (const part of f) this.socket.write(part);
    this.socket.uncork();
  }

  /** Resolves once `n` responses arrived in total; rejects if the broker closes first or after timeoutMs. */
  async waitFor(n: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.responses < n) {
      if (this.closed) throw new Error(`connection closed after ${this.responses} of ${n} responses`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`only ${this.responses} of ${n} responses in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1_000));
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining < 0) {
        const take = Math.min(4 - this.prefix.length, chunk.length - at);
        this.prefix = Buffer.concat([this.prefix, chunk.subarray(at, at + take)]);
        at += take;
        if (this.prefix.length < 4) return;
        this.remaining = this.prefix.readInt32BE(0);
        this.prefix = Buffer.alloc(0);
      }
      const skip = Math.min(this.remaining, chunk.length - at);
      at += skip;
      this.remaining -= skip;
      this.responseBytes += skip;
      if (this.remaining === 0) {
        this.remaining = -1;
        this.responses++;
        this.waiter?.();
      }
    }
  }
}
