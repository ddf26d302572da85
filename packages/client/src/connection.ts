// One TCP connection to one broker: frames requests with correlation ids, pipelines any number of
// in-flight requests, matches responses (Kafka answers in order per connection), times them out,
// negotiates each API's version from the broker's ApiVersions answer, and (with `ssl` / `sasl`) runs
// over TLS and authenticates before any other request, re-authenticating within the session
// lifetime the broker grants (KIP-368).
import { type Socket, isIP, connect as netConnect } from 'node:net';
import { type ConnectionOptions as TlsConnectionOptions, connect as tlsConnect } from 'node:tls';
import { ApiKey, FrameDecoder, apiKeyName, KafkaError, type RequestInputFor, type ResponseBodyFor, decodeResponse, encodeRequest, ErrorCode } from '@mq/protocol';
import { ConnectionError, ListenerClosedError, RequestTimeoutError, SslHandshakeError } from './errors';
import { clientMaxVersion, clientMinVersion } from './api-versions';
import { authenticate, reauthenticationDelayMs } from './security/sasl-authentication';
import type { SaslOptions } from './security/sasl-options';

/** TLS towards the broker (SSL / SASL_SSL listeners): node:tls options; `true` trusts the system CAs. */
export type SslOptions = Pick<TlsConnectionOptions, 'ca' | 'cert' | 'key' | 'passphrase' | 'pfx' | 'servername' | 'rejectUnauthorized' | 'checkServerIdentity' | 'minVersion'>;

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId: string;
  /** Default 30 s: the deadline for one response (Fetch adds its maxWaitMs). */
  requestTimeoutMs?: number;
  /** Default 10 s. */
  connectTimeoutMs?: number;
  /** TLS: `true` (system CAs) or node:tls options (ca / cert / key for a private CA and mTLS). */
  ssl?: boolean | SslOptions;
  /** SASL: SaslHandshake + SaslAuthenticate after ApiVersions, before anything else. */
  sasl?: SaslOptions;
}

export interface RequestOptions {
  /** Force a version instead of negotiating one. */
  version?: number;
  /** Produce with acks=0: the broker sends nothing back; resolves once written. */
  expectResponse?: boolean;
  /** Extra time on top of requestTimeoutMs (a Fetch's maxWaitMs). */
  extraTimeoutMs?: number;
}

interface Pending {
  readonly correlationId: number;
  readonly apiKey: number;
  readonly version: number;
  resolve(body: unknown): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
}

export interface VersionRange {
  readonly minVersion: number;
  readonly maxVersion: number;
}

export class Connection {
  private readonly decoder = new FrameDecoder();
  /** In send order; responses arrive in the same order. */
  private readonly inFlight: Pending[] = [];
  private nextCorrelationId = 1;
  private closedWith: Error | undefined;
  private brokerVersions = new Map<number, VersionRange>();
  private readonly requestTimeoutMs: number;
  private reauthTimer: NodeJS.Timeout | undefined;
  /** Responses decoded so far: a close before the second one, unauthenticated, names the likely cause. */
  private answered = 0;
  /** Whether this connection authenticates with SASL (set by connect()). */
  private usesSasl = false;

