// The LZ4 frame format (lz4's doc/lz4_Frame_format.md) over LZ4 blocks, in plain JS. Kafka's
// record batches carry LZ4 frames (KIP-57 fixed the header checksum for magic ≥ 1). The reader takes
// what Java, librdkafka and lz4-napi write: linked or independent blocks, any block size, block and
// content checksums (verified), a content size, concatenated and skippable frames. The writer emits
// 64 KiB independent blocks with no checksums but the header's, as Kafka's Java producer does.
import { CorruptMessageError } from '@mq/errors';
import { load32 } from './load32';
import { xxhash32 } from './xxhash32';

const MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const BLOCK_MAX = [0, 0, 0, 0, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];
const WRITE_BLOCK = 64 * 1024;
/** FLG: version 01, independent blocks. BD: 64 KiB maximum block size. */
const WRITE_FLG = 0x60;
const WRITE_BD = 0x40;

// LZ4 block-format end rules: the last match starts at least 12 bytes before the end and the last
// 5 bytes are literals.
const MIN_MATCH = 4;
const MF_LIMIT = 12;
const LAST_LITERALS = 5;
const HASH_BITS = 12;
const MAX_DISTANCE = 65535;

function hash(word: number): number {
  return Math.imul(word, 2654435761) >>> (32 - HASH_BITS);
}

/** Compresses `input` into one LZ4 frame. */
export function lz4CompressFrame(input: Uint8Array): Buffer {
  const blocks = Math.ceil(input.length / WRITE_BLOCK);
  // Worst case per block: stored uncompressed with its 4-byte size.
  const out = Buffer.allocUnsafe(7 + blocks * (WRITE_BLOCK + 4) + 4);
  out.writeUInt32LE(MAGIC, 0);
  out[4] = WRITE_FLG;
  out[5] = WRITE_BD;
  out[6] = (xxhash32(out, 4, 6) >>> 8) & 0xff;
  let op = 7;
  const table = new Int32Array(1 << HASH_BITS);
  const scratch = Buffer.allocUnsafe(WRITE_BLOCK + Math.ceil(WRITE_BLOCK / 255) + 16);
  for (let start = 0; start < input.length; start += WRITE_BLOCK) {
    const end = Math.min(start + WRITE_BLOCK, input.length);
    const n = compressBlock(input, start, end, scratch, table);
    if (n < end - start) {
      out.writeUInt32LE(n, op);
      scratch.copy(out, op + 4, 0, n);
      op += 4 + n;
    } else {
      out.writeUInt32LE((end - start + 0x80000000) >>> 0, op);
      out.set(input.subarray(start, end), op + 4);
      op += 4 + end - start;
    }
  }
  out.writeUInt32LE(0, op); // EndMark
  return out.subarray(0, op + 4);
}

/** One independent block of src[start, end) into `out`; returns its length (may exceed the input's). */
function compressBlock(src: Uint8Array, start: number, end: number, out: Buffer, table: Int32Array): number {
  table.fill(-1);
  let op = 0;
  let anchor = start;
  let ip = start;
  const matchLimit = end - LAST_LITERALS;
  const limit = end - MF_LIMIT;
  while (ip < limit) {
    const word = load32(src, ip);
    const h = hash(word);
    const candidate = table[h]!;
    table[h] = ip;
    if (candidate < start || ip - candidate > MAX_DISTANCE || load32(src, candidate) !== word) {
      ip++;
      continue;
    }
    let len = MIN_MATCH;
    while (ip + len < matchLimit && src[candidate + len] === src[ip + len]) len++;
    op = writeSequence(src, anchor, ip, out, op, ip - candidate, len);
    ip += len;
    anchor = ip;
  }
  return writeLastLiterals(src, anchor, end, out, op);
}

function writeLength(out: Buffer, op: number, n: number): number {
  while (n >= 255) {
    out[op++] = 255;
    n -= 255;
  }
  out[op++] = n;
  return op;
}

function writeSequence(src: Uint8Array, from: number, to: number, out: Buffer, op: number, offset: number, matchLen: number): number {
  const literals = to - from;
  const m = matchLen - MIN_MATCH;
  const token = op++;
  out[token] = ((literals >= 15 ? 15 : literals) << 4) | (m >= 15 ? 15 : m);
  if (literals >= 15) op = writeLength(out, op, literals - 15);
  out.set(src.subarray(from, to), op);
  op += literals;
  out[op++] = offset & 0xff;
  out[op++] = offset >>> 8;
  if (m >= 15) op = writeLength(out, op, m - 15);
  return op;
}

function writeLastLiterals(src: Uint8Array, from: number, to: number, out: Buffer, op: number): number {
  const literals = to - from;
  out[op++] = (literals >= 15 ? 15 : literals) << 4;
  if (literals >= 15) op = writeLength(out, op, literals - 15);
  out.set(src.subarray(from, to), op);
  return op + literals;
}

/** Decompresses concatenated LZ4 frames (skippable frames skipped). */
export function lz4DecompressFrame(buf: Uint8Array): Buffer {
  if (buf.length === 0) throw corrupt('no frame');
  const outputs: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) throw corrupt('truncated frame magic');
    const magic = readU32(buf, pos);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (pos + 8 > buf.length) throw corrupt('truncated skippable frame');
      pos += 8 + readU32(buf, pos + 4);
      continue;
    }
    if (magic !== MAGIC) throw corrupt(`bad magic 0x${magic.toString(16)}`);
    const frame = decodeFrame(buf, pos);
    outputs.push(frame.data);
    pos = frame.end;
  }
  if (pos > buf.length) throw corrupt('skippable frame runs past the input');
  if (outputs.length === 0) throw corrupt('no frame, only skippable ones');
  return outputs.length === 1 ? outputs[0]! : Buffer.concat(outputs);
}

