// Benchmark payloads: a file of fixed-size lines for kcat -P, fixed-size buffers for Node clients,
// and latency payloads that carry their send time as text (readable by kcat, NATS and Redis alike).
import { createWriteStream } from 'node:fs';
import { nowMs } from './stats';

/** One printable record of exactly `size` bytes (no newline), varied by index so nothing is constant. */
export function recordText(i: number, size: number): string {
  const head = `${i.toString(36)}|`;
  let body = '';
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let x = (i * 2654435761) >>> 0;
  while (head.length + body.length < size) {
    x = (x * 1103515245 + 12345) >>> 0;
    body += alphabet[x % alphabet.length];
  }
  return (head + body).slice(0, size);
}

export function recordBuffers(count: number, size: number): Buffer[] {
  // A pool of distinct records reused cyclically: building 1M buffers would measure the generator.
  const pool = Array.from({ length: Math.min(count, 4096) }, (_, i) => Buffer.from(recordText(i, size)));
  return Array.from({ length: count }, (_, i) => pool[i % pool.length]!);
}

/** Writes `count` lines of `size` bytes each for `kcat -P -l`. */
export async function writeRecordFile(path: string, count: number, size: number): Promise<void> {
  const out = createWriteStream(path);
  const pool = Array.from({ length: 4096 }, (_, i) => `${recordText(i, size)}\n`);
  for (let i = 0; i < count; i += 4096) {
    const chunk = pool.slice(0, Math.min(4096, count - i)).join('');
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** "<send time ms with µs> " padded with 'x' to `size` bytes. */
export function latencyPayload(size: number): string {
  const ts = nowMs().toFixed(3);
  return ts + ' ' + 'x'.repeat(Math.max(0, size - ts.length - 1));
}

/** Latency in ms of a payload made by latencyPayload, measured now. */
export function latencyOf(payload: string | Buffer): number {
  const text = typeof payload === 'string' ? payload : payload.toString('latin1', 0, 24);
  const sp = text.indexOf(' ');
  return nowMs() - Number(sp < 0 ? text : text.slice(0, sp));
}

/**
 * Calls send(n) so that `rate` messages per second go out for durationMs, in small bursts on a ~1 ms
 * timer (Node's timer resolution); send must not block the loop (it is not awaited).
 */
export async function paced(rate: number, durationMs: number, send: (n: number) => void): Promise<number> {
  const t0 = performance.now();
  let sent = 0;
  for (;;) {
    const elapsed = performance.now() - t0;
    if (elapsed >= durationMs) break;
    const due = Math.floor((elapsed * rate) / 1000) - sent;
    if (due > 0) {
      send(due);
      sent += due;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  return sent;
}
