// A raw Kafka client for the groups tests: one connection, requests encoded with @mq/protocol's
// schemas and answered in order (the broker keeps per-connection order).
import { connect, type Socket } from 'node:net';
import { decodeResponse, encodeRequest } from '@mq/protocol';

/** One connection, requests answered in order (the broker keeps per-connection order). */
export class WireClient {
  private buffered = Buffer.alloc(0);
  private readonly pending: ((frame: Buffer) => void)[] = [];
  private correlationId = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (b: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, b]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        const frame = this.buffered.subarray(4, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        this.pending.shift()?.(frame);
      }
    });
  }

  static open(port: number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => resolve(new WireClient(s)));
      s.once('error', reject);
    });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(apiKey: number, version: number, body: Record<string, unknown>): Promise<any> {
    const frame = encodeRequest(apiKey, version, { correlationId: ++this.correlationId, clientId: 'bad-input' }, body as never);
    return new Promise((resolve) => {
      this.pending.push((f) => resolve(decodeResponse(apiKey, version, f).body));
      this.socket.write(frame);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
