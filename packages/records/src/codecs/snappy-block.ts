// Raw snappy (the block format of google/snappy's format_description.txt) in plain JS: a varint
// uncompressed length, then literals and back-references. Kafka wraps these blocks in xerial
// framing (compression.ts); librdkafka and Sarama also send bare blocks. The compressor is the
// reference's greedy one-hash-table scheme over 64 KiB fragments, so offsets fit two bytes.
import { CorruptMessageError } from '@mq/errors';
import { load32 } from './load32';

const FRAGMENT = 64 * 1024;
const HASH_BITS = 14;
/** Matches shorter than this cost more than the literal they replace. */
const MIN_MATCH = 4;
/** The reference stops looking for matches this close to a fragment's end. */
const INPUT_MARGIN = 15;

function hash(word: number): number {
  return Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS);
}

/** Upper bound of a compressed block (the reference's MaxCompressedLength). */
function maxCompressedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

/** Compresses `input` into one raw snappy block. */
export function snappyCompress(input: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(maxCompressedLength(input.length));
  let op = writeVarint32(out, 0, input.length);
  const table = new Int32Array(1 << HASH_BITS);
  for (let start = 0; start < input.length; start += FRAGMENT) {
    op = compressFragment(input, start, Math.min(start + FRAGMENT, input.length), out, op, table);
  }
  return out.subarray(0, op);
}

function compressFragment(src: Uint8Array, start: number, end: number, out: Buffer, op: number, table: Int32Array): number {
  table.fill(-1);
  let literalStart = start;
  let ip = start;
  const limit = end - INPUT_MARGIN;
  while (ip < limit) {
    const word = load32(src, ip);
    const h = hash(word);
    const candidate = table[h]!;
    table[h] = ip;
    if (candidate < start || load32(src, candidate) !== word) {
      ip++;
      continue;
    }
    let len = MIN_MATCH;
    while (ip + len < end && src[candidate + len] === src[ip + len]) len++;
    op = emitLiteral(src, literalStart, ip, out, op);
    op = emitCopy(out, op, ip - candidate, len);
    // Index the position just before the match's end so the next match can start there.
    if (ip + len - 1 < limit) table[hash(load32(src, ip + len - 1))] = ip + len - 1;
    ip += len;
    literalStart = ip;
  }
  return emitLiteral(src, literalStart, end, out, op);
}

function emitLiteral(src: Uint8Array, from: number, to: number, out: Buffer, op: number): number {
  const n = to - from;
  if (n === 0) return op;
  const m = n - 1;
  if (m < 60) {
    out[op++] = m << 2;
  } else if (m < 0x100) {
    out[op++] = 60 << 2;
    out[op++] = m;
  } else if (m < 0x10000) {
    out[op++] = 61 << 2;
    out[op++] = m & 0xff;
    out[op++] = m >>> 8;
  } else if (m < 0x1000000) {
    out[op++] = 62 << 2;
    out[op++] = m & 0xff;
    out[op++] = (m >>> 8) & 0xff;
    out[op++] = m >>> 16;
  } else {
    out[op++] = 63 << 2;
    out.writeUInt32LE(m, op);
    op += 4;
  }
  out.set(src.subarray(from, to), op);
  return op + n;
}

function emitCopy(out: Buffer, op: number, offset: number, len: number): number {
  // Copies of up to 64 bytes with a 2-byte offset; the tail may use the 1-byte-offset form.
  while (len >= 68) {
    op = emitCopyUpTo64(out, op, offset, 64);
    len -= 64;
  }
  if (len > 64) {
    op = emitCopyUpTo64(out, op, offset, 60);
    len -= 60;
  }
  return emitCopyUpTo64(out, op, offset, len);
}

function emitCopyUpTo64(out: Buffer, op: number, offset: number, len: number): number {
  if (len < 12 && offset < 2048) {
    out[op++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
    out[op++] = offset & 0xff;
  } else {
    out[op++] = 2 | ((len - 1) << 2);
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
  }
  return op;
}

function writeVarint32(out: Buffer, op: number, n: number): number {
  while (n >= 0x80) {
    out[op++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[op++] = n;
  return op;
}

/** The uncompressed length a raw snappy block declares (its leading varint), or -1 if unreadable. */
export function snappyUncompressedLength(block: Uint8Array): number {
  let n = 0;
  for (let i = 0, shift = 1; i < 5 && i < block.length; i++, shift *= 128) {
    n += (block[i]! & 0x7f) * shift;
    if ((block[i]! & 0x80) === 0) return n;
  }
  return -1;
}

function varintBytes(block: Uint8Array): number {
  let i = 0;
  while (block[i]! & 0x80) i++;
  return i + 1;
}

/** Decompresses one raw snappy block; every length and offset is checked against the buffers. */
export function snappyUncompress(block: Uint8Array): Buffer {
  const length = snappyUncompressedLength(block);
  if (length < 0 || length > 0xffffffff) throw new CorruptMessageError('snappy block has an unreadable length');
  const out = Buffer.allocUnsafe(length);
  let ip = varintBytes(block);
  let op = 0;
  const end = block.length;
  while (ip < end) {
    const tag = block[ip++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let n = tag >>> 2;
      if (n >= 60) {
        const bytes = n - 59;
        if (ip + bytes > end) throw corrupt('literal length runs past the block');
        n = 0;
        for (let k = 0; k < bytes; k++) n += block[ip + k]! * 2 ** (8 * k);
        ip += bytes;
      }
      n += 1;
      if (ip + n > end || op + n > length) throw corrupt('literal runs past the block');
      out.set(block.subarray(ip, ip + n), op);
      ip += n;
      op += n;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (ip + 1 > end) throw corrupt('copy runs past the block');
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | block[ip++]!;
    } else if (kind === 2) {
      if (ip + 2 > end) throw corrupt('copy runs past the block');
      len = (tag >>> 2) + 1;
      offset = block[ip]! | (block[ip + 1]! << 8);
      ip += 2;
    } else {
      if (ip + 4 > end) throw corrupt('copy runs past the block');
      len = (tag >>> 2) + 1;
      offset = (block[ip]! | (block[ip + 1]! << 8) | (block[ip + 2]! << 16) | (block[ip + 3]! << 24)) >>> 0;
      ip += 4;
    }
    if (offset === 0 || offset > op || op + len > length) throw corrupt('copy reaches outside the output');
    if (offset >= len) {
      out.copyWithin(op, op - offset, op - offset + len);
      op += len;
    } else {
      for (let k = 0; k < len; k++, op++) out[op] = out[op - offset]!;
    }
  }
  if (op !== length) throw corrupt(`block declares ${length} bytes but holds ${op}`);
  return out;
}

function corrupt(what: string): CorruptMessageError {
  return new CorruptMessageError(`corrupt snappy block: ${what}`);
}
