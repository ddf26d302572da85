// Key/value encodings shared by produce (text → bytes) and consume (bytes → text). utf8 passes
// bytes through untouched (binary-safe in both directions on raw streams); hex and base64 carry
// any bytes through a text line; json checks the bytes are one JSON document.

export type Encoding = 'utf8' | 'hex' | 'base64' | 'json';
export const ENCODINGS: readonly Encoding[] = ['utf8', 'hex', 'base64', 'json'];

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Input bytes as the message bytes; throws a message naming what is wrong. */
export function decodeInput(raw: Buffer, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return raw;
    case 'hex': {
      const s = raw.toString('latin1').trim();
      if (!HEX.test(s)) throw new Error('is not hex (pairs of 0-9a-f)');
      return Buffer.from(s, 'hex');
    }
    case 'base64': {
      const s = raw.toString('latin1').trim();
      if (!BASE64.test(s)) throw new Error('is not base64');
      return Buffer.from(s, 'base64');
    }
    case 'json':
      try {
        JSON.parse(raw.toString('utf8'));
      } catch {
        throw new Error('is not valid JSON');
      }
      return raw;
  }
}

/** Message bytes as text for templates and JSON/YAML output. */
export function encodeOutput(b: Buffer, encoding: Encoding): string {
  switch (encoding) {
    case 'hex':
      return b.toString('hex');
    case 'base64':
      return b.toString('base64');
    default:
      return b.toString('utf8');
  }
}
