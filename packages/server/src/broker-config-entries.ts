// The broker's settings as DescribeConfigs entries (resource type BROKER), Kafka names and
// read-only: mq has no dynamic broker configs. Topic defaults appear under their log.* names.
import { ConfigSource, ConfigType, TOPIC_CONFIG_DEFS, type ConfigEntry } from '@mq/partition';
import type { BrokerConfig } from './broker-config';

function entry(name: string, value: string, configType: number, isDefault: boolean): ConfigEntry {
  return {
    name,
    value,
    source: isDefault ? ConfigSource.default : ConfigSource.staticBroker,
    isDefault,
    readOnly: true,
    isSensitive: false,
    configType,
    synonyms: [],
  };
}

export function describeBrokerConfig(c: BrokerConfig): ConfigEntry[] {
  const out: ConfigEntry[] = [
    entry('node.id', String(c.nodeId), ConfigType.int, false),
    entry('broker.id', String(c.nodeId), ConfigType.int, false),
    entry('auto.create.topics.enable', String(c.autoCreateTopicsEnable), ConfigType.boolean, false),
    entry('num.partitions', String(c.numPartitions), ConfigType.int, false),
    entry('default.replication.factor', String(c.defaultReplicationFactor), ConfigType.int, false),
    entry('socket.request.max.bytes', String(c.socketRequestMaxBytes), ConfigType.int, false),
    entry('connections.max.idle.ms', String(c.connectionsMaxIdleMs), ConfigType.long, false),
    entry('fetch.max.bytes', String(c.fetchMaxBytes), ConfigType.int, false),
    entry('queued.max.request.bytes', String(c.queuedMaxRequestBytes), ConfigType.long, false),
    entry('max.connections', String(c.maxConnections), ConfigType.int, false),
    entry('max.connections.per.ip', String(c.maxConnectionsPerIp), ConfigType.int, false),
    entry('log.retention.check.interval.ms', String(c.retentionCheckIntervalMs), ConfigType.long, false),
    entry('log.cleaner.backoff.ms', String(c.logCleanerBackoffMs), ConfigType.long, false),
    entry('max.partitions', String(c.maxPartitions), ConfigType.int, false),
  ];
  if (c.maxOpenFiles !== undefined) out.push(entry('log.max.open.files', String(c.maxOpenFiles), ConfigType.int, false));
  const defaults = c.topicDefaults as Record<string, string>;
  for (const [topicName, def] of Object.entries(TOPIC_CONFIG_DEFS)) {
    if (def.synonym === undefined || out.some((e) => e.name === def.synonym)) continue;
    const set = defaults[topicName];
    out.push(entry(def.synonym, set ?? def.default, def.type, set === undefined));
  }
  return out;
}
