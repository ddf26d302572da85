// A JWS in compact serialisation (RFC 7515 §7.1): base64url(header) . base64url(payload) .
// base64url(signature), the header and payload JSON objects. Parsing only: what the signature
// means is the validator's business.
import { OAuthBearerValidationError } from './oauthbearer-token';

export interface CompactJws {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  /** The bytes the signature covers: the first two parts as sent, with their dot. */
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function parseCompactJws(token: string): CompactJws {
  const parts = token.split('.');
  if (parts.length !== 3) throw new OAuthBearerValidationError(`the token is not a compact JWS (header.payload.signature): it has ${parts.length} part(s)`);
  const [h, p, s] = parts as [string, string, string];
  for (const part of parts) {
    if (!BASE64URL.test(part)) throw new OAuthBearerValidationError('the token has a part that is not base64url');
  }
  return {
    header: jsonObject(h, 'header'),
    claims: jsonObject(p, 'payload'),
    signingInput: Buffer.from(`${h}.${p}`, 'ascii'),
    signature: Buffer.from(s, 'base64url'),
  };
}

function jsonObject(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new OAuthBearerValidationError(`the token's ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OAuthBearerValidationError(`the token's ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}