function readU32(b: Uint8Array, i: number): number {
  return load32(b, i) >>> 0;
}

function decodeFrame(buf: Uint8Array, start: number): { data: Buffer; end: number } {
  if (start + 7 > buf.length) throw corrupt('truncated frame header');
  const flg = buf[start + 4]!;
  const bd = buf[start + 5]!;
  if (flg >> 6 !== 1) throw corrupt(`unsupported frame version ${flg >> 6}`);
  if ((flg & 0x02) !== 0 || (bd & 0x8f) !== 0) throw corrupt('reserved frame header bits set');
  const blockMax = BLOCK_MAX[(bd >> 4) & 7]!;
  if (blockMax === 0) throw corrupt('invalid block maximum size');
  const blockChecksum = (flg & 0x10) !== 0;
  const hasContentSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  if ((flg & 0x01) !== 0) throw corrupt('frames that need a dictionary are not supported');
  let pos = start + 6;
  let contentSize = -1;
  if (hasContentSize) {
    if (pos + 8 > buf.length) throw corrupt('truncated content size');
    contentSize = readU32(buf, pos) + readU32(buf, pos + 4) * 2 ** 32;
    pos += 8;
  }
  if (pos >= buf.length) throw corrupt('truncated frame header');
  if (buf[pos] !== ((xxhash32(buf, start + 4, pos) >>> 8) & 0xff)) throw corrupt('frame header checksum mismatch');
  pos++;
  // Linked blocks may reference earlier blocks' output, so every block decodes into one buffer.
  if (contentSize > 0x7fffffff) throw corrupt(`frame declares ${contentSize} bytes`);
  const cap = contentSize >= 0 ? contentSize : Number.POSITIVE_INFINITY;
  let out: Buffer = Buffer.allocUnsafe(contentSize >= 0 ? contentSize : blockMax);
  let op = 0;
  for (;;) {
    if (pos + 4 > buf.length) throw corrupt('truncated block size');
    const word = readU32(buf, pos);
    pos += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (size > blockMax || pos + size + (blockChecksum ? 4 : 0) > buf.length) throw corrupt('block runs past the frame');
    if (blockChecksum && readU32(buf, pos + size) !== xxhash32(buf, pos, pos + size)) throw corrupt('block checksum mismatch');
    const blockLimit = Math.min(op + blockMax, cap);
    if (out.length < blockLimit) out = grow(out, op, blockLimit);
    if ((word & 0x80000000) !== 0) {
      if (op + size > blockLimit) throw corrupt('block runs past the declared content size');
      out.set(buf.subarray(pos, pos + size), op);
      op += size;
    } else {
      op = decodeBlock(buf, pos, pos + size, out, op, blockLimit);
    }
    pos += size + (blockChecksum ? 4 : 0);
  }
  if (contentSize >= 0 && op !== contentSize) throw corrupt(`frame declares ${contentSize} bytes but holds ${op}`);
  if (contentChecksum) {
    if (pos + 4 > buf.length) throw corrupt('truncated content checksum');
    if (readU32(buf, pos) !== xxhash32(out, 0, op)) throw corrupt('content checksum mismatch');
    pos += 4;
  }
  return { data: out.subarray(0, op), end: pos };
}

function grow(out: Buffer, used: number, need: number): Buffer {
  const bigger = Buffer.allocUnsafe(Math.max(need, out.length * 2));
  out.copy(bigger, 0, 0, used);
  return bigger;
}

/** Decodes one LZ4 block of src[ip, end) into out at `op` (at most up to `opLimit`); returns the new op. */
function decodeBlock(src: Uint8Array, ip: number, end: number, out: Buffer, op: number, opLimit: number): number {
  while (ip < end) {
    const token = src[ip++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      let b: number;
      do {
        if (ip >= end) throw corrupt('truncated literal length');
        b = src[ip++]!;
        literals += b;
      } while (b === 255);
    }
    if (ip + literals > end || op + literals > opLimit) throw corrupt('literals run past the block');
    out.set(src.subarray(ip, ip + literals), op);
    ip += literals;
    op += literals;
    if (ip === end) break; // the last sequence has literals only
    if (ip + 2 > end) throw corrupt('truncated match offset');
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    let len = (token & 15) + MIN_MATCH;
    if ((token & 15) === 15) {
      let b: number;
      do {
        if (ip >= end) throw corrupt('truncated match length');
        b = src[ip++]!;
        len += b;
      } while (b === 255);
    }
    if (offset === 0 || offset > op || op + len > opLimit) throw corrupt('match reaches outside the output');
    if (offset >= len) {
      out.copyWithin(op, op - offset, op - offset + len);
      op += len;
    } else {
      for (let k = 0; k < len; k++, op++) out[op] = out[op - offset]!;
    }
  }
  return op;
}

function corrupt(what: string): CorruptMessageError {
  return new CorruptMessageError(`corrupt lz4 frame: ${what}`);
}
