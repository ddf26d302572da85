// Broker configuration: defaults < JSON config file < MQ_* env vars < command-line flags.
// The config file uses Kafka's server.properties names ("num.partitions", "log.retention.ms", ...).
import { readFile } from 'node:fs/promises';
import { DEFAULT_BROKER_CONFIG, type BrokerConfig } from '@mq/server';
import { topicDefaultFromBrokerProperty, type BrokerTopicDefault, type TopicConfigInput } from '@mq/partition';
import type { GroupCoordinatorConfig } from '@mq/groups';
import { GROUP_PROPERTY_KEYS, groupCoordinatorProperties } from './group-config';
import { ConfigError } from './config-error';
import { allowedRange, validateBrokerConfig } from './config-validation';

export { ConfigError };

export interface BrokerOptions {
  host: string;
  port: number;
  dataDir: string;
  advertisedHost?: string;
  advertisedPort?: number;
  logLevel: string;
  config: BrokerConfig;
  /** group.* / offsets.* properties for the group coordinator. */
  groups?: Partial<GroupCoordinatorConfig>;
  /** The HTTP listener; absent (off) unless http.port is set. */
  http?: { host?: string; port: number };
}

const FLAG_NAMES: Record<string, string> = {
  '--host': 'host',
  '--port': 'port',
  '--data-dir': 'dataDir',
  '--config': 'configFile',
  '--log-level': 'logLevel',
  '--advertised-host': 'advertisedHost',
  '--advertised-port': 'advertisedPort',
  '--http-port': 'httpPort',
  '--http-host': 'httpHost',
};

