// A minimal Kafka client for server tests: raw TCP, requests encoded by @mq/protocol, responses
// matched by correlation id and decoded with the API/version they were sent with.
import { connect, type Socket } from 'node:net';
import { FrameDecoder, decodeResponse, encodeRequest } from '@mq/protocol';

interface Pending {
  apiKey: number;
  version: number;
  resolve: (body: Record<string, unknown>) => void;
  reject: (err: Error) => void;
}

export class RawClient {
  readonly socket: Socket;
  private readonly decoder = new FrameDecoder();
  private readonly pending = new Map<number, Pending>();
  /** Correlation ids in the order their responses arrived. */
  readonly arrivals: number[] = [];
  private nextCorrelationId = 1;
  closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) {
        const correlationId = frame.readInt32BE(0);
        this.arrivals.push(correlationId);
        const p = this.pending.get(correlationId);
        if (p === undefined) continue;
        this.pending.delete(correlationId);
        try {
          p.resolve(decodeResponse(p.apiKey, p.version, frame).body as Record<string, unknown>);
        } catch (err) {
          p.reject(err as Error);
        }
      }
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        for (const p of this.pending.values()) p.reject(new Error('connection closed'));
        this.pending.clear();
        resolve();
      });
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  /** Encodes a request without sending it; returns its bytes and the response promise. */
  prepare(apiKey: number, version: number, body: object): { bytes: Buffer; response: Promise<Record<string, unknown>>; correlationId: number } {
    const correlationId = this.nextCorrelationId++;
    const bytes = encodeRequest(apiKey, version, { correlationId, clientId: 'raw-client' }, body as never);
    const response = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.pending.set(correlationId, { apiKey, version, resolve, reject });
    });
    return { bytes, response, correlationId };
  }

  send(apiKey: number, version: number, body: object): Promise<Record<string, unknown>> {
    const r = this.prepare(apiKey, version, body);
    this.socket.write(r.bytes);
    return r.response;
  }

  /** Sends a request that gets no response (acks=0); returns its correlation id. */
  sendNoResponse(apiKey: number, version: number, body: object): number {
    const correlationId = this.nextCorrelationId++;
    this.socket.write(encodeRequest(apiKey, version, { correlationId, clientId: 'raw-client' }, body as never));
    return correlationId;
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}
