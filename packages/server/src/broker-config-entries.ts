// The broker's settings as DescribeConfigs entries (resource type BROKER), Kafka names and
// read-only: mq has no dynamic broker configs. Topic defaults appear under their log.* names.
import { ConfigSource, ConfigType, TOPIC_CONFIG_DEFS, type ConfigEntry } from '@mq/partition';
import type { BrokerConfig } from './broker-config';

/** Broker name of each topic-level default (Kafka's log.* synonyms). */
const TOPIC_DEFAULT_NAMES: Record<string, string> = {
  'retention.ms': 'log.retention.ms',
  'retention.bytes': 'log.retention.bytes',
  'segment.bytes': 'log.segment.bytes',
  'segment.ms': 'log.roll.ms',
  'cleanup.policy': 'log.cleanup.policy',
  'message.timestamp.type': 'log.message.timestamp.type',
  'max.message.bytes': 'message.max.bytes',
  'flush.messages': 'log.flush.interval.messages',
  'flush.ms': 'log.flush.interval.ms',
  'min.insync.replicas': 'min.insync.replicas',
  'compression.type': 'compression.type',
};

function entry(name: string, value: string, configType: number, isDefault: boolean): ConfigEntry {
  return {
    name,
    value,
    source: isDefault ? ConfigSource.default : ConfigSource.staticBroker,
    isDefault,
    readOnly: true,
    isSensitive: false,
    configType,
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
    entry('log.retention.check.interval.ms', String(c.retentionCheckIntervalMs), ConfigType.long, false),
  ];
  const defaults = c.topicDefaults as Record<string, string>;
  for (const [topicName, brokerName] of Object.entries(TOPIC_DEFAULT_NAMES)) {
    const def = TOPIC_CONFIG_DEFS[topicName];
    if (def === undefined) continue;
    const set = defaults[topicName];
    out.push(entry(brokerName, set ?? def.default, def.type, set === undefined));
  }
  return out;
}
