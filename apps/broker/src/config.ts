// Broker configuration: defaults < config file (server.properties or JSON) < MQ_* env vars < flags,
// every key read, typed and range-checked by its row in the one config table (config-table.ts).
import { ConfigValueError, checkConfigValue, parseConfigValue } from '@mq/config';
import type { GroupCoordinatorConfig } from '@mq/groups';
import type { DelayStoreConfig } from '@mq/delay';
import { type TopicConfigInput, topicDefaultFromBrokerProperty } from '@mq/partition';
import type { HttpAuthenticationMethod } from '@mq/http';
import { type BrokerConfig, DEFAULT_BROKER_CONFIG, LISTENER_MAX_CONNECTIONS_DEF, LISTENER_MAX_CONNECTIONS_KEY, type SecurityProtocol, type SslClientAuth } from '@mq/server';
import type { ShareGroupConfig } from '@mq/share';
import type { TransactionCoordinatorConfig } from '@mq/transactions';
import { APP_CONFIG_DEFS, type AppConfigField, type LOG_FORMATS } from './app-config-defs';
import { ConfigError } from './config-error';
import { type BrokerArgs, SOURCE_RANK, type Setting, type SettingSource, envSettings, fileSettings, parseBrokerArgs } from './config-sources';
import { type ConfigRow, configRow } from './config-table';
import { validateBrokerConfig } from './config-validation';
import { validateGroupConfig } from './group-config';
import { controllerListenerNames, ignoredKafkaKey } from './kafka-ignored-keys';
import { parseListenerList, parseListeners, parseProtocolMap, protocolOf } from './listeners';
import { type BrokerSecurityOptions, type BrokerSslOptions, parseBootstrapUsers } from './broker-security';
import { SECURITY_CONFIG_DEFS, type SecurityConfigField } from './security-config-defs';
import type { BrokerOAuthBearerOptions, OAuthBearerValidatorKind } from './broker-oauthbearer';
import type { ClusterOptions } from './cluster-member';
import { brokerBearerOf } from './registry-credentials';
import { DELAY_CONFIG_DEFS, SHARE_CONFIG_DEFS } from './queue-config-defs';
import { type BrokerHttpSecurityOptions, checkHttpSecurity } from './http-security';
import { type BrokerTraceOptions, TRACE_CONFIG_DEFS, type TraceConfigField } from './trace-config-defs';
import { TXN_CONFIG_DEFS } from './txn-config-defs';

export { ConfigError, parseBrokerArgs };
export type { BrokerArgs };

export type LogFormat = (typeof LOG_FORMATS)[number];

export interface BrokerOptions {
  host: string;
  port: number;
  dataDir: string;
  advertisedHost?: string;
  advertisedPort?: number;
  logLevel: string;
  /** Unset: pretty on a terminal, JSON otherwise (main.ts decides). */
  logFormat?: LogFormat;
  config: BrokerConfig;
  /** group.* / offsets.* properties for the group coordinator. */
  groups?: Partial<GroupCoordinatorConfig>;
  /** The HTTP listener; absent (off) unless http.port is set. */
  http?: { host?: string; port: number; consoleDir?: string } & BrokerHttpSecurityOptions;
  /** Cluster mode; absent (a single node) unless etcd.endpoints (--etcd) is set. */
  cluster?: ClusterOptions;
  /** The trace.* keys that were set (sampling, ring, JSONL files, OTLP export). */
  trace?: BrokerTraceOptions;
  /** The share-group keys that were set (group.share.*, share.*, mq.share.*). */
  share?: Partial<ShareGroupConfig>;
  /** The delay store keys that were set (mq.delayed.*). */
  delayed?: Partial<DelayStoreConfig>;
  /** The transaction keys that were set (transaction.*, transactional.id.expiration.ms). */
  transactions?: Partial<TransactionCoordinatorConfig>;
  /** Listeners beyond one PLAINTEXT, TLS and SASL (listeners, listener.security.protocol.map, sasl.*, ssl.*). */
  security?: BrokerSecurityOptions;
  /** Every key that was set, by the name written (broker.id stays broker.id): where from, and its text. */
  settings: Record<string, WrittenSetting>;
  /** Kafka settings that were set but have no effect on mq, with why (main.ts warns once). */
  ignored: readonly IgnoredSetting[];
}

