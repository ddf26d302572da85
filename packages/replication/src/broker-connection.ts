// One client connection from this broker to another (a follower to its leader): Kafka requests
// encoded by @mq/protocol over node:net, responses matched by correlation id. Deliberately not
// @mq/client (a client-side package a broker must not depend on). Every request has a deadline on
// the injected Clock; a failed connection rejects everything in flight and is not reused.
import { connect, type Socket } from 'node:net';
import { FrameDecoder, decodeResponse, encodeRequest, type RequestInputFor, type ResponseBodyFor } from '@mq/protocol';
import type { Cancel, Clock } from '@mq/timerwheel';

interface Pending {
  readonly apiKey: number;
  readonly version: number;
  readonly resolve: (body: unknown) => void;
  readonly reject: (err: Error) => void;
  readonly cancel: Cancel;
}

export class BrokerConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrokerConnectionError';
  }
}

export class BrokerConnection {
  private readonly decoder = new FrameDecoder();
  private readonly pending = new Map<number, Pending>();
  private nextCorrelationId = 1;
  private failure: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly clock: Clock,
    private readonly clientId: string,
    private readonly requestTimeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of this.decoder.push(chunk)) this.onFrame(frame);
      } catch (err) {
        this.fail(new BrokerConnectionError('bad response frame', { cause: err }));
      }
    });
    socket.on('error', (err) => this.fail(new BrokerConnectionError(`connection to ${socket.remoteAddress}:${socket.remotePort} failed: ${err.message}`, { cause: err })));
    socket.on('close', () => this.fail(new BrokerConnectionError('connection closed')));
  }

  static open(host: string, port: number, opts: { clock: Clock; clientId: string; requestTimeoutMs: number }): Promise<BrokerConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      const cancel = opts.clock.schedule(opts.requestTimeoutMs, () => {
        socket.destroy();
        reject(new BrokerConnectionError(`connect to ${host}:${port} timed out after ${opts.requestTimeoutMs} ms`));
      });
      socket.once('error', (err) => {
        cancel();
        reject(new BrokerConnectionError(`connect to ${host}:${port} failed: ${err.message}`, { cause: err }));
      });
      socket.once('connect', () => {
        cancel();
        socket.removeAllListeners('error');
        resolve(new BrokerConnection(socket, opts.clock, opts.clientId, opts.requestTimeoutMs));
      });
    });
  }

  get usable(): boolean {
    return this.failure === undefined;
  }

  send<K extends number>(apiKey: K, version: number, body: RequestInputFor<K>): Promise<ResponseBodyFor<K>> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const correlationId = this.nextCorrelationId++;
    const bytes = encodeRequest(apiKey, version, { correlationId, clientId: this.clientId }, body);
    return new Promise<ResponseBodyFor<K>>((resolve, reject) => {
      const cancel = this.clock.schedule(this.requestTimeoutMs, () =>
        this.fail(new BrokerConnectionError(`request ${apiKey} v${version} got no response in ${this.requestTimeoutMs} ms`)),
      );
      this.pending.set(correlationId, { apiKey, version, resolve: resolve as (b: unknown) => void, reject, cancel });
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.fail(new BrokerConnectionError('connection closed by this broker'));
  }

  private onFrame(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0);
    const p = this.pending.get(correlationId);
    if (p === undefined) throw new Error(`response for unknown correlation id ${correlationId}`);
    this.pending.delete(correlationId);
    p.cancel();
    p.resolve(decodeResponse(p.apiKey, p.version, frame).body);
  }

  private fail(err: Error): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    this.socket.destroy();
    for (const p of this.pending.values()) {
      p.cancel();
      p.reject(err);
    }
    this.pending.clear();
  }
}
