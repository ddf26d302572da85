// The Transport of a plain TCP connection (listener PLAINTEXT): a net.Socket with Nagle off.
import type { Socket } from 'node:net';
import type { Transport, TransportEvents } from './transport';

export class TcpTransport implements Transport {
  readonly remoteAddress: string;
  readonly remotePort: number;
  private readonly socket: Socket;

  constructor(socket: Socket) {
    this.socket = socket;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    socket.setNoDelay(true);
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }

  start(events: TransportEvents): void {
    const s = this.socket;
    s.on('data', (chunk: Buffer) => events.data(chunk));
    s.on('drain', () => events.drain());
    s.on('error', (err) => events.error(err));
    s.on('close', () => events.close());
  }

  write(chunk: Buffer, flushed?: () => void): boolean {
    return flushed === undefined ? this.socket.write(chunk) : this.socket.write(chunk, flushed);
  }

  cork(): void {
    this.socket.cork();
  }

  uncork(): void {
    this.socket.uncork();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  stopReading(): void {
    this.socket.pause();
    this.socket.removeAllListeners('data');
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
