// The broker's client quotas: the stored configs (kept current through the metadata store's watch),
// AlterClientQuotas / DescribeClientQuotas semantics, and one ClientQuotaManager per enforced
// quota type. With no quota stored, `enabled` is false and the request path does nothing else.
import { ErrorCode, InvalidRequestError, KafkaError, kafkaErrorCode } from '@mq/errors';
import type { MetadataStore } from '@mq/metadata';
import type { Clock } from '@mq/timerwheel';
import { ClientQuotaConfigs, type EnforcedQuotaKey, type QuotaEntry, type QuotaFilterComponent, quotaValuesJson } from './client-quota-configs';
import { ClientQuotaManager, type QuotaSensorView, type ResolvedQuota } from './client-quota-manager';
import { type MutationQuota, MutationQuotaManager } from './mutation-quota-manager';
import { type QuotaEntity, quotaEntityKey, validateQuotaEntity } from './quota-entity';
import { validateQuotaValue } from './quota-keys';
import { type QuotaEntryChange, QuotaStore } from './quota-store';

export interface QuotaWindow {
  /** quota.window.num (Kafka: 11) */
  readonly samples: number;
  /** quota.window.size.seconds (Kafka: 1) */
  readonly windowSeconds: number;
}

export const DEFAULT_QUOTA_WINDOW: QuotaWindow = { samples: 11, windowSeconds: 1 };

export interface ClientQuotasOptions {
  readonly store: MetadataStore;
  readonly clock: Clock;
  readonly window?: QuotaWindow;
  /** Told about stored entries this version cannot read (they are skipped). */
  readonly onBadEntry?: (key: string, reason: string) => void;
}

/** What one enforced quota type did: the throttles it earned and each entity's rate against its quota. */
export interface ClientQuotaStats {
  readonly quota: EnforcedQuotaKey;
  readonly throttledRequests: number;
  readonly throttleTimeMs: number;
  readonly sensors: Iterable<QuotaSensorView>;
}

/** One AlterClientQuotas entry as it arrives (entity names null for the default). */
export interface QuotaAlteration {
  readonly entity: readonly { readonly entityType: string; readonly entityName: string | null }[];
  readonly ops: readonly { readonly key: string; readonly value: number; readonly remove: boolean }[];
}

export interface QuotaAlterationResult {
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

export class ClientQuotas {
  readonly produce: ClientQuotaManager;
  readonly fetch: ClientQuotaManager;
  readonly request: ClientQuotaManager;
  readonly mutations: MutationQuotaManager;
  private current: ClientQuotaConfigs;
  private readonly quotaStore: QuotaStore;
  private readonly unwatch: () => void;
  /** Alterations run one at a time: each reads the values the previous one stored. */
  private altering: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly opts: ClientQuotasOptions) {
    const w = opts.window ?? DEFAULT_QUOTA_WINDOW;
    const window = { samples: w.samples, windowMs: w.windowSeconds * 1000 };
    this.produce = new ClientQuotaManager(window);
    this.fetch = new ClientQuotaManager(window);
    this.request = new ClientQuotaManager(window);
    this.mutations = new MutationQuotaManager(window);
    this.quotaStore = new QuotaStore(opts.store);
    this.current = this.load();
    this.unwatch = this.quotaStore.watch(() => this.reload());
  }

  /** Some user / client-id quota is stored: requests must be measured. */
  get enabled(): boolean {
    return this.current.hasClientQuotas;
  }

  /** connection_creation_rate for new connections from `ip` (its ip entity, else the default one), or null. */
  ipConnectionRate(ip: string): number | null {
    return this.current.ipConnectionRate(ip);
  }

  get configs(): ClientQuotaConfigs {
    return this.current;
  }

  /** Called after every change of the stored quotas (this broker's or, in a cluster, another's). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The quota of `key` for this client, or null when none applies. */
  quotaFor(key: EnforcedQuotaKey, user: string, clientId: string): ResolvedQuota | null {
    return this.current.quotaFor(key, user, clientId);
  }

  /**
   * controller_mutation_rate for this client's CreateTopics / CreatePartitions / DeleteTopics, or
   * undefined when none applies (or none is stored at all). `strict`: the request's version lets the
   * client see THROTTLING_QUOTA_EXCEEDED per topic.
   */
  mutationQuotaFor(user: string, clientId: string, strict: boolean): MutationQuota | undefined {
    if (!this.enabled) return undefined;
    const quota = this.current.quotaFor('controller_mutation_rate', user, clientId);
    return quota === null ? undefined : this.mutations.quotaFor(quota, strict, () => this.nowMs());
  }

