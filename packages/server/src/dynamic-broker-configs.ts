// Dynamic broker configs (Kafka's DynamicBrokerConfig / ConfigType.BROKER): keys changed at run time
// with AlterConfigs / IncrementalAlterConfigs on the BROKER resource — per broker (name = its id) or
// cluster-wide (the empty name, Kafka's <default>) — stored on the metadata entries seam (meta/ on
// one node, etcd in a cluster: every broker's watch sees every change) and applied live. Precedence
// as Kafka: this broker's value, else the cluster default, else the key's default.
import { type ConfigDef, ConfigValueError, parseConfigValue } from '@mq/config';
import { type MetadataStore, entriesOf } from '@mq/metadata';
import { type AlterConfigOp, type ConfigEntry, type ConfigSynonym, InvalidConfigError, InvalidRequestError } from '@mq/partition';

export const BROKER_CONFIG_NAMESPACE = 'broker-config';
/** How Kafka's ZooKeeper paths and kafka-configs spell the cluster-wide default resource. */
export const DEFAULT_BROKER_ENTITY = '<default>';

/** DescribeConfigs ConfigSource of a dynamic broker value. */
const DYNAMIC_BROKER_CONFIG = 2;
const DYNAMIC_DEFAULT_BROKER_CONFIG = 3;
const DEFAULT_CONFIG = 5;
const LONG_TYPE = 5;

const dynamic = { dynamic: true, scope: 'broker' } as const;
/** Kafka's Long.MAX_VALUE: no throttle. */
const LONG_MAX = '9223372036854775807';

/** Every dynamic broker key (the generated reference lists them apart from the static ones). */
export const DYNAMIC_BROKER_CONFIG_DEFS: Readonly<Record<'leaderReplicationThrottledRate' | 'followerReplicationThrottledRate', ConfigDef>> = {
  leaderReplicationThrottledRate: {
    ...dynamic,
    name: 'leader.replication.throttled.rate',
    type: 'long',
    default: LONG_MAX,
    // Number(LONG_MAX) is 2^63: Long.MAX_VALUE as JSON numbers carry it.
    range: { min: 0, max: 2 ** 63 },
    validText: '[0, ...]',
    importance: 'medium',
    doc:
      'Cluster mode, bytes/s: what this broker, as leader, sends to followers outside the ISR for the partitions ' +
      '`leader.replication.throttled.replicas` names on it, measured over replication.quota.window.* (Kafka’s replication quota). ' +
      'Followers in the ISR are never throttled. Set per broker or cluster-wide (the empty broker name); applied at once.',
  },
  followerReplicationThrottledRate: {
    ...dynamic,
    name: 'follower.replication.throttled.rate',
    type: 'long',
    default: LONG_MAX,
    range: { min: 0, max: 2 ** 63 },
    validText: '[0, ...]',
    importance: 'medium',
    doc:
      'Cluster mode, bytes/s: what this broker’s replica fetchers fetch for the partitions `follower.replication.throttled.replicas` ' +
      'names on it while those replicas are not caught up. Set per broker or cluster-wide; applied at once.',
  },
};

const DEFS_BY_NAME = new Map(Object.values(DYNAMIC_BROKER_CONFIG_DEFS).map((d) => [d.name, d]));

export type DynamicBrokerConfigChange = { readonly replace: Readonly<Record<string, string>> } | { readonly ops: readonly AlterConfigOp[] };

export interface DynamicBrokerConfigsOptions {
  readonly store: MetadataStore;
  readonly nodeId: number;
  /** Told about stored entries this version cannot read (they are skipped). */
  readonly onBadEntry?: (key: string, reason: string) => void;
}

/** The stored key of a BROKER resource name: its broker id, or <default> for the empty name. */
function entityOf(resourceName: string): string {
  if (resourceName === '') return DEFAULT_BROKER_ENTITY;
  if (!/^\d+$/.test(resourceName) || Number(resourceName) > 2_147_483_647) throw new InvalidRequestError(`Invalid broker name "${resourceName}": a broker id or the empty name (the cluster default)`);
  return String(Number(resourceName));
}

function checkValue(def: ConfigDef, value: string): string {
  try {
    parseConfigValue(def, value);
    return value.trim();
  } catch (err) {
    if (err instanceof ConfigValueError) throw new InvalidConfigError(err.message);
    throw err;
  }
}

function defOf(name: string): ConfigDef {
  const def = DEFS_BY_NAME.get(name);
  if (def === undefined) throw new InvalidConfigError(`${name} is not a dynamic broker config (dynamic: ${[...DEFS_BY_NAME.keys()].join(', ')}); the others are read at start`);
  return def;
}

