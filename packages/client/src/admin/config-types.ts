// Shapes of admin results: topic descriptions, config entries, cluster description.
import type { PartitionInfo } from '../metadata';

export interface TopicDescription {
  readonly name: string;
  readonly topicId: string | null;
  readonly isInternal: boolean;
  readonly partitions: readonly PartitionInfo[];
}

export interface NewTopic {
  name: string;
  /** -1 = broker default. */
  numPartitions?: number;
  /** -1 = broker default. */
  replicationFactor?: number;
  configs?: Record<string, string>;
}

/** DescribeConfigs resource types (Kafka's ConfigResource.Type). */
export const ConfigResourceType = { topic: 2, broker: 4 } as const;
export type ConfigResourceKind = keyof typeof ConfigResourceType;

export interface ConfigEntry {
  readonly name: string;
  readonly value: string | null;
  readonly readOnly: boolean;
  readonly isDefault: boolean;
  /** Kafka's ConfigSource name, e.g. DYNAMIC_TOPIC_CONFIG, DEFAULT_CONFIG. */
  readonly source: string;
  readonly isSensitive: boolean;
  /** With `synonyms: true`: where the value could come from, highest precedence first (its own, a source's name and value). */
  readonly synonyms?: readonly ConfigSynonym[];
}

export interface ConfigSynonym {
  readonly name: string;
  readonly value: string | null;
  /** A CONFIG_SOURCES name. */
  readonly source: string;
}

/** Kafka's DescribeConfigsResponse ConfigSource values. */
export const CONFIG_SOURCES: Readonly<Record<number, string>> = {
  [-1]: 'UNKNOWN',
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
  7: 'CLIENT_METRICS_CONFIG',
  8: 'GROUP_CONFIG',
};

export interface ConfigAlteration {
  /** Keys to set (IncrementalAlterConfigs SET). */
  set?: Record<string, string>;
  /** Keys to return to their default (DELETE). */
  delete?: readonly string[];
}

export interface ClusterDescription {
  readonly clusterId: string | null;
  readonly controllerId: number;
  readonly brokers: ReadonlyArray<{ nodeId: number; host: string; port: number; rack: string | null }>;
  /** Each broker's ApiVersions range per API key (from the connection used). */
  readonly apiVersions: ReadonlyArray<{ apiKey: number; minVersion: number; maxVersion: number }>;
}