  private constructor(
    private readonly socket: Socket,
    readonly host: string,
    readonly port: number,
    private readonly clientId: string,
    requestTimeoutMs: number,
  ) {
    this.requestTimeoutMs = requestTimeoutMs;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(new ConnectionError(`connection to ${host}:${port} failed: ${err.message}`, { cause: err })));
    socket.on('close', () => this.fail(this.closedByBroker()));
  }

  /** Opens the socket and runs ApiVersions so later requests use negotiated versions. */
  static async connect(opts: ConnectionOptions): Promise<Connection> {
    const socket = await openSocket(opts.host, opts.port, opts.connectTimeoutMs ?? 10_000, opts.ssl);
    const conn = new Connection(socket, opts.host, opts.port, opts.clientId, opts.requestTimeoutMs ?? 30_000);
    conn.usesSasl = opts.sasl !== undefined;
    try {
      await conn.negotiateVersions();
      if (opts.sasl !== undefined) await conn.authenticate(opts.sasl);
    } catch (err) {
      conn.close();
      throw err;
    }
    return conn;
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /** The broker's advertised range for an API, if it has one. */
  brokerRange(apiKey: number): VersionRange | undefined {
    return this.brokerVersions.get(apiKey);
  }

  /** min(our max, broker max); UNSUPPORTED_VERSION when the ranges do not overlap. */
  versionFor(apiKey: number): number {
    const broker = this.brokerVersions.get(apiKey);
    const ourMax = clientMaxVersion(apiKey);
    const ourMin = clientMinVersion(apiKey);
    const api = `${apiKeyName(apiKey) ?? 'API'} (key ${apiKey})`;
    if (!broker) throw new KafkaError(ErrorCode.UNSUPPORTED_VERSION, `broker ${this.host}:${this.port} does not support ${api}`);
    const v = Math.min(ourMax, broker.maxVersion);
    if (v < Math.max(ourMin, broker.minVersion)) {
      throw new KafkaError(ErrorCode.UNSUPPORTED_VERSION, `no common version for ${api}: client ${ourMin}-${ourMax}, broker ${broker.minVersion}-${broker.maxVersion}`);
    }
    return v;
  }

  /** Sends one request; the body and response types follow the API key's schema. */
  request<K extends number>(apiKey: K, body: RequestInputFor<K>, opts: RequestOptions = {}): Promise<ResponseBodyFor<K>> {
    type T = ResponseBodyFor<K>;
    if (this.closedWith) return Promise.reject(this.closedWith);
    const version = opts.version ?? this.versionFor(apiKey);
    const correlationId = this.nextCorrelationId;
    this.nextCorrelationId = (this.nextCorrelationId + 1) & 0x7fffffff;
    const frame = encodeRequest(apiKey, version, { correlationId, clientId: this.clientId }, body);
    if (opts.expectResponse === false) {
      return new Promise<T>((resolve, reject) => {
        this.socket.write(frame, (err) => (err ? reject(new ConnectionError(err.message, { cause: err })) : resolve(undefined as T)));
      });
    }
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = this.requestTimeoutMs + (opts.extraTimeoutMs ?? 0);
      const pending: Pending = {
        correlationId,
        apiKey,
        version,
        resolve: resolve as (body: unknown) => void,
        reject,
        timer: setTimeout(() => {
          // The stream position is now unknown to the caller: drop the connection like Kafka clients do.
          this.fail(new RequestTimeoutError(`request (api ${apiKey} v${version}) to ${this.host}:${this.port} timed out after ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.inFlight.push(pending);
      this.socket.write(frame);
    });
  }

  close(): void {
    this.fail(new ConnectionError(`connection to ${this.host}:${this.port} closed by client`));
  }

  /**
   * Authenticates, then (when the broker grants a session lifetime) re-authenticates on this
   * connection before it ends, asking a token provider again each time. Requests keep flowing
   * meanwhile: the broker serves them under the old session until the new one is set. A failed
   * re-authentication fails the connection with its error (the broker closes it too).
   */
  private async authenticate(sasl: SaslOptions): Promise<void> {
    const lifetimeMs = await authenticate(this, sasl);
    if (lifetimeMs <= 0 || this.closedWith) return;
    this.reauthTimer = setTimeout(() => {
      this.reauthTimer = undefined;
      this.authenticate(sasl).catch((err: unknown) => this.fail(err instanceof Error ? err : new ConnectionError(String(err))));
    }, reauthenticationDelayMs(lifetimeMs));
    // An idle client must still exit: a re-authentication alone keeps no process alive.
    this.reauthTimer.unref();
  }

  private async negotiateVersions(): Promise<void> {
    // ApiVersions v3 first; an older broker answers UNSUPPORTED_VERSION with its list in v0 framing.
    let res = await this.apiVersions(3).catch((err: unknown) => {
      if (err instanceof KafkaError && err.errorCode === ErrorCode.UNSUPPORTED_VERSION) return undefined;
      throw err;
    });
    if (!res) res = await this.apiVersions(0);
    this.brokerVersions = new Map(res.apiKeys.map((k) => [k.apiKey, { minVersion: k.minVersion, maxVersion: k.maxVersion }]));
  }

  private async apiVersions(version: number): Promise<ResponseBodyFor<typeof ApiKey.ApiVersions>> {
    const res = await this.request(
      ApiKey.ApiVersions,
      { clientSoftwareName: 'mq-client', clientSoftwareVersion: '0.1.0' },
      { version },
    );
    if (res.errorCode !== ErrorCode.NONE) {
      if (res.errorCode === ErrorCode.UNSUPPORTED_VERSION && version > 0) throw new KafkaError(res.errorCode);
      throw new KafkaError(res.errorCode, `ApiVersions failed on ${this.host}:${this.port}`);
    }
    return res;
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.decoder.push(chunk);
    } catch (err) {
      this.fail(new ConnectionError(`bad frame from ${this.host}:${this.port}`, { cause: err }));
      return;
    }
    for (const frame of frames) {
      const correlationId = frame.readInt32BE(0);
      const pending = this.inFlight.shift();
      if (!pending || pending.correlationId !== correlationId) {
        this.fail(new ConnectionError(`unexpected correlation id ${correlationId} from ${this.host}:${this.port}`));
        return;
      }
      clearTimeout(pending.timer);
      this.answered++;
      try {
        pending.resolve(decodeResponse(pending.apiKey, pending.version, frame).body);
      } catch (err) {
        pending.reject(err);
      }
    }
  }

  /**
   * The error for a close the broker made. Right after ApiVersions, without SASL: what a SASL
   * listener does at the first other request of an unauthenticated client.
   */
  private closedByBroker(): ConnectionError {
    const where = `connection to ${this.host}:${this.port}`;
    const first = this.inFlight[0];
    if (first === undefined || this.answered !== 1 || this.usesSasl) return new ConnectionError(`${where} closed`);
    const api = apiKeyName(first.apiKey) ?? `API key ${first.apiKey}`;
    return new ListenerClosedError(`${where} closed by the broker at its first request, ${api}: a listener that requires SASL does this to an unauthenticated client (the sasl option)`);
  }

  private fail(err: Error): void {
    if (!this.closedWith) {
      this.closedWith = err;
      this.socket.destroy();
      clearTimeout(this.reauthTimer);
    }
    for (const p of this.inFlight.splice(0)) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }
}


function openSocket(host: string, port: number, timeoutMs: number, ssl: boolean | SslOptions | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const tls = ssl === true ? {} : ssl === false ? undefined : ssl;
    // SNI carries host names only (RFC 6066); an IP address is still checked against the certificate's IP SANs.
    const socket = tls === undefined ? netConnect({ host, port }) : tlsConnect({ ...(isIP(host) === 0 ? { servername: host } : {}), ...tls, host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectionError(`connect to ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once(tls === undefined ? 'connect' : 'secureConnect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // Socket errors are errnos (ECONNREFUSED, ECONNRESET); anything else under TLS is the handshake's.
      if (tls !== undefined && !/^E[A-Z]+$/.test(err.code ?? '')) reject(new SslHandshakeError(`TLS handshake with ${host}:${port} failed: ${err.message}`, { cause: err }));
      else reject(new ConnectionError(`cannot connect to ${host}:${port}: ${err.code ?? err.message}`, { cause: err }));
    });
  });
}