export class DynamicBrokerConfigs {
  private current = new Map<string, Readonly<Record<string, string>>>();
  private readonly unwatch: () => void;
  private readonly listeners = new Set<() => void>();
  /** Alterations run one at a time: each reads what the previous one stored. */
  private altering: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: DynamicBrokerConfigsOptions) {
    this.reload();
    this.unwatch = opts.store.watch((delta) => {
      if (delta.entriesChanged().some((c) => c.namespace === BROKER_CONFIG_NAMESPACE)) this.reload();
    });
  }

  /** The dynamic values stored for a BROKER resource ('' = the cluster default). */
  valuesOf(resourceName: string): Readonly<Record<string, string>> {
    return this.current.get(entityOf(resourceName)) ?? {};
  }

  /** This broker's value of a dynamic key: its own, else the cluster default, else the key's default. */
  effective(name: string): string {
    const def = defOf(name);
    return this.current.get(String(this.opts.nodeId))?.[name] ?? this.current.get(DEFAULT_BROKER_ENTITY)?.[name] ?? def.default!;
  }

  /** Called after every change of the stored values (this broker's or another's). Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * AlterConfigs (`replace`: the resource's whole dynamic set) or IncrementalAlterConfigs (`ops`) on
   * a BROKER resource; any broker may alter any broker's (the store is shared, as Kafka's
   * controller takes them from any broker). Throws InvalidRequestError for a bad name,
   * InvalidConfigError for an unknown or static key, a bad value or APPEND/SUBTRACT on a non-list.
   * Resolves once this broker applies the change.
   */
  alter(resourceName: string, change: DynamicBrokerConfigChange, validateOnly: boolean): Promise<void> {
    const run = this.altering.then(() => this.alterNow(resourceName, change, validateOnly));
    this.altering = run.catch(() => undefined);
    return run;
  }

  /**
   * DescribeConfigs of a broker id: the static entries plus each dynamic key as it applies to this
   * broker — DYNAMIC_BROKER_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG or DEFAULT_CONFIG, with Kafka's
   * synonyms in that order. Of the empty name (the cluster default, kafka-configs --entity-default):
   * only the dynamic keys set there, as Kafka's ConfigHelper answers it (its
   * currentDynamicDefaultConfigs, synonyms without a broker's own value) — static settings belong
   * to each broker, not to the cluster default, and a key not set there is not listed.
   */
  describe(staticEntries: readonly ConfigEntry[], resourceName: string): ConfigEntry[] {
    const own = resourceName === '' ? {} : this.valuesOf(resourceName);
    const cluster = this.current.get(DEFAULT_BROKER_ENTITY) ?? {};
    const defs = resourceName === '' ? [...DEFS_BY_NAME.values()].filter((def) => cluster[def.name] !== undefined) : [...DEFS_BY_NAME.values()];
    const dynamicEntries = defs.map((def): ConfigEntry => {
      const synonyms: ConfigSynonym[] = [];
      if (own[def.name] !== undefined) synonyms.push({ name: def.name, value: own[def.name]!, source: DYNAMIC_BROKER_CONFIG });
      if (cluster[def.name] !== undefined) synonyms.push({ name: def.name, value: cluster[def.name]!, source: DYNAMIC_DEFAULT_BROKER_CONFIG });
      synonyms.push({ name: def.name, value: def.default!, source: DEFAULT_CONFIG });
      const top = synonyms[0]!;
      return { name: def.name, value: top.value, source: top.source, isDefault: top.source === DEFAULT_CONFIG, readOnly: false, isSensitive: false, configType: LONG_TYPE, synonyms, documentation: def.doc };
    });
    if (resourceName === '') return dynamicEntries;
    return [...staticEntries.filter((e) => !DEFS_BY_NAME.has(e.name)), ...dynamicEntries];
  }

  close(): void {
    this.unwatch();
    this.listeners.clear();
  }

  private async alterNow(resourceName: string, change: DynamicBrokerConfigChange, validateOnly: boolean): Promise<void> {
    const entity = entityOf(resourceName);
    const next: Record<string, string> = 'replace' in change ? {} : { ...(this.current.get(entity) ?? {}) };
    if ('replace' in change) {
      for (const [name, value] of Object.entries(change.replace)) next[name] = checkValue(defOf(name), value);
    } else {
      for (const op of change.ops) {
        const def = defOf(op.name);
        if (op.op === 'delete') delete next[op.name];
        else if (op.op === 'set') next[op.name] = checkValue(def, op.value);
        else throw new InvalidConfigError(`${op.op} is only valid for list configs, not ${op.name}`);
      }
    }
    if (validateOnly) return;
    const value = Object.keys(next).length === 0 ? null : JSON.stringify(next);
    // Applied by the watch: both stores run their watchers before commit resolves.
    await this.opts.store.commit([{ type: 'entry', namespace: BROKER_CONFIG_NAMESPACE, key: entity, value }]);
  }

  private reload(): void {
    const next = new Map<string, Readonly<Record<string, string>>>();
    for (const [key, json] of entriesOf(this.opts.store.image, BROKER_CONFIG_NAMESPACE)) {
      try {
        const values = JSON.parse(json) as unknown;
        if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new Error('not an object');
        const out: Record<string, string> = {};
        for (const [name, v] of Object.entries(values)) {
          const def = DEFS_BY_NAME.get(name);
          if (def === undefined || typeof v !== 'string') throw new Error(`unknown key or non-string value: ${name}`);
          out[name] = checkValue(def, v);
        }
        next.set(key, out);
      } catch (err) {
        this.opts.onBadEntry?.(key, (err as Error).message);
      }
    }
    this.current = next;
    for (const l of this.listeners) l();
  }
}