  /** Each enforced quota type's throttle totals and live sensors, for metrics (read at scrape time). */
  *stats(): Iterable<ClientQuotaStats> {
    const now = this.nowMs();
    for (const [quota, m] of [
      ['producer_byte_rate', this.produce],
      ['consumer_byte_rate', this.fetch],
      ['request_percentage', this.request],
      ['controller_mutation_rate', this.mutations],
    ] as const) {
      yield { quota, throttledRequests: m.throttledRequests, throttleTimeMs: m.throttleTimeMs, sensors: m.sensorViews(now) };
    }
  }

  /** The monotonic ms the sensors are recorded at. */
  nowMs(): number {
    return this.opts.clock.monotonic();
  }

  /** DescribeClientQuotas; throws InvalidRequestError for a filter Kafka refuses. */
  describe(components: readonly QuotaFilterComponent[], strict: boolean): QuotaEntry[] {
    return this.current.describe(components, strict);
  }

  /**
   * AlterClientQuotas: each entry is checked on its own (its error is its result); the valid ones
   * are stored in one atomic metadata commit unless `validateOnly`. Resolves once this broker's
   * configs include them.
   */
  alter(entries: readonly QuotaAlteration[], validateOnly: boolean): Promise<QuotaAlterationResult[]> {
    const run = this.altering.then(() => this.alterNow(entries, validateOnly));
    this.altering = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.unwatch();
    this.listeners.clear();
  }

  private async alterNow(entries: readonly QuotaAlteration[], validateOnly: boolean): Promise<QuotaAlterationResult[]> {
    const results: QuotaAlterationResult[] = [];
    const changes: QuotaEntryChange[] = [];
    const changedIndexes: number[] = [];
    let next = this.current;
    const seenEntities = new Set<string>();
    for (const [i, entry] of entries.entries()) {
      try {
        const entity = validateQuotaEntity(entry.entity);
        const key = quotaEntityKey(entity);
        if (seenEntities.has(key)) throw new InvalidRequestError('The same entity appears twice in the request');
        seenEntities.add(key);
        const values = applyOps(entity, new Map(next.entry(entity)?.values ?? []), entry.ops);
        next = next.with(entity, values);
        changes.push({ key, value: values.size === 0 ? null : quotaValuesJson(values) });
        changedIndexes.push(i);
        results.push({ errorCode: ErrorCode.NONE, errorMessage: null });
      } catch (err) {
        results.push(errorResult(err));
      }
    }
    if (validateOnly || changes.length === 0) return results;
    try {
      await this.quotaStore.commit(changes);
    } catch (err) {
      const failed = errorResult(err);
      for (const i of changedIndexes) results[i] = failed;
      return results;
    }
    // The watch reloaded already (commit resolves after watchers ran); a store without entries in
    // its delta would still be read here.
    this.reload();
    return results;
  }

  private load(): ClientQuotaConfigs {
    return ClientQuotaConfigs.fromEntries(this.quotaStore.entries(), this.opts.onBadEntry);
  }

  private reload(): void {
    const next = this.load();
    this.current = next;
    // Sensors are keyed on the entity that matched; a changed entity may now match differently.
    this.produce.clear();
    this.fetch.clear();
    this.request.clear();
    for (const l of this.listeners) l();
  }
}

function applyOps(entity: QuotaEntity, values: Map<string, number>, ops: QuotaAlteration['ops']): Map<string, number> {
  const seen = new Set<string>();
  for (const op of ops) {
    if (seen.has(op.key)) throw new InvalidRequestError(`Duplicate quota key ${op.key} in one entry`);
    seen.add(op.key);
    if (op.remove) {
      validateQuotaKeyOnly(entity, op.key);
      values.delete(op.key);
    } else {
      validateQuotaValue(entity, op.key, op.value);
      values.set(op.key, op.value);
    }
  }
  return values;
}

/** A remove names a key: it must be one the entity type has (the value is ignored). */
function validateQuotaKeyOnly(entity: QuotaEntity, key: string): void {
  validateQuotaValue(entity, key, 1);
}

function errorResult(err: unknown): QuotaAlterationResult {
  const code = kafkaErrorCode(err);
  const message = err instanceof KafkaError || err instanceof Error ? err.message : String(err);
  return { errorCode: code, errorMessage: message };
}