export interface IgnoredSetting {
  readonly key: string;
  readonly reason: string;
}

export interface WrittenSetting {
  readonly source: SettingSource;
  readonly value: string;
}

/** The winning setting per name as written (the highest source; the last of equals). */
function written(settings: readonly Setting[]): Record<string, WrittenSetting> {
  const out: Record<string, WrittenSetting> = {};
  for (const s of settings) {
    const prev = out[s.key];
    if (prev === undefined || SOURCE_RANK[s.source] >= SOURCE_RANK[prev.source]) out[s.key] = { source: s.source, value: configString(s.raw) };
  }
  return out;
}

/** A ConfigValueError from @mq/config becomes the broker's INVALID_CONFIG error. */
function asConfigError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConfigValueError) throw new ConfigError(err.message, { cause: err });
    throw err;
  }
}

/** JSON numbers at or past 2^63 arrive rounded (Long.MAX_VALUE reads as 9223372036854775808). */
function configString(value: unknown): string {
  if (typeof value === 'number' && value >= 2 ** 63) return '9223372036854775807';
  return String(value);
}

interface Resolved {
  readonly row: ConfigRow;
  readonly setting: Setting;
}

/**
 * The winning setting per key: the highest source, then the key itself over its synonyms
 * (node.id over broker.id). Topic defaults are resolved per topic config later (units have priorities).
 */
function resolve(settings: readonly Setting[]): { keys: Map<string, Resolved>; topicDefaults: Setting[]; ignored: IgnoredSetting[]; listenerLimits: Map<string, Setting> } {
  const keys = new Map<string, Resolved & { rank: number }>();
  const listenerLimits = new Map<string, Setting>();
  const topicDefaults: Setting[] = [];
  const unknown: string[] = [];
  const ignored = new Map<string, IgnoredSetting>();
  for (const setting of settings) {
    if (setting.key.startsWith('topic.')) {
      topicDefaults.push(setting);
      continue;
    }
    const perListener = LISTENER_MAX_CONNECTIONS_KEY.exec(setting.key);
    if (perListener !== null) {
      // Listener names are case-insensitive (Kafka normalises them to upper case); the highest source wins.
      const name = perListener[1]!.toUpperCase();
      const prev = listenerLimits.get(name);
      if (prev === undefined || SOURCE_RANK[setting.source] >= SOURCE_RANK[prev.source]) listenerLimits.set(name, setting);
      continue;
    }
    const found = configRow(setting.key);
    if (found === undefined) {
      const reason = ignoredKafkaKey(setting.key);
      if (reason === undefined) unknown.push(setting.key);
      else ignored.set(setting.key, { key: setting.key, reason });
      continue;
    }
    if (found.row.target.component === 'partition') {
      topicDefaults.push(setting);
      continue;
    }
    const rank = SOURCE_RANK[setting.source] * 100 - found.synonymRank;
    const name = found.row.def.name;
    const prev = keys.get(name);
    if (prev === undefined || rank >= prev.rank) keys.set(name, { row: found.row, setting, rank });
  }
  if (unknown.length > 0) throw new ConfigError(`unknown config ${unknown.join(', ')}`);
  return { keys, topicDefaults, ignored: [...ignored.values()], listenerLimits };
}