/** Parses `--flag value` and `--flag=value`; unknown flags are an error (typos must not pass silently). */
export function parseFlags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      throw new ConfigError(
        'usage: mq-broker [--host 127.0.0.1] [--port 9092] [--data-dir ./data] [--config file.json] ' +
          '[--log-level info] [--advertised-host H] [--advertised-port P] [--http-port 9644] [--http-host H]',
      );
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = FLAG_NAMES[flag];
    if (key === undefined) throw new ConfigError(`unknown flag ${flag}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new ConfigError(`flag ${flag} needs a value`);
    out[key] = value;
  }
  return out;
}

function parsePort(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`${name}: not a port: ${raw}`);
  return n;
}

function num(key: string, v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new ConfigError(`${key}: not a number: ${String(v)}${allowedRange(key)}`);
  return n;
}

function nonEmpty(name: string, value: string): string {
  if (value.trim() === '') throw new ConfigError(`${name}: must not be empty`);
  return value;
}

/** pino's levels; anything else would only fail later inside pino without naming the setting. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function checkLogLevel(value: string): string {
  if (!LOG_LEVELS.includes(value)) throw new ConfigError(`log level: "${value}" is not one of ${LOG_LEVELS.join(', ')}`);
  return value;
}

function bool(key: string, v: unknown): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new ConfigError(`${key}: not a boolean: ${String(v)}`);
}

/**
 * A JSON value as Kafka's string form. JSON numbers above 2^53 arrive rounded (Long.MAX_VALUE reads
 * as 9223372036854775808), so anything at or past Long.MAX_VALUE means Long.MAX_VALUE.
 */
function configString(value: unknown): string {
  if (typeof value === 'number' && value >= 2 ** 63) return '9223372036854775807';
  return String(value);
}

/** Applies Kafka-named properties from a config file onto a BrokerConfig. */
/** A broker property's topic default (converted from hours / minutes); a bad value is a ConfigError. */
function brokerTopicDefault(key: string, value: unknown): BrokerTopicDefault | undefined {
  try {
    return topicDefaultFromBrokerProperty(key, configString(value));
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
}

export function applyKafkaProperties(base: BrokerConfig, props: Record<string, unknown>): BrokerConfig {
  const topicDefaults: Record<string, string> = { ...(base.topicDefaults as Record<string, string>) };
  const topicDefaultPriority = new Map<string, number>();
  const c = { ...base } as { -readonly [K in keyof BrokerConfig]: BrokerConfig[K] };
  for (const [key, value] of Object.entries(props)) {
    if (['host', 'port', 'data.dir', 'advertised.host', 'advertised.port', 'log.level', 'http.port', 'http.host'].includes(key)) continue;
    if (key in GROUP_PROPERTY_KEYS) continue; // read by groupCoordinatorProperties
    switch (key) {
      case 'node.id':
      case 'broker.id':
        c.nodeId = num(key, value);
        break;
      case 'auto.create.topics.enable':
        c.autoCreateTopicsEnable = bool(key, value);
        break;
      case 'num.partitions':
        c.numPartitions = num(key, value);
        break;
      case 'default.replication.factor':
        c.defaultReplicationFactor = num(key, value);
        break;
      case 'socket.request.max.bytes':
        c.socketRequestMaxBytes = num(key, value);
        break;
      case 'connections.max.idle.ms':
        c.connectionsMaxIdleMs = num(key, value);
        break;
      case 'log.retention.check.interval.ms':
        c.retentionCheckIntervalMs = num(key, value);
        break;
      // Ranges of these (and every numeric setting) live in config-validation.ts's one table.
      case 'fetch.max.bytes':
        c.fetchMaxBytes = num(key, value);
        break;
      case 'queued.max.request.bytes':
        c.queuedMaxRequestBytes = num(key, value);
        break;
      case 'max.connections':
        c.maxConnections = num(key, value);
        break;
      case 'max.connections.per.ip':
        c.maxConnectionsPerIp = num(key, value);
        break;
      case 'log.cleaner.backoff.ms':
        c.logCleanerBackoffMs = num(key, value);
        break;
      case 'max.partitions':
        c.maxPartitions = num(key, value);
        break;
      case 'log.max.open.files':
        c.maxOpenFiles = num(key, value);
        break;
      default: {
        const set = key.startsWith('topic.') ? { config: key.slice(6), value: configString(value), priority: 0 } : brokerTopicDefault(key, value);
        if (set === undefined) throw new ConfigError(`unknown config ${key}`);
        // As Kafka: log.retention.ms beats .minutes beats .hours, whatever order the file lists them in.
        if (set.priority <= (topicDefaultPriority.get(set.config) ?? Number.POSITIVE_INFINITY)) {
          topicDefaults[set.config] = set.value;
          topicDefaultPriority.set(set.config, set.priority);
        }
      }
    }
  }
  c.topicDefaults = topicDefaults as TopicConfigInput;
  return validateBrokerConfig(c);
}

export async function loadBrokerOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<BrokerOptions> {
  const flags = parseFlags(argv);
  const configFile = flags.configFile ?? env.MQ_CONFIG;
  let file: Record<string, unknown> = {};
  if (configFile !== undefined) {
    const text = await readFile(configFile, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`${configFile}: not valid JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConfigError(`${configFile}: expected a JSON object`);
    }
    file = parsed as Record<string, unknown>;
  }
  const pick = (flag: string | undefined, envName: string, fileKey: string): string | undefined =>
    flag ?? env[envName] ?? (file[fileKey] === undefined ? undefined : String(file[fileKey]));
  const host = nonEmpty('host', pick(flags.host, 'MQ_HOST', 'host') ?? '127.0.0.1');
  const port = parsePort('port', pick(flags.port, 'MQ_PORT', 'port') ?? '9092');
  const dataDir = nonEmpty('data dir', pick(flags.dataDir, 'MQ_DATA_DIR', 'data.dir') ?? './data');
  const logLevel = checkLogLevel(pick(flags.logLevel, 'MQ_LOG_LEVEL', 'log.level') ?? 'info');
  const advertisedHostRaw = pick(flags.advertisedHost, 'MQ_ADVERTISED_HOST', 'advertised.host');
  const advertisedHost = advertisedHostRaw === undefined ? undefined : nonEmpty('advertised host', advertisedHostRaw);
  const advertisedPortRaw = pick(flags.advertisedPort, 'MQ_ADVERTISED_PORT', 'advertised.port');
  const config = applyKafkaProperties(DEFAULT_BROKER_CONFIG, file);
  const httpPortRaw = pick(flags.httpPort, 'MQ_HTTP_PORT', 'http.port');
  const httpHostRaw = pick(flags.httpHost, 'MQ_HTTP_HOST', 'http.host');
  if (httpHostRaw !== undefined && httpPortRaw === undefined) throw new ConfigError('http host: set http.port (--http-port) too, or the HTTP listener stays off');
  return {
    host,
    port,
    dataDir,
    logLevel,
    config,
    groups: groupCoordinatorProperties(file),
    ...(advertisedHost !== undefined ? { advertisedHost } : {}),
    ...(advertisedPortRaw !== undefined ? { advertisedPort: parsePort('advertised port', advertisedPortRaw) } : {}),
    ...(httpPortRaw !== undefined
      ? { http: { port: parsePort('http port', httpPortRaw), ...(httpHostRaw !== undefined ? { host: nonEmpty('http host', httpHostRaw) } : {}) } }
      : {}),
  };
}
