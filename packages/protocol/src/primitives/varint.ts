// Varint helpers. The protocol's compact lengths and tagged-field headers are UNSIGNED varints;
// RecordBatch record fields are ZIGZAG varints (signed). Never mix them: these names say which.

/** Bytes an unsigned 32-bit varint takes. */
export function sizeOfUnsignedVarint(value: number): number {
  let v = value >>> 0;
  let n = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}

/** Zigzag-encode a signed 32-bit int into the unsigned value a record varint carries. */
export function zigzagEncode32(value: number): number {
  return ((value << 1) ^ (value >> 31)) >>> 0;
}

export function zigzagDecode32(value: number): number {
  return (value >>> 1) ^ -(value & 1);
}

export function zigzagEncode64(value: bigint): bigint {
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
}

export function zigzagDecode64(value: bigint): bigint {
  return BigInt.asIntN(64, (value >> 1n) ^ -(value & 1n));
}

/** Bytes a zigzag varint (record field) takes. */
export function sizeOfVarint(value: number): number {
  return sizeOfUnsignedVarint(zigzagEncode32(value));
}

/** Bytes a zigzag varlong (record field) takes. */
export function sizeOfVarlong(value: bigint): number {
  let v = zigzagEncode64(value);
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}
