// One client connection from this broker to another (a follower to its leader): Kafka requests
// encoded by @mq/protocol over node:net (node:tls on a TLS inter-broker listener, then SASL when it
// asks for it), responses matched by correlation id. Deliberately not @mq/client (a client-side
// package a broker must not depend on). Every request has a deadline on the injected Clock; a
// failed connection rejects everything in flight and is not reused.
import { isIP, connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { ApiKey, ErrorCode, FrameDecoder, decodeResponse, encodeRequest, type RequestInputFor, type ResponseBodyFor } from '@mq/protocol';
import type { Cancel, Clock } from '@mq/timerwheel';
import type { InterBrokerSaslExchange, InterBrokerSecurity } from './inter-broker-security';

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

/** The other broker refused this broker's SASL exchange (wrong inter-broker credentials, a mechanism it does not enable). */
export class BrokerAuthenticationError extends BrokerConnectionError {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'BrokerAuthenticationError';
  }
}

export interface BrokerConnectionOptions {
  readonly clock: Clock;
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  readonly security?: InterBrokerSecurity;
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

  /** Connects (TLS handshake included) and authenticates when `security.sasl` is set; rejects with BrokerAuthenticationError when refused. */
  static async open(host: string, port: number, opts: BrokerConnectionOptions): Promise<BrokerConnection> {
    const socket = await BrokerConnection.connect(host, port, opts);
    const conn = new BrokerConnection(socket, opts.clock, opts.clientId, opts.requestTimeoutMs);
    const sasl = opts.security?.sasl;
    if (sasl !== undefined) {
      await conn.authenticate(sasl()).catch((err: unknown) => {
        conn.close();
        throw err;
      });
    }
    return conn;
  }

  private static connect(host: string, port: number, opts: BrokerConnectionOptions): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const tls = opts.security?.tls;
      // SNI carries host names only (RFC 6066); an IP address is still checked against the certificate's IP SANs.
      const socket = tls === undefined ? connect({ host, port, noDelay: true }) : tlsConnect({ ...tls, host, port, ...(isIP(host) === 0 ? { servername: host } : {}) });
      const ready = tls === undefined ? 'connect' : 'secureConnect';
      const cancel = opts.clock.schedule(opts.requestTimeoutMs, () => {
        socket.destroy();
        reject(new BrokerConnectionError(`connect to ${host}:${port} timed out after ${opts.requestTimeoutMs} ms`));
      });
      socket.once('error', (err) => {
        cancel();
        reject(new BrokerConnectionError(`connect to ${host}:${port} failed: ${err.message}`, { cause: err }));
      });
      socket.once(ready, () => {
        cancel();
        socket.setNoDelay(true);
        socket.removeAllListeners('error');
        resolve(socket);
      });
    });
  }

  /** SaslHandshake v1, then SaslAuthenticate rounds until the exchange says it is over. */
  private async authenticate(exchange: InterBrokerSaslExchange): Promise<void> {
    const hs = await this.send(ApiKey.SaslHandshake, 1, { mechanism: exchange.mechanism });
    if (hs.errorCode !== ErrorCode.NONE) {
      throw new BrokerAuthenticationError(hs.errorCode, `SASL ${exchange.mechanism} refused by the broker (it enables ${hs.mechanisms.join(', ') || 'none'})`);
    }
    let token: Buffer | undefined = exchange.initial();
    while (token !== undefined) {
      const res = await this.send(ApiKey.SaslAuthenticate, 2, { authBytes: token });
      if (res.errorCode !== ErrorCode.NONE) throw new BrokerAuthenticationError(res.errorCode, `SASL ${exchange.mechanism} authentication failed: ${res.errorMessage ?? 'no message'}`);
      try {
        token = exchange.evaluate(Buffer.from(res.authBytes));
      } catch (err) {
        throw new BrokerAuthenticationError(ErrorCode.SASL_AUTHENTICATION_FAILED, `SASL ${exchange.mechanism}: ${(err as Error).message}`);
      }
    }
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
