// One client connection over a Transport (TCP today): splits the byte stream into frames, dispatches
// every request at once (pipelining), and writes responses strictly in request order from a FIFO of
// slots. Oversized or undecodable requests close this connection only; reads pause while too many
// requests are in flight here or the broker's queued.max.request.bytes budget is spent.
import { FrameDecoder, FrameTooLargeError } from '@mq/protocol';
import type { Logger } from 'pino';
import { type Clock, IdleTimer } from '@mq/timerwheel';
import { FatalRequestError, type Dispatcher } from './dispatcher';
import type { ConnectionInfo } from './handler';
import type { PoolReader, RequestMemoryPool } from './request-memory-pool';
import { RequestSlot } from './request-slot';
import type { Session } from './session';
import type { Transport } from './transport';

/** Requests in flight on one connection before we stop reading from it. */
const MAX_IN_FLIGHT = 128;

/** Bytes of a frame's size prefix: charged with the frame, though the decoder strips it. */
const SIZE_PREFIX_BYTES = 4;

export interface ConnectionLimits {
  /** socket.request.max.bytes */
  readonly maxRequestBytes: number;
  /** sasl.server.max.receive.size: the frame limit until a SASL listener's session authenticated. */
  readonly maxPreAuthenticationRequestBytes?: number;
  /** connections.max.idle.ms */
  readonly idleMs: number;
  /** queued.max.request.bytes, shared by every connection of the broker. */
  readonly pool: RequestMemoryPool;
  /** The broker's clock: the idle timer and the linger of endGracefully run on it. */
  readonly clock: Clock;
}

export class Connection implements PoolReader {
  readonly info: ConnectionInfo;
  readonly session: Session;
  private readonly transport: Transport;
  private readonly dispatcher: Dispatcher;
  private readonly logger: Logger;
  private readonly decoder: FrameDecoder;
  private readonly maxRequestBytes: number;
  private readonly queue: RequestSlot[] = [];
  /** Written slots whose bytes the socket has not flushed yet: they still hold pool memory. */
  private readonly unflushed = new Set<RequestSlot>();
  private readonly pool: RequestMemoryPool;
  private received = 0;
  private head = 0;
  private closed = false;
  private pausedForInFlight = false;
  private pausedForDrain = false;
  private pausedForMemory = false;
  /** KIP-219 channel muting: reads stay paused until this monotonic ms (0: not throttled). */
  private throttledUntil = 0;
  private cancelThrottle: (() => void) | undefined;
  private writeScheduled = false;
  private idleWaiters: (() => void)[] = [];
  private closeWaiters: (() => void)[] = [];
  private readonly onClosed: (c: Connection) => void;
  private readonly clock: Clock;
  /** connections.max.idle.ms: touched by every chunk read and every response handed to the socket. */
  private readonly idle: IdleTimer | null;

  constructor(
    transport: Transport,
    session: Session,
    dispatcher: Dispatcher,
    logger: Logger,
    limits: ConnectionLimits,
    onClosed: (c: Connection) => void,
  ) {
    const { idleMs } = limits;
    this.clock = limits.clock;
    this.transport = transport;
    this.session = session;
    this.info = { id: session.connectionId, remoteAddress: session.remoteAddress, remotePort: session.remotePort };
    this.dispatcher = dispatcher;
    this.logger = logger;
    this.onClosed = onClosed;
    this.pool = limits.pool;
    this.pool.add(this);
    this.maxRequestBytes = limits.maxRequestBytes;
    // Before SASL authentication only small frames are read: an unknown client cannot make us buffer 100 MiB.
    const preAuth = Math.min(limits.maxRequestBytes, limits.maxPreAuthenticationRequestBytes ?? limits.maxRequestBytes);
    this.decoder = new FrameDecoder({ maxFrameBytes: session.authenticated ? limits.maxRequestBytes : preAuth });
    // A parked long poll is not idleness: a connection with requests in flight is left open, and
    // the touch() of its next response starts the count again.
    this.idle =
      idleMs > 0
        ? new IdleTimer(this.clock, idleMs, () => {
            if (this.inFlight > 0 || this.closed) return;
            this.logger.info({ idleMs }, 'closing idle connection');
            transport.destroy();
          })
        : null;
    transport.start({
      data: (chunk) => this.onData(chunk),
      drain: () => {
        this.pausedForDrain = false;
        this.maybeResume();
      },
      error: (err) => this.logger.debug({ err }, 'connection error'),
      close: () => this.finish(),
    });
  }

