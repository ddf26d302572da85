// The byte stream under a Connection: bytes in, bytes out, flow control, close. TCP implements it
// today (tcp-transport.ts); TLS and WebSocket listeners implement it too, and Connection, framing
// and dispatch stay as they are.

export interface TransportEvents {
  /** A chunk of the request stream: arbitrary boundaries, frames are split by the Connection. */
  data(chunk: Buffer): void;
  /** The write buffer emptied after write() returned false. */
  drain(): void;
  /** The transport is closed (either side, or an error): called exactly once. */
  close(): void;
  error(err: Error): void;
}

export interface Transport {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** True once closed or destroyed: nothing more is read or written. */
  readonly destroyed: boolean;
  /** Starts delivering events; until then nothing is read. */
  start(events: TransportEvents): void;
  /** Queues bytes; false when the write buffer is full (wait for drain). `flushed` runs once handed to the kernel. */
  write(chunk: Buffer, flushed?: () => void): boolean;
  /** Batches the writes until uncork() into as few system calls as possible. */
  cork(): void;
  uncork(): void;
  /** Stops / restarts delivering data (backpressure). */
  pause(): void;
  resume(): void;
  /** Stops delivering data for good (graceful shutdown): later chunks are dropped. */
  stopReading(): void;
  /** Flushes what is queued, then closes. */
  end(): void;
  /** Closes now, dropping what is queued. */
  destroy(): void;
}
