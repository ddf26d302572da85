// PLAIN's user list: from Kafka's JAAS text (`user_<name>="<password>"` options of PlainLoginModule,
// in `sasl.jaas.config` or a JAAS file), or a map. Passwords are compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

export class PlainUsers {
  private readonly digests = new Map<string, Buffer>();

  constructor(users: ReadonlyMap<string, string> | Readonly<Record<string, string>>) {
    const entries = users instanceof Map ? [...users.entries()] : Object.entries(users);
    for (const [name, password] of entries) this.digests.set(name, digest(password));
  }

  /** Parses every `user_<name>="<password>"` of JAAS text (a KafkaServer { ... }; block or a one-line sasl.jaas.config). */
  static fromJaas(text: string): PlainUsers {
    return new PlainUsers(PlainUsers.fromJaasEntries(text));
  }

  /** The users of JAAS text as name → password (to merge several sources). */
  static fromJaasEntries(text: string): Map<string, string> {
    const users = new Map<string, string>();
    const option = /\buser_([^\s=]+)\s*=\s*"((?:[^"\\]|\\.)*)"/g;
    for (const m of text.matchAll(option)) users.set(m[1]!, m[2]!.replace(/\\(.)/g, '$1'));
    return users;
  }

  get size(): number {
    return this.digests.size;
  }

  names(): string[] {
    return [...this.digests.keys()];
  }

  verify(user: string, password: string): boolean {
    const want = this.digests.get(user);
    // An unknown user costs the same hash and compare as a known one.
    const got = digest(password);
    return timingSafeEqual(want ?? digest(`\u0000unknown\u0000${password}`), got) && want !== undefined;
  }
}

function digest(password: string): Buffer {
  return createHash('sha256').update(password, 'utf8').digest();
}
