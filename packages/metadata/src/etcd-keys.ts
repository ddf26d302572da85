// The etcd key layout of one cluster (under a prefix, default "/mq/"), and the JSON each key holds.
// brokers/<nodeId> (under the broker's lease) · controller (under the controller's lease) ·
// controller-epoch · topics/<name> · partitions/<name>/<index> · producer-ids ·
// entries/<namespace>/<key> (the key may itself hold "/"; the value is stored as is).
// Beside it, outside the prefix (so the metadata watch never sees them): `<prefix minus its "/">
// .reports/<kind>/<nodeId>`, each broker's measurements under a lease (@mq/controller BrokerReports).
import type { BrokerRegistration, ControllerRegistration, PartitionState } from './cluster-image';
import type { MetadataRecord } from './metadata-record';

export class EtcdKeys {
  readonly prefix: string;
  constructor(prefix = '/mq/') {
    this.prefix = prefix.endsWith('/') ? prefix : `${prefix}/`;
  }
  broker(nodeId: number): string {
    return `${this.prefix}brokers/${nodeId}`;
  }
  get brokersPrefix(): string {
    return `${this.prefix}brokers/`;
  }
  get controller(): string {
    return `${this.prefix}controller`;
  }
  get controllerEpoch(): string {
    return `${this.prefix}controller-epoch`;
  }
  topic(name: string): string {
    return `${this.prefix}topics/${name}`;
  }
  partition(topic: string, index: number): string {
    return `${this.prefix}partitions/${topic}/${index}`;
  }
  partitionsOf(topic: string): string {
    return `${this.prefix}partitions/${topic}/`;
  }
  get producerIds(): string {
    return `${this.prefix}producer-ids`;
  }
  /**
   * Where brokers publish their `kind` of report (`/mq.reports/tenant-usage/` for "/mq/"): not under
   * the metadata prefix, so reports are no metadata deltas and never reach the image.
   */
  reportsPrefix(kind: string): string {
    return `${this.prefix.slice(0, -1)}.reports/${kind}/`;
  }
  entry(namespace: string, key: string): string {
    return `${this.prefix}entries/${namespace}/${key}`;
  }
}

export interface StoredTopic {
  readonly topicId: string;
  readonly configs: Readonly<Record<string, string>>;
}

/** One key's value as the record it stands for; undefined for keys this layout does not know. */
export function recordOf(keys: EtcdKeys, key: string, value: string | undefined): MetadataRecord | undefined {
  if (!key.startsWith(keys.prefix)) return undefined;
  const rest = key.slice(keys.prefix.length);
  if (rest === 'controller') {
    return { type: 'controller', controller: value === undefined ? undefined : (JSON.parse(value) as ControllerRegistration) };
  }
  if (rest === 'producer-ids') return value === undefined ? undefined : { type: 'producerIds', nextBlockStart: BigInt(value) };
  if (rest.startsWith('entries/')) {
    const slash = rest.indexOf('/', 'entries/'.length);
    if (slash < 0) return undefined;
    return { type: 'entry', namespace: rest.slice('entries/'.length, slash), key: rest.slice(slash + 1), value: value ?? null };
  }
  const [kind, name, index] = rest.split('/');
  if (kind === 'brokers' && name !== undefined) {
    if (value === undefined) return { type: 'unregisterBroker', nodeId: Number(name) };
    return { type: 'registerBroker', broker: JSON.parse(value) as BrokerRegistration };
  }
  if (kind === 'topics' && name !== undefined) {
    if (value === undefined) return { type: 'removeTopic', name };
    const t = JSON.parse(value) as StoredTopic;
    return { type: 'topic', name, topicId: t.topicId, configs: t.configs };
  }
  if (kind === 'partitions' && name !== undefined && index !== undefined && value !== undefined) {
    return { type: 'partition', state: JSON.parse(value) as PartitionState };
  }
  return undefined;
}
