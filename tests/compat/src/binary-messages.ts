// Byte-exactness fixtures: messages with binary keys, values and headers (every byte value, empty
// buffers, null keys, a null value, a large value), and a JSON-safe form for child-process clients.

export interface BinaryMessage {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Ordered; Kafka headers are a list (keys may repeat), values are bytes. */
  readonly headers: readonly (readonly [string, Buffer])[];
}

/** JSON form: bytes as base64, null stays null. */
export interface WireMessage {
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: [string, string][];
}

function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

function randomBytes(rand: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

/**
 * `count` messages (>= 8) covering: null key, empty key, a key holding all 256 byte values, binary
 * values of varied size including empty and ~256 KiB, one null value (tombstone), no headers, several
 * headers with binary and empty values. With `uniqueHeaderKeys` header keys never repeat in a message
 * (for clients that expose headers as a map).
 */
export function makeBinaryMessages(count: number, seed = 42, opts: { nullValue?: boolean } = {}): BinaryMessage[] {
  const rand = prng(seed);
  const all256 = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const out: BinaryMessage[] = [];
  for (let i = 0; i < count; i++) {
    const key = i % 7 === 3 ? null : i === 1 ? Buffer.alloc(0) : i === 2 ? all256 : Buffer.concat([Buffer.from(`key-${i}-`), randomBytes(rand, 8)]);
    const valueSize = i === 4 ? 0 : i === 5 ? 256 * 1024 : Math.floor(rand() * 3000);
    const value = i === 6 && opts.nullValue !== false ? null : randomBytes(rand, valueSize);
    const headers: [string, Buffer][] =
      i % 4 === 0
        ? []
        : [
            ['trace-id', Buffer.from(`trace-${i}`)],
            ['bytes', Buffer.from([0x00, 0xff, i & 0xff, 0x80, 0x7f])],
            ['empty', Buffer.alloc(0)],
          ];
    out.push({ key, value, headers });
  }
  return out;
}

export function toWire(m: BinaryMessage): WireMessage {
  return {
    key: m.key === null ? null : m.key.toString('base64'),
    value: m.value === null ? null : m.value.toString('base64'),
    headers: m.headers.map(([k, v]) => [k, v.toString('base64')]),
  };
}

/** A readable one-line description of a difference, or undefined when byte-identical. */
export function diffMessage(expected: BinaryMessage, actual: WireMessage): string | undefined {
  const want = toWire(expected);
  if (want.key !== actual.key) return `key differs: want ${want.key?.slice(0, 40)} got ${actual.key?.slice(0, 40)}`;
  if (want.value !== actual.value) return `value differs (want ${expected.value?.length ?? 'null'} bytes, got ${actual.value === null ? 'null' : Buffer.from(actual.value, 'base64').length} bytes)`;
  if (JSON.stringify(want.headers) !== JSON.stringify(actual.headers)) return `headers differ: want ${JSON.stringify(want.headers)} got ${JSON.stringify(actual.headers)}`;
  return undefined;
}
