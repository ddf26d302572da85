// The little-endian 32-bit word at `i` (signed; `>>> 0` for unsigned), for the codecs' hash tables and checksums.
export function load32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}
