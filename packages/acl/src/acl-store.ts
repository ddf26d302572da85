// ACL bindings on the metadata store's `entries` seam (namespace `acl`): local files on one node,
// etcd in a cluster. The authorizer is loaded from the image and kept current by store.watch, so a
// binding created on any broker is enforced by every broker once its delta arrives.
import { entriesOf, type MetadataStore } from '@mq/metadata';
import { KafkaError, kafkaErrorCode } from '@mq/protocol';
import { type AclBinding, bindingKey, encodeBinding, validateBinding } from './acl-binding';
import { type AclBindingFilter, validateFilter } from './acl-binding-filter';
import type { StandardAuthorizer } from './standard-authorizer';

/** The metadata namespace of ACL bindings. */
export const ACL_NAMESPACE = 'acl';

/** One creation's outcome: undefined, or the typed error (INVALID_REQUEST for a bad binding). */
export type AclCreateResult = KafkaError | undefined;

/** One filter's outcome: the bindings it removed, or the error that refused the filter. */
export type AclDeleteResult = { readonly deleted: readonly AclBinding[] } | { readonly error: KafkaError };

export class AclStore {
  private unwatch: (() => void) | undefined;
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly store: MetadataStore,
    readonly authorizer: StandardAuthorizer,
    /** Told the keys of stored values that are not bindings (skipped). */
    private readonly onSkipped: (keys: readonly string[]) => void = () => undefined,
  ) {}

  /** Loads the bindings of the store's current image and follows every later change. */
  start(): void {
    this.report(this.authorizer.reset(entriesOf(this.store.image, ACL_NAMESPACE)));
    this.unwatch = this.store.watch((delta) => {
      const changes = delta.entriesChanged().filter((c) => c.namespace === ACL_NAMESPACE);
      if (changes.length === 0) return;
      this.report(this.authorizer.apply(changes));
      for (const l of this.changeListeners) l();
    });
  }

  /** Called after each change of the bindings is applied (what was allowed may no longer be: open HTTP streams re-check). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Stores the valid bindings in one commit; one result per binding, in order. */
  async create(bindings: readonly AclBinding[]): Promise<AclCreateResult[]> {
    const results: AclCreateResult[] = bindings.map((b) => {
      try {
        validateBinding(b);
        return undefined;
      } catch (err) {
        return err as KafkaError;
      }
    });
    const valid = bindings.filter((_, i) => results[i] === undefined);
    if (valid.length === 0) return results;
    try {
      await this.store.commit(valid.map((b) => ({ type: 'entry', namespace: ACL_NAMESPACE, key: bindingKey(b), value: encodeBinding(b) })));
    } catch (err) {
      const failure = asKafkaError(err);
      return results.map((r) => r ?? failure);
    }
    return results;
  }

  /** Removes what each filter matches in one commit; a binding two filters match is listed by the first. */
  async delete(filters: readonly AclBindingFilter[]): Promise<AclDeleteResult[]> {
    const taken = new Set<string>();
    const results: AclDeleteResult[] = filters.map((f) => {
      try {
        validateFilter(f);
      } catch (err) {
        return { error: err as KafkaError };
      }
      const deleted: AclBinding[] = [];
      for (const [key, b] of this.authorizer.matching(f)) {
        if (taken.has(key)) continue;
        taken.add(key);
        deleted.push(b);
      }
      return { deleted };
    });
    if (taken.size === 0) return results;
    try {
      await this.store.commit([...taken].map((key) => ({ type: 'entry', namespace: ACL_NAMESPACE, key, value: null })));
    } catch (err) {
      const failure = asKafkaError(err);
      return results.map((r) => ('error' in r ? r : { error: failure }));
    }
    return results;
  }

  /** The bindings a filter selects (DescribeAcls); throws InvalidRequestError for an unknown element. */
  describe(filter: AclBindingFilter): AclBinding[] {
    validateFilter(filter);
    return this.authorizer.matching(filter).map(([, b]) => b);
  }

  close(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }

  private report(skipped: readonly string[]): void {
    if (skipped.length > 0) this.onSkipped(skipped);
  }
}

function asKafkaError(err: unknown): KafkaError {
  return err instanceof KafkaError ? err : new KafkaError(kafkaErrorCode(err), (err as Error).message, { cause: err });
}
