// FrameDecoder: frames come out whole however the stream is chunked; bad length prefixes fail typed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, FrameTooLargeError, ProtocolDecodeError } from '../src/index';

function frame(payload: Buffer): Buffer {
  const b = Buffer.alloc(4 + payload.length);
  b.writeInt32BE(payload.length, 0);
  payload.copy(b, 4);
  return b;
}

describe('FrameDecoder', () => {
  it('emits several frames from one chunk as zero-copy views', () => {
    const stream = Buffer.concat([frame(Buffer.from('one')), frame(Buffer.from('three')), frame(Buffer.alloc(0))]);
    const frames = new FrameDecoder().push(stream);
    expect(frames.map((f) => f.toString())).toEqual(['one', 'three', '']);
    expect(frames[0]!.buffer).toBe(stream.buffer);
  });

  it('reassembles frames fed one byte at a time', () => {
    const d = new FrameDecoder();
    const stream = Buffer.concat([frame(Buffer.from('hello')), frame(Buffer.from('world!'))]);
    const out: string[] = [];
    for (let i = 0; i < stream.length; i++) for (const f of d.push(stream.subarray(i, i + 1))) out.push(f.toString());
    expect(out).toEqual(['hello', 'world!']);
    expect(d.bufferedBytes).toBe(0);
  });

  it('any chunking of any frame sequence yields the same frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }),
        (payloads, cuts) => {
          const stream = Buffer.concat(payloads.map((p) => frame(Buffer.from(p))));
          const d = new FrameDecoder();
          const out: Buffer[] = [];
          let off = 0;
          let i = 0;
          while (off < stream.length) {
            const n = cuts[i++ % cuts.length]!;
            out.push(...d.push(stream.subarray(off, off + n)));
            off += n;
          }
          expect(out.map((b) => b.toString('hex'))).toEqual(payloads.map((p) => Buffer.from(p).toString('hex')));
        },
      ),
    );
  });

  it('assembles a 16 MiB frame from 64 KiB chunks', () => {
    const payload = Buffer.alloc(16 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4096) payload[i] = i & 0xff;
    const stream = frame(payload);
    const d = new FrameDecoder();
    const out: Buffer[] = [];
    for (let off = 0; off < stream.length; off += 65536) out.push(...d.push(stream.subarray(off, off + 65536)));
    expect(out).toHaveLength(1);
    expect(out[0]!.equals(payload)).toBe(true);
  });

  it('rejects a length prefix above maxFrameBytes, and stays failed', () => {
    const d = new FrameDecoder({ maxFrameBytes: 1000 });
    const big = Buffer.alloc(4);
    big.writeInt32BE(1001, 0);
    expect(() => d.push(big)).toThrow(FrameTooLargeError);
    expect(() => d.push(frame(Buffer.from('ok')))).toThrow(FrameTooLargeError);
  });

  it('rejects a 2 GB and a negative length prefix with a ProtocolDecodeError subclass', () => {
    expect(() => new FrameDecoder().push(Buffer.from('7fffffff', 'hex'))).toThrow(FrameTooLargeError);
    const err = (() => {
      try {
        new FrameDecoder().push(Buffer.from('ffffffff00', 'hex'));
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ProtocolDecodeError);
    expect((err as FrameTooLargeError).size).toBe(-1);
  });

  it('defaults maxFrameBytes to 100 MiB', () => {
    expect(new FrameDecoder().maxFrameBytes).toBe(100 * 1024 * 1024);
  });
});
