// FrameDecoder: push parser for the size-prefixed frames of the Kafka protocol. Fed arbitrary
// socket chunks, returns the complete frames (size prefix excluded). A frame inside one chunk is a
// zero-copy slice; a frame spread over chunks is joined once, so big frames cost one copy, not n².
import { FrameTooLargeError } from './protocol-decode-error';

export interface FrameDecoderOptions {
  /** Largest accepted frame (excluding the 4-byte prefix). Default 100 MiB. */
  readonly maxFrameBytes?: number;
}

export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024;
const NO_FRAME = -1;

export class FrameDecoder {
  /** May be raised between frames (a SASL listener accepts big requests only once authenticated). */
  maxFrameBytes: number;
  /** Size of the frame being assembled, or NO_FRAME while reading a size prefix. */
  private frameSize = NO_FRAME;
  private readonly prefix = Buffer.alloc(4);
  private prefixFill = 0;
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private failed: FrameTooLargeError | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes held for an incomplete frame (including a partial size prefix). */
  get bufferedBytes(): number {
    return this.prefixFill + this.partsBytes;
  }

  /**
   * Feed a chunk; returns every frame it completes (possibly none). Throws FrameTooLargeError for a
   * negative or oversized length prefix; the decoder then stays failed (the connection must close).
   */
  push(chunk: Buffer): Buffer[] {
    if (this.failed !== null) throw this.failed;
    const frames: Buffer[] = [];
    const len = chunk.length;
    let off = 0;
    while (off < len) {
      if (this.frameSize === NO_FRAME) {
        let size: number;
        if (this.prefixFill === 0 && len - off >= 4) {
          size = chunk.readInt32BE(off);
          off += 4;
        } else {
          const take = Math.min(4 - this.prefixFill, len - off);
          chunk.copy(this.prefix, this.prefixFill, off, off + take);
          this.prefixFill += take;
          off += take;
          if (this.prefixFill < 4) break;
          this.prefixFill = 0;
          size = this.prefix.readInt32BE(0);
        }
        if (size < 0 || size > this.maxFrameBytes) {
          this.failed = new FrameTooLargeError(size, this.maxFrameBytes);
          throw this.failed;
        }
        this.frameSize = size;
      }
      const need = this.frameSize - this.partsBytes;
      const avail = len - off;
      if (this.partsBytes === 0 && avail >= need) {
        frames.push(chunk.subarray(off, off + need));
        off += need;
        this.frameSize = NO_FRAME;
        continue;
      }
      const take = Math.min(need, avail);
      this.parts.push(chunk.subarray(off, off + take));
      this.partsBytes += take;
      off += take;
      if (this.partsBytes === this.frameSize) {
        frames.push(Buffer.concat(this.parts, this.partsBytes));
        this.parts = [];
        this.partsBytes = 0;
        this.frameSize = NO_FRAME;
      }
    }
    return frames;
  }
}
