// SCRAM credentials in the metadata store (etcd in a cluster): namespace `scram`, one entry per user
// and mechanism, key `<mechanism>:<user>`, value encodeCredential()'s JSON. The only file of this
// package that touches @mq/metadata; every broker reads the same image, so a user created on one
// broker authenticates on all.
import { entriesOf, type MetadataStore } from '@mq/metadata';
import { type ScramCredential, decodeCredential, encodeCredential } from './scram-credential';
import type { ScramCredentialLookup } from './sasl-server';
import type { ScramMechanismName } from '@mq/protocol';

export const SCRAM_NAMESPACE = 'scram';

export interface ScramCredentialInfo {
  readonly mechanism: ScramMechanismName;
  readonly iterations: number;
}

function keyOf(user: string, mechanism: string): string {
  return `${mechanism}:${user}`;
}

/** Mechanism names hold no ':', so the first one splits the key. */
function splitKey(key: string): { mechanism: string; user: string } | undefined {
  const at = key.indexOf(':');
  return at < 0 ? undefined : { mechanism: key.slice(0, at), user: key.slice(at + 1) };
}

export class ScramCredentialStore implements ScramCredentialLookup {
  private readonly store: MetadataStore;

  constructor(store: MetadataStore) {
    this.store = store;
  }

  credential(user: string, mechanism: string): ScramCredential | undefined {
    const value = entriesOf(this.store.image, SCRAM_NAMESPACE).get(keyOf(user, mechanism));
    return value === undefined ? undefined : decodeCredential(value);
  }

  /** Every user with a credential, and its mechanisms and iterations (DescribeUserScramCredentials). */
  users(): Map<string, ScramCredentialInfo[]> {
    const out = new Map<string, ScramCredentialInfo[]>();
    for (const [key, value] of entriesOf(this.store.image, SCRAM_NAMESPACE)) {
      const k = splitKey(key);
      const c = decodeCredential(value);
      if (k === undefined || c === undefined) continue;
      const list = out.get(k.user) ?? [];
      list.push({ mechanism: k.mechanism as ScramMechanismName, iterations: c.iterations });
      out.set(k.user, list);
    }
    return out;
  }

  /** One atomic commit of upserts (a credential) and deletions (null). */
  async alter(changes: readonly { user: string; mechanism: ScramMechanismName; credential: ScramCredential | null }[]): Promise<void> {
    if (changes.length === 0) return;
    await this.store.commit(
      changes.map((c) => ({ type: 'entry' as const, namespace: SCRAM_NAMESPACE, key: keyOf(c.user, c.mechanism), value: c.credential === null ? null : encodeCredential(c.credential) })),
    );
  }
}
