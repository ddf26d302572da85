// A SCRAM credential as the server keeps it (RFC 5802 §3): salt, iterations, StoredKey, ServerKey —
// never the password nor the SaltedPassword — and how to derive one from a password or from the
// salted password AlterUserScramCredentials carries.
import { randomBytes } from 'node:crypto';
import { type ScramMechanism, scramHash as hash, scramHmac as hmac, scramSaltedPassword as saltedPassword } from '@mq/protocol';
import { UnacceptableCredentialError } from './auth-errors';

export interface ScramCredential {
  readonly salt: Buffer;
  readonly iterations: number;
  /** H(ClientKey): what a client proof is checked against. */
  readonly storedKey: Buffer;
  /** HMAC(SaltedPassword, "Server Key"): signs the server-final message. */
  readonly serverKey: Buffer;
}

/** Kafka's checks (ScramCredentialUtils / AlterUserScramCredentials): iterations in bounds, a salt. */
export function checkCredentialShape(m: ScramMechanism, iterations: number, salt: Buffer, salted?: Buffer): void {
  if (!Number.isInteger(iterations) || iterations < m.minIterations || iterations > m.maxIterations) {
    throw new UnacceptableCredentialError(`${m.name}: iterations must be between ${m.minIterations} and ${m.maxIterations}, got ${iterations}`);
  }
  if (salt.length === 0) throw new UnacceptableCredentialError(`${m.name}: the salt must not be empty`);
  if (salted !== undefined && salted.length !== m.keyLength) {
    throw new UnacceptableCredentialError(`${m.name}: the salted password must be ${m.keyLength} bytes, got ${salted.length}`);
  }
}

/** The stored form of a salted password (what AlterUserScramCredentials' upsertion carries). */
export function credentialFromSaltedPassword(m: ScramMechanism, salt: Buffer, salted: Buffer, iterations: number): ScramCredential {
  checkCredentialShape(m, iterations, salt, salted);
  const clientKey = hmac(m, salted, 'Client Key');
  return { salt: Buffer.from(salt), iterations, storedKey: hash(m, clientKey), serverKey: hmac(m, salted, 'Server Key') };
}

export interface CredentialFromPasswordOptions {
  /** Default 4096 (Kafka's kafka-configs default is 4096 as well). */
  readonly iterations?: number;
  /** Default 32 random bytes (node:crypto); pass one to reproduce a credential. */
  readonly salt?: Buffer;
}

export function credentialFromPassword(m: ScramMechanism, password: string, opts: CredentialFromPasswordOptions = {}): ScramCredential {
  const iterations = opts.iterations ?? 4096;
  const salt = opts.salt ?? randomBytes(32);
  checkCredentialShape(m, iterations, salt);
  return credentialFromSaltedPassword(m, salt, saltedPassword(m, password, salt, iterations), iterations);
}

/** JSON of the metadata entry (base64 fields): what the `scram` namespace stores per user and mechanism. */
export function encodeCredential(c: ScramCredential): string {
  return JSON.stringify({ salt: c.salt.toString('base64'), iterations: c.iterations, storedKey: c.storedKey.toString('base64'), serverKey: c.serverKey.toString('base64') });
}

/** The inverse of encodeCredential; undefined for a value that is not one (never throws on stored data). */
export function decodeCredential(value: string): ScramCredential | undefined {
  try {
    const v = JSON.parse(value) as Record<string, unknown>;
    if (typeof v.salt !== 'string' || typeof v.storedKey !== 'string' || typeof v.serverKey !== 'string' || typeof v.iterations !== 'number') return undefined;
    return { salt: Buffer.from(v.salt, 'base64'), iterations: v.iterations, storedKey: Buffer.from(v.storedKey, 'base64'), serverKey: Buffer.from(v.serverKey, 'base64') };
  } catch {
    return undefined;
  }
}

export { hash, hmac, saltedPassword };