/** Topic defaults: per topic config the highest source wins, then log.retention.ms over .minutes over .hours. */
function topicDefaultsOf(base: TopicConfigInput, settings: readonly Setting[]): TopicConfigInput {
  const out: Record<string, string> = { ...base };
  const best = new Map<string, [number, number]>();
  for (const s of settings) {
    const set = s.key.startsWith('topic.')
      ? { config: s.key.slice(6), value: configString(s.raw), priority: 0 }
      : asTopicDefault(s.key, configString(s.raw));
    const rank: [number, number] = [SOURCE_RANK[s.source], -set.priority];
    const prev = best.get(set.config);
    if (prev === undefined || rank[0] > prev[0] || (rank[0] === prev[0] && rank[1] >= prev[1])) {
      out[set.config] = set.value;
      best.set(set.config, rank);
    }
  }
  return out;
}

function asTopicDefault(key: string, value: string): { config: string; value: string; priority: number } {
  try {
    return topicDefaultFromBrokerProperty(key, value)!;
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}

/** A group key's value: text that reads as a number is one; anything else is refused as it is. */
function groupValue(row: ConfigRow, s: Setting, toField: number): number {
  const raw = s.raw;
  const n = typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return (checkConfigValue(row.def, n, s.key) as number) * toField;
}

function applyServerKeys(base: BrokerConfig, keys: ReadonlyMap<string, Resolved>, topicDefaults: readonly Setting[], listenerLimits: ReadonlyMap<string, Setting>): BrokerConfig {
  const c = { ...base } as Record<string, unknown>;
  for (const { row, setting } of keys.values()) {
    if (row.target.component !== 'server') continue;
    c[row.target.field] = parseConfigValue(row.def, setting.raw, setting.key);
  }
  if (listenerLimits.size > 0) {
    const limits: Record<string, number> = { ...base.listenerMaxConnections };
    for (const [name, s] of listenerLimits) limits[name] = parseConfigValue(LISTENER_MAX_CONNECTIONS_DEF, s.raw, s.key) as number;
    c.listenerMaxConnections = limits;
  }
  c.topicDefaults = topicDefaultsOf(base.topicDefaults, topicDefaults);
  return validateBrokerConfig(c as unknown as BrokerConfig);
}

/** Applies Kafka-named properties (a config file's object) onto a BrokerConfig; app and group keys are skipped. */
export function applyKafkaProperties(base: BrokerConfig, props: Record<string, unknown>): BrokerConfig {
  const settings = Object.entries(props).map(([key, raw]): Setting => ({ key, raw, source: 'file' }));
  return asConfigError(() => {
    const { keys, topicDefaults, listenerLimits } = resolve(settings);
    return applyServerKeys(base, keys, topicDefaults, listenerLimits);
  });
}

/** Picks the group keys out of resolved settings, in config-field units. */
function groupsOf(keys: ReadonlyMap<string, Resolved>): Partial<GroupCoordinatorConfig> {
  const out: Partial<Record<keyof GroupCoordinatorConfig, number>> = {};
  for (const { row, setting } of keys.values()) {
    if (row.target.component === 'groups') out[row.target.field] = groupValue(row, setting, row.target.toField);
  }
  return validateGroupConfig(out);
}

/** The trace.* keys that were set, as values (the rest keep their defaults). */
function traceOf(keys: ReadonlyMap<string, Resolved>): BrokerTraceOptions | undefined {
  const out: Partial<Record<TraceConfigField, unknown>> = {};
  for (const { row, setting } of keys.values()) {
    if (row.target.component === 'trace') out[row.target.field] = parseConfigValue(TRACE_CONFIG_DEFS[row.target.field], setting.raw, setting.key);
  }
  return Object.keys(out).length === 0 ? undefined : (out as BrokerTraceOptions);
}

/** The share-group and delay-store keys that were set, as values (the rest keep their defaults). */
function queuesOf(keys: ReadonlyMap<string, Resolved>): { share?: Partial<ShareGroupConfig>; delayed?: Partial<DelayStoreConfig> } {
  const share: Record<string, unknown> = {};
  const delayed: Record<string, unknown> = {};
  for (const { row, setting } of keys.values()) {
    if (row.target.component === 'share') share[row.target.field] = parseConfigValue(SHARE_CONFIG_DEFS[row.target.field], setting.raw, setting.key);
    else if (row.target.component === 'delay') delayed[row.target.field] = parseConfigValue(DELAY_CONFIG_DEFS[row.target.field], setting.raw, setting.key);
  }
  return {
    ...(Object.keys(share).length === 0 ? {} : { share: share as Partial<ShareGroupConfig> }),
    ...(Object.keys(delayed).length === 0 ? {} : { delayed: delayed as Partial<DelayStoreConfig> }),
  };
}

/** The transaction keys that were set, as values (the rest keep Kafka's defaults). */
function transactionsOf(keys: ReadonlyMap<string, Resolved>): { transactions?: Partial<TransactionCoordinatorConfig> } {
  const out: Record<string, unknown> = {};
  for (const { row, setting } of keys.values()) {
    if (row.target.component === 'transactions') out[row.target.field] = parseConfigValue(TXN_CONFIG_DEFS[row.target.field], setting.raw, setting.key);
  }
  return Object.keys(out).length === 0 ? {} : { transactions: out as Partial<TransactionCoordinatorConfig> };
}

/** The security keys that were set, as startBroker's `security` options; `listeners` when it names more than one PLAINTEXT listener. */
function securityOf(keys: ReadonlyMap<string, Resolved>, listeners: string | undefined): BrokerSecurityOptions | undefined {
  const v: Partial<Record<SecurityConfigField, string>> = {};
  for (const { row, setting } of keys.values()) {
    if (row.target.component === 'security') {
      const parsed = parseConfigValue(SECURITY_CONFIG_DEFS[row.target.field], setting.raw, setting.key);
      v[row.target.field] = Array.isArray(parsed) ? parsed.join(',') : String(parsed);
    }
  }
  const ssl: BrokerSslOptions = {
    ...(v.sslKeystoreLocation !== undefined ? { keystoreLocation: v.sslKeystoreLocation } : {}),
    ...(v.sslCertificateLocation !== undefined ? { certificateLocation: v.sslCertificateLocation } : {}),
    ...(v.sslKeyLocation !== undefined ? { keyLocation: v.sslKeyLocation } : {}),
    ...(v.sslKeyPassword !== undefined ? { keyPassword: v.sslKeyPassword } : {}),
    ...(v.sslTruststoreLocation !== undefined ? { truststoreLocation: v.sslTruststoreLocation } : {}),
    ...(v.sslClientAuth !== undefined ? { clientAuth: v.sslClientAuth as NonNullable<BrokerSslOptions['clientAuth']> } : {}),
    ...(v.sslEndpointIdentificationAlgorithm !== undefined ? { endpointIdentificationAlgorithm: v.sslEndpointIdentificationAlgorithm === '' ? '' : 'https' } : {}),
  };
  const interBroker = {
    ...(v.saslMechanismInterBrokerProtocol !== undefined ? { mechanism: v.saslMechanismInterBrokerProtocol.toUpperCase() } : {}),
    ...(v.interBrokerSaslUsername !== undefined ? { username: v.interBrokerSaslUsername } : {}),
    ...(v.interBrokerSaslPassword !== undefined ? { password: v.interBrokerSaslPassword } : {}),
  };
  const oauthBearer = oauthBearerOf(v);
  const brokerBearer = brokerBearerOf({
    source: v.confluentBearerAuthCredentialsSource,
    token: v.confluentBearerAuthToken,
    issuerEndpointUrl: v.confluentBearerAuthIssuerEndpointUrl,
    clientId: v.confluentBearerAuthClientId,
    clientSecret: v.confluentBearerAuthClientSecret,
    scope: v.confluentBearerAuthScope,
  });
  const out: BrokerSecurityOptions = {
    ...(listeners !== undefined ? { listeners } : {}),
    ...(v.listenerSecurityProtocolMap !== undefined ? { listenerSecurityProtocolMap: v.listenerSecurityProtocolMap } : {}),
    ...(v.interBrokerListenerName !== undefined ? { interBrokerListenerName: v.interBrokerListenerName } : {}),
    ...(v.securityInterBrokerProtocol !== undefined ? { securityInterBrokerProtocol: v.securityInterBrokerProtocol.toUpperCase() as SecurityProtocol } : {}),
    ...(Object.keys(interBroker).length > 0 ? { interBroker } : {}),
    ...(brokerBearer !== undefined ? { brokerBearer } : {}),
    ...(v.saslBootstrapUsers !== undefined ? { scramUsers: parseBootstrapUsers(v.saslBootstrapUsers) } : {}),
    ...(v.saslEnabledMechanisms !== undefined ? { saslEnabledMechanisms: v.saslEnabledMechanisms.split(',').map((m) => m.trim().toUpperCase()).filter((m) => m !== '') } : {}),
    ...(v.saslJaasConfig !== undefined ? { jaasConfig: v.saslJaasConfig } : {}),
    ...(v.saslJaasFile !== undefined ? { jaasFile: v.saslJaasFile } : {}),
    ...(v.tenantsFile !== undefined ? { tenantsFile: v.tenantsFile } : {}),
    ...(v.tenantsUsagePublishIntervalMs !== undefined ? { tenantsUsagePublishIntervalMs: Number(v.tenantsUsagePublishIntervalMs) } : {}),
    ...(Object.keys(ssl).length > 0 ? { ssl } : {}),
    ...(Object.keys(oauthBearer).length > 0 ? { oauthBearer } : {}),
  };
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The sasl.oauthbearer.* keys that were set (the lists as given, comma-separated). */
function oauthBearerOf(v: Partial<Record<SecurityConfigField, string>>): BrokerOAuthBearerOptions {
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter((x) => x !== '');
  return {
    ...(v.saslOauthbearerValidator !== undefined ? { validator: v.saslOauthbearerValidator as OAuthBearerValidatorKind } : {}),
    ...(v.saslOauthbearerJwksEndpointUrl !== undefined ? { jwksEndpointUrl: v.saslOauthbearerJwksEndpointUrl } : {}),
    ...(v.saslOauthbearerJwksEndpointRefreshMs !== undefined ? { jwksEndpointRefreshMs: Number(v.saslOauthbearerJwksEndpointRefreshMs) } : {}),
    ...(v.saslOauthbearerExpectedAudience !== undefined ? { expectedAudience: list(v.saslOauthbearerExpectedAudience) } : {}),
    ...(v.saslOauthbearerExpectedIssuer !== undefined ? { expectedIssuer: v.saslOauthbearerExpectedIssuer } : {}),
    ...(v.saslOauthbearerSubClaimName !== undefined ? { subClaimName: v.saslOauthbearerSubClaimName } : {}),
    ...(v.saslOauthbearerScopeClaimName !== undefined ? { scopeClaimName: v.saslOauthbearerScopeClaimName } : {}),
    ...(v.saslOauthbearerRequiredScope !== undefined ? { requiredScope: list(v.saslOauthbearerRequiredScope) } : {}),
    ...(v.saslOauthbearerClockSkewSeconds !== undefined ? { clockSkewSeconds: Number(v.saslOauthbearerClockSkewSeconds) } : {}),
  };
}

/** Refused at load, before any start: a listener without a protocol, a TLS listener without a certificate and key. */
function checkListenerSecurity(listeners: readonly { name: string }[], sec: BrokerSecurityOptions | undefined): void {
  const map = parseProtocolMap(sec?.listenerSecurityProtocolMap);
  for (const l of listeners) {
    const p = protocolOf(map, l.name);
    const ssl = sec?.ssl;
    const material = ssl?.keystoreLocation !== undefined || (ssl?.certificateLocation !== undefined && ssl.keyLocation !== undefined);
    if ((p === 'SSL' || p === 'SASL_SSL') && !material) {
      throw new ConfigError(`listeners: ${l.name} (${p}) needs ssl.keystore.location (PEM), or ssl.certificate.location and ssl.key.location`);
    }
  }
}

/** In messages, the app's keys are named in words ("data dir", "advertised port"), as their flags read. */
function label(field: AppConfigField): string {
  return APP_CONFIG_DEFS[field].name.replace(/\./g, ' ');
}

export async function loadBrokerOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<BrokerOptions> {
  const args = parseBrokerArgs(argv);
  const configFile = args.configFile ?? env.MQ_CONFIG;
  const settings = [...(configFile === undefined ? [] : await fileSettings(configFile)), ...envSettings(env), ...args.settings];
  return asConfigError(() => {
    const { keys, topicDefaults, ignored, listenerLimits } = resolve(settings);
    const controllerListeners = controllerListenerNames(settings.findLast((s) => s.key === 'controller.listener.names')?.raw);
    const app = (field: AppConfigField): { value: unknown; rank: number } => {
      const r = keys.get(APP_CONFIG_DEFS[field].name);
      if (r === undefined) {
        const d = APP_CONFIG_DEFS[field].default;
        return { value: d === undefined ? undefined : parseConfigValue(APP_CONFIG_DEFS[field], d, label(field)), rank: 0 };
      }
      return { value: parseConfigValue(r.row.def, r.setting.raw, label(field)), rank: SOURCE_RANK[r.setting.source] };
    };
    const listener = (field: 'listeners' | 'advertisedListeners') => {
      const l = app(field);
      return l.value === undefined ? undefined : { ...parseListeners(APP_CONFIG_DEFS[field].name, String(l.value), controllerListeners), rank: l.rank };
    };
    const host = app('host');
    const port = app('port');
    const listen = listener('listeners');
    const advHost = app('advertisedHost');
    const advPort = app('advertisedPort');
    const advertised = listener('advertisedListeners');
    const useListener = (explicit: { rank: number }, l: { rank: number } | undefined): boolean => l !== undefined && l.rank > explicit.rank;
    const logFormat = app('logFormat').value as LogFormat | undefined;
    const advertisedHost = useListener(advHost, advertised) ? advertised!.host : (advHost.value as string | undefined);
    const advertisedPort = useListener(advPort, advertised) ? advertised!.port : (advPort.value as number | undefined);
    const dataDir = app('dataDir').value as string;
    if (dataDir.includes(',')) throw new ConfigError(`data dir: "${dataDir}" lists several directories; this broker uses one`);
    const httpPort = app('httpPort').value as number | undefined;
    const httpHost = app('httpHost').value as string | undefined;
    const httpConsoleDir = app('httpConsoleDir').value as string | undefined;
    // Only a value that differs from the default reaches the options (startBroker applies the default itself).
    const schemasReplicationFactor = app('schemaRegistryTopicReplicationFactor').value as number;
    const schemasOption = schemasReplicationFactor === Number(APP_CONFIG_DEFS.schemaRegistryTopicReplicationFactor.default) ? {} : { schemaRegistryTopicReplicationFactor: schemasReplicationFactor };
    if (httpHost !== undefined && httpPort === undefined) throw new ConfigError('http host: set http.port (--http-port) too, or the HTTP listener stays off');
    if (httpConsoleDir !== undefined && httpPort === undefined) throw new ConfigError('http console dir: set http.port (--http-port) too, or the HTTP listener stays off');
    const httpMethodsValue = app('httpAuthenticationMethods').value as string[] | string;
    const httpMethods = (Array.isArray(httpMethodsValue) ? httpMethodsValue : httpMethodsValue.split(',')).map((m) => m.trim().toLowerCase()).filter((m) => m !== '' && m !== 'none') as HttpAuthenticationMethod[];
    const httpSsl = app('httpSslEnabled').value === true;
    const httpClientAuth = app('httpSslClientAuth').value as SslClientAuth;
    if (httpClientAuth !== 'none' && !httpSsl) throw new ConfigError('http ssl client auth: set http.ssl.enabled=true too (client certificates need HTTPS)');
    const httpSecurityOptions: BrokerHttpSecurityOptions = {
      ...(httpMethods.length > 0 ? { authentication: httpMethods } : {}),
      ...(httpSsl ? { ssl: { clientAuth: httpClientAuth } } : {}),
    };
    checkHttpSecurity(httpSecurityOptions);
    if (httpPort === undefined && (httpMethods.length > 0 || httpSsl)) throw new ConfigError('http authentication / ssl: set http.port (--http-port) too, or the HTTP listener stays off');
    const etcd = app('etcdEndpoints').value as string[] | string | undefined;
    const endpoints = (Array.isArray(etcd) ? etcd : etcd === undefined ? [] : etcd.split(',')).map((e) => e.trim()).filter((e) => e !== '');
    const rack = app('brokerRack').value as string | undefined;
    if (rack !== undefined && endpoints.length === 0) throw new ConfigError('broker rack: only a cluster member has a rack; set etcd.endpoints (--etcd) too');
    const trace = traceOf(keys);
    // One PLAINTEXT listener keeps the host/port path; anything more is the security options' listener list.
    const listenersValue = app('listeners').value;
    const listenerList =
      listenersValue === undefined ? undefined : parseListenerList('listeners', Array.isArray(listenersValue) ? listenersValue.join(',') : String(listenersValue), controllerListeners);
    const many = listenerList !== undefined && (listenerList.length > 1 || listenerList[0]!.name !== 'PLAINTEXT');
    const advertisedValue = app('advertisedListeners').value;
    const security = securityOf(keys, many ? listenerList.map((l) => `${l.name}://${l.host.includes(':') ? `[${l.host}]` : l.host}:${l.port}`).join(',') : undefined);
    if (many) checkListenerSecurity(listenerList, security);
    const securityAll =
      many && advertisedValue !== undefined
        ? { ...security, advertisedListeners: Array.isArray(advertisedValue) ? advertisedValue.join(',') : String(advertisedValue) }
        : security;
    const cluster: ClusterOptions | undefined =
      endpoints.length === 0 ? undefined : {
            etcd: endpoints,
            sessionTimeoutMs: app('brokerSessionTimeoutMs').value as number,
            replicaLagTimeMaxMs: app('replicaLagTimeMaxMs').value as number,
            leaderRebalance: {
              enabled: app('autoLeaderRebalanceEnable').value as boolean,
              checkIntervalMs: Number(app('leaderImbalanceCheckIntervalSeconds').value) * 1000,
              imbalancePercentage: app('leaderImbalancePerBrokerPercentage').value as number,
            },
            ...(rack === undefined ? {} : { rack }) };
    return {
      host: useListener(host, listen) ? listen!.host : (host.value as string),
      port: useListener(port, listen) ? listen!.port : (port.value as number),
      dataDir,
      logLevel: app('logLevel').value as string,
      ...(logFormat === undefined ? {} : { logFormat }),
      config: applyServerKeys(DEFAULT_BROKER_CONFIG, keys, topicDefaults, listenerLimits),
      groups: groupsOf(keys),
      settings: written(settings),
      ignored,
      ...(advertisedHost === undefined ? {} : { advertisedHost }),
      ...(advertisedPort === undefined ? {} : { advertisedPort }),
      ...(httpPort === undefined ? {} : { http: { port: httpPort, ...schemasOption, ...(httpHost === undefined ? {} : { host: httpHost }), ...(httpConsoleDir === undefined ? {} : { consoleDir: httpConsoleDir }), ...httpSecurityOptions } }),
      ...(cluster === undefined ? {} : { cluster }),
      ...(trace === undefined ? {} : { trace }),
      ...queuesOf(keys),
      ...transactionsOf(keys),
      ...(securityAll === undefined ? {} : { security: securityAll }),
    };
  });
}
