// The one place @mq/quota touches the metadata store: quota entries live in the entries seam's
// `quota` namespace (entity key → JSON values), in meta/entries.json on one node and in etcd in a
// cluster, where every broker's watch sees every change.
import { type MetadataStore, entriesOf } from '@mq/metadata';

export const QUOTA_NAMESPACE = 'quota';

export interface QuotaEntryChange {
  readonly key: string;
  /** null removes the entity. */
  readonly value: string | null;
}

export class QuotaStore {
  constructor(private readonly store: MetadataStore) {}

  /** Every stored quota entity (key → JSON values) as of the store's image. */
  entries(): ReadonlyMap<string, string> {
    return entriesOf(this.store.image, QUOTA_NAMESPACE);
  }

  /** Commits the changes as one atomic metadata change; resolves once watchers were told. */
  async commit(changes: readonly QuotaEntryChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.store.commit(changes.map((c) => ({ type: 'entry', namespace: QUOTA_NAMESPACE, key: c.key, value: c.value })));
  }

  /** Calls `onChange` after every delta that touched a quota entry (this broker's commits and others'). */
  watch(onChange: () => void): () => void {
    return this.store.watch((delta) => {
      if (delta.entriesChanged().some((c) => c.namespace === QUOTA_NAMESPACE)) onChange();
    });
  }
}
