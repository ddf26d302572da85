// Upper bounds on what an LZ4 or zstd frame decompresses to, read from the frame and block headers
// alone. Their bindings take no output limit, and a frame need not declare its content size (Java's
// streaming encoders omit it), so without this a 1 MB zstd batch of RLE blocks would inflate to
// gigabytes before any size check could run. Walking block headers is O(blocks) and reads no payload.

/** Returned when the bytes are not a frame sequence this reader knows; the decoder then decides. */
export const UNKNOWN_BOUND = -1;

const ZSTD_MAGIC = 0xfd2fb528;
const LZ4_MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
/** zstd's Block_Maximum_Size: no block regenerates more than 128 KiB, whatever the window. */
const ZSTD_BLOCK_MAX = 128 * 1024;
const LZ4_BLOCK_MAX = [0, 0, 0, 0, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];
const ZSTD_FCS_BYTES = [0, 2, 4, 8];
const ZSTD_DICT_BYTES = [0, 1, 2, 4];

/** At most how many bytes the zstd frames in `buf` regenerate, or UNKNOWN_BOUND. */
export function zstdDecompressedBound(buf: Buffer): number {
  return frameSequenceBound(buf, ZSTD_MAGIC, zstdFrame);
}

/** At most how many bytes the LZ4 frames in `buf` decompress to, or UNKNOWN_BOUND. */
export function lz4DecompressedBound(buf: Buffer): number {
  return frameSequenceBound(buf, LZ4_MAGIC, lz4Frame);
}

/** One frame read from its magic at `pos`: where it ends and what it may regenerate. */
type FrameReader = (buf: Buffer, pos: number) => { end: number; bound: number } | undefined;

/** Sums the bounds of concatenated frames (skippable frames regenerate nothing). */
function frameSequenceBound(buf: Buffer, magic: number, readFrame: FrameReader): number {
  let pos = 0;
  let bound = 0;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) return UNKNOWN_BOUND;
    const found = buf.readUInt32LE(pos);
    if ((found & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      pos = skipSkippable(buf, pos);
      if (pos < 0) return UNKNOWN_BOUND;
      continue;
    }
    const frame = found === magic ? readFrame(buf, pos) : undefined;
    if (frame === undefined) return UNKNOWN_BOUND;
    pos = frame.end;
    bound += frame.bound;
  }
  return pos === buf.length ? bound : UNKNOWN_BOUND;
}

function zstdFrame(buf: Buffer, start: number): { end: number; bound: number } | undefined {
  if (start + 5 > buf.length) return undefined;
  const descriptor = buf[start + 4]!;
  const singleSegment = (descriptor & 0x20) !== 0;
  const fcsFlag = descriptor >> 6;
  const fcsBytes = fcsFlag === 0 && singleSegment ? 1 : ZSTD_FCS_BYTES[fcsFlag]!;
  const hasChecksum = (descriptor & 0x04) !== 0;
  let pos = start + 5 + (singleSegment ? 0 : 1) + ZSTD_DICT_BYTES[descriptor & 0x03]! + fcsBytes;
  let bound = 0;
  for (;;) {
    if (pos + 3 > buf.length) return undefined;
    const header = buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16);
    const type = (header >> 1) & 3;
    const size = header >>> 3;
    pos += 3;
    if (type === 0) {
      bound += size; // raw
      pos += size;
    } else if (type === 1) {
      bound += size; // RLE: one byte repeated `size` times
      pos += 1;
    } else if (type === 2) {
      bound += ZSTD_BLOCK_MAX;
      pos += size;
    } else {
      return undefined;
    }
    if (pos > buf.length) return undefined;
    if ((header & 1) !== 0) break; // Last_Block
  }
  return { end: pos + (hasChecksum ? 4 : 0), bound };
}

function lz4Frame(buf: Buffer, start: number): { end: number; bound: number } | undefined {
  if (start + 7 > buf.length) return undefined;
  const flags = buf[start + 4]!;
  const blockMax = LZ4_BLOCK_MAX[(buf[start + 5]! >> 4) & 7]!;
  if (flags >> 6 !== 1 || blockMax === 0) return undefined;
  const blockChecksum = (flags & 0x10) !== 0;
  const contentChecksum = (flags & 0x04) !== 0;
  // magic, FLG, BD, [content size 8], [dict id 4], header checksum
  let pos = start + 6 + ((flags & 0x08) !== 0 ? 8 : 0) + ((flags & 0x01) !== 0 ? 4 : 0) + 1;
  let bound = 0;
  for (;;) {
    if (pos + 4 > buf.length) return undefined;
    const word = buf.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break; // EndMark
    const size = word & 0x7fffffff;
    if (size > blockMax) return undefined;
    bound += (word & 0x80000000) !== 0 ? size : blockMax; // stored uncompressed, or at most a full block
    pos += size + (blockChecksum ? 4 : 0);
    if (pos > buf.length) return undefined;
  }
  return { end: pos + (contentChecksum ? 4 : 0), bound };
}

/** Position after a skippable frame starting at `pos`, or -1 if it runs past the buffer. */
function skipSkippable(buf: Buffer, pos: number): number {
  if (pos + 8 > buf.length) return -1;
  const end = pos + 8 + buf.readUInt32LE(pos + 4);
  return end > buf.length ? -1 : end;
}
