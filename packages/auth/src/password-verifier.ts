// A user name and password checked against the users the SASL listeners know, for protocols where the
// password arrives whole (HTTP Basic): SCRAM credentials (SaltedPassword derived with the stored salt
// and iterations, its StoredKey compared in constant time) and PLAIN users. Never keeps a password.
import { createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { PlainUsers } from './plain-users';
import type { ScramCredentialLookup } from './sasl-server';
import { hash, hmac } from './scram-credential';
import { SCRAM_MECHANISMS, SCRAM_SHA_512, type ScramMechanism } from '@mq/protocol';

const pbkdf2Async = promisify(pbkdf2);

export interface PasswordVerifierOptions {
  readonly scramCredentials: ScramCredentialLookup;
  /** PLAIN users (sasl.jaas.config); checked when no SCRAM credential of the user matches. */
  readonly plainUsers?: PlainUsers | undefined;
  /** How long a verified user + password is remembered (PBKDF2 costs ms per request); default 60 000, 0: never. */
  readonly cacheTtlMs?: number;
  /** Monotonic milliseconds for the cache (inject a clock's); default performance.now. */
  readonly now?: () => number;
}

interface Verified {
  readonly mechanism: ScramMechanism | undefined;
  /** The StoredKey that matched: a changed or deleted credential no longer matches the entry. */
  readonly storedKey: Buffer | undefined;
  readonly until: number;
}

const CACHE_ENTRIES = 1024;

export class PasswordVerifier {
  private readonly cache = new Map<string, Verified>();
  /** Keys the cache (never the password itself), random per process. */
  private readonly cacheKey = randomBytes(32);
  private readonly fakeSalt = randomBytes(32);
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(private readonly opts: PasswordVerifierOptions) {
    this.ttl = opts.cacheTtlMs ?? 60_000;
    this.now = opts.now ?? (() => performance.now());
  }

  /** True when `password` is `user`'s (any of its SCRAM mechanisms, or PLAIN). */
  async verify(user: string, password: string): Promise<boolean> {
    if (user === '' || password === '') return false;
    const key = createHmac('sha256', this.cacheKey).update(user).update('\u0000').update(password).digest('base64');
    const hit = this.cache.get(key);
    if (hit !== undefined && hit.until > this.now() && this.stillValid(user, hit)) return true;
    this.cache.delete(key);
    const found = await this.check(user, password);
    if (found === undefined) return false;
    if (this.ttl > 0) {
      if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, { ...found, until: this.now() + this.ttl });
    }
    return true;
  }

  private stillValid(user: string, v: Verified): boolean {
    if (v.mechanism === undefined) return true; // PLAIN users are fixed for the process's life
    const c = this.opts.scramCredentials.credential(user, v.mechanism.name);
    return c !== undefined && v.storedKey !== undefined && c.storedKey.equals(v.storedKey);
  }

  private async check(user: string, password: string): Promise<Omit<Verified, 'until'> | undefined> {
    let any = false;
    for (const m of SCRAM_MECHANISMS) {
      const c = this.opts.scramCredentials.credential(user, m.name);
      if (c === undefined) continue;
      any = true;
      const salted = await pbkdf2Async(Buffer.from(password, 'utf8'), c.salt, c.iterations, m.keyLength, m.hash);
      const storedKey = hash(m, hmac(m, salted, 'Client Key'));
      if (storedKey.length === c.storedKey.length && timingSafeEqual(storedKey, c.storedKey)) return { mechanism: m, storedKey: c.storedKey };
    }
    if (this.opts.plainUsers?.verify(user, password) === true) return { mechanism: undefined, storedKey: undefined };
    // A user without SCRAM credentials costs one derivation too: the answer's timing does not tell which users exist.
    if (!any) await pbkdf2Async(Buffer.from(password, 'utf8'), this.fakeSalt, 4096, SCRAM_SHA_512.keyLength, SCRAM_SHA_512.hash);
    return undefined;
  }
}
