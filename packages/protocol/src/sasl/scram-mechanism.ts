// The two SCRAM mechanisms Kafka speaks (RFC 5802 with RFC 7677's SHA-256, and SHA-512): their
// hash, key length, Kafka's wire id (DescribeUserScramCredentials' int8) and iteration bounds, and
// RFC 5802's primitives both sides compute with (the client here, the server in @mq/auth).
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';

export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface ScramMechanism {
  readonly name: ScramMechanismName;
  /** node:crypto's digest name. */
  readonly hash: 'sha256' | 'sha512';
  /** Bytes of the hash output: the SaltedPassword, StoredKey and ServerKey length. */
  readonly keyLength: number;
  /** Kafka's ScramMechanism type (AlterUserScramCredentials / DescribeUserScramCredentials). */
  readonly type: number;
  /** Kafka's bounds: fewer than 4096 iterations is refused (RFC 7677 asks for at least 4096). */
  readonly minIterations: number;
  readonly maxIterations: number;
}

export const SCRAM_SHA_256: ScramMechanism = { name: 'SCRAM-SHA-256', hash: 'sha256', keyLength: 32, type: 1, minIterations: 4096, maxIterations: 16_384 };
export const SCRAM_SHA_512: ScramMechanism = { name: 'SCRAM-SHA-512', hash: 'sha512', keyLength: 64, type: 2, minIterations: 4096, maxIterations: 16_384 };

export const SCRAM_MECHANISMS: readonly ScramMechanism[] = [SCRAM_SHA_256, SCRAM_SHA_512];

export function scramMechanism(name: string): ScramMechanism | undefined {
  return SCRAM_MECHANISMS.find((m) => m.name === name);
}

export function scramMechanismOfType(type: number): ScramMechanism | undefined {
  return SCRAM_MECHANISMS.find((m) => m.type === type);
}

export function hmac(m: ScramMechanism, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(m.hash, key).update(data).digest();
}

export function hash(m: ScramMechanism, data: Buffer): Buffer {
  return createHash(m.hash).update(data).digest();
}

/** RFC 5802's Hi(): PBKDF2 with HMAC-<hash>, one block of the hash's length. */
export function saltedPassword(m: ScramMechanism, password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, m.keyLength, m.hash);
}