  /** Bytes received for a frame that is not complete yet (PoolReader). */
  get partialBytes(): number {
    return this.received;
  }

  /** The pool has memory again (PoolReader). */
  resumeReading(): void {
    this.pausedForMemory = false;
    this.maybeResume();
  }

  /** Requests received but not yet answered. */
  get inFlight(): number {
    return this.queue.length - this.head;
  }

  /** Resolves once every received request has been answered. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops reading new requests (graceful shutdown). */
  stopReading(): void {
    this.transport.stopReading();
  }

  /** Ends the socket after buffered responses are written; destroys it if it lingers past timeoutMs. */
  endGracefully(timeoutMs: number): Promise<void> {
    if (this.closed || this.transport.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      // Resolve on the timeout too: a 'close' that already fired (a client that hung up at once)
      // never fires again, and awaiting it left shutdown hanging until Node exited mid-stop.
      const cancel = this.clock.schedule(timeoutMs, () => {
        this.transport.destroy();
        resolve();
      });
      this.closeWaiters.push(() => {
        cancel();
        resolve();
      });
      this.transport.end();
    });
  }

  destroy(): void {
    this.transport.destroy();
  }

  private onData(chunk: Buffer): void {
    // Charged on arrival, so frames still arriving count too; each whole frame then moves to its slot.
    this.idle?.touch();
    this.pool.chargePartial(chunk.length);
    this.received += chunk.length;
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      if (err instanceof FrameTooLargeError) {
        this.logger.warn({ err: err.message }, 'request larger than socket.request.max.bytes: closing connection');
      } else {
        this.logger.warn({ err }, 'bad frame: closing connection');
      }
      this.transport.destroy();
      return;
    }
    for (const frame of frames) {
      if (this.closed) return;
      this.accept(frame);
    }
    if (this.session.authenticated && this.decoder.maxFrameBytes < this.maxRequestBytes) this.decoder.maxFrameBytes = this.maxRequestBytes;
    if (this.inFlight >= MAX_IN_FLIGHT && !this.pausedForInFlight) {
      this.pausedForInFlight = true;
      this.transport.pause();
    }
    if (!this.pausedForMemory && !this.pool.mayRead(this)) {
      this.pausedForMemory = true;
      this.transport.pause();
      this.pool.wait(this);
    }
  }

  private accept(frame: Buffer): void {
    const frameBytes = frame.length + SIZE_PREFIX_BYTES;
    this.received -= frameBytes;
    this.pool.settle(frameBytes);
    const slot = new RequestSlot(this.pool, frameBytes);
    this.queue.push(slot);
    let pending: Promise<Buffer[] | null>;
    const close = (reason: string): void => {
      this.logger.info({ reason }, 'closing connection after response');
      slot.closeAfter = true;
    };
    const throttle = (ms: number): void => {
      if (ms > slot.throttleMs) slot.throttleMs = ms;
    };
    try {
      pending = this.session.saslRawTokens ? this.rawSaslToken(frame, close) : this.dispatcher.dispatch(frame, this.info, this.logger, close, slot, this.session, throttle);
    } catch (err) {
      this.fatal(err);
      return;
    }
    pending.then(
      (chunks) => {
        slot.chunks = chunks;
        slot.done = true;
        this.scheduleWrite();
      },
      (err: unknown) => this.fatal(err),
    );
  }

  /** SaslHandshake v0: the frame is a bare SASL token, answered with a bare token. */
  private async rawSaslToken(frame: Buffer, close: (reason: string) => void): Promise<Buffer[] | null> {
    const r = await this.dispatcher.rawSaslToken(Buffer.from(frame), this.session, this.logger);
    if (r.close) close('SASL authentication (raw tokens after SaslHandshake v0) failed');
    return r.chunks;
  }

  /**
   * Responses that finish in the same tick (one group commit acknowledges every pipelined Produce
   * at once) go out in one corked writev: process.nextTick runs after the current microtask queue
   * drains, so every response settled by that drain is already in its slot.
   */
  private scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    process.nextTick(this.flushWrites);
  }

  private readonly flushWrites = (): void => {
    this.writeScheduled = false;
    this.writeReady();
  };

  private fatal(err: unknown): void {
    if (err instanceof FatalRequestError) {
      this.logger.warn({ reason: err.message }, 'closing connection');
    } else {
      this.logger.error({ err }, 'request failed: closing connection');
    }
    this.transport.destroy();
  }

  /** Writes every finished response at the head of the queue, in order, corked into one writev. */
  private writeReady(): void {
    if (this.closed) return;
    const first = this.queue[this.head];
    if (first === undefined || !first.done) return;
    this.transport.cork();
    let ok = true;
    while (this.head < this.queue.length) {
      const slot = this.queue[this.head]!;
      if (!slot.done) break;
      const chunks = slot.chunks;
      if (chunks === null || chunks.length === 0) {
        slot.releaseAll();
      } else {
        // The slot's memory is free once the socket has handed its last chunk to the kernel.
        const last = chunks.length - 1;
        for (let i = 0; i < last; i++) ok = this.transport.write(chunks[i]!) && ok;
        this.unflushed.add(slot);
        ok =
          this.transport.write(chunks[last]!, () => {
            this.idle?.touch();
            this.unflushed.delete(slot);
            slot.releaseAll();
          }) && ok;
      }
      this.head++;
      if (slot.throttleMs > 0) this.mute(slot.throttleMs);
      if (slot.closeAfter) {
        this.transport.uncork();
        this.stopReading();
        this.transport.end();
        return;
      }
    }
    this.transport.uncork();
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    } else if (this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (!ok) this.pausedForDrain = true;
    if (this.inFlight < MAX_IN_FLIGHT / 2) this.pausedForInFlight = false;
    if (this.pausedForDrain) this.transport.pause();
    else this.maybeResume();
  }

  /** Stops reading for `ms` from now (extends a shorter mute in progress): the client's requests wait in its socket. */
  private mute(ms: number): void {
    const until = this.clock.monotonic() + ms;
    if (until <= this.throttledUntil) return;
    this.throttledUntil = until;
    this.cancelThrottle?.();
    this.transport.pause();
    this.cancelThrottle = this.clock.schedule(ms, () => {
      this.cancelThrottle = undefined;
      this.throttledUntil = 0;
      this.maybeResume();
    });
  }

  private maybeResume(): void {
    if (!this.pausedForDrain && !this.pausedForInFlight && !this.pausedForMemory && this.throttledUntil === 0 && !this.closed) this.transport.resume();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.idle?.stop();
    this.cancelThrottle?.();
    // Everything this connection held goes back: unanswered requests, unflushed responses, a half frame.
    this.pool.forget(this);
    for (let i = this.head; i < this.queue.length; i++) this.queue[i]!.releaseAll();
    for (const s of this.unflushed) s.releaseAll();
    this.unflushed.clear();
    this.pool.release(this.received, true);
    this.received = 0;
    const waiters = [...this.idleWaiters, ...this.closeWaiters];
    this.idleWaiters = [];
    this.closeWaiters = [];
    for (const w of waiters) w();
    this.onClosed(this);
  }
}
