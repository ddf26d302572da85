// startBroker({ security }): the typed form of the security keys (listeners, advertised.listeners,
// listener.security.protocol.map, sasl.*, ssl.*), resolved into the server's listeners, the SASL
// authenticator and the SCRAM credential store (the metadata store's `scram` namespace).
import { readFile } from 'node:fs/promises';
import {
  type OAuthBearerValidator,
  PlainUsers,
  SUPPORTED_SASL_MECHANISMS,
  SaslAuthenticator,
  ScramCredentialStore,
  credentialFromPassword,
  scramMechanism,
  type ScramMechanismName,
} from '@mq/auth';
import type { MetadataStore } from '@mq/metadata';
import type { TenantDefinition } from '@mq/quota';
import type { Clock } from '@mq/timerwheel';
import { type ListenerConfig, type SecurityProtocol, type SslClientAuth, type TlsListenerOptions, usesSasl, usesTls } from '@mq/server';
import type { Logger } from 'pino';
import { isLoopback } from './banner';
import { type BrokerOAuthBearerOptions, oauthBearerSetup } from './broker-oauthbearer';
import { ConfigError } from './config-error';
import { type NamedListener, parseListenerList, parseProtocolMap, protocolOf } from './listeners';
import { interBrokerListenerName } from './inter-broker';
import type { BrokerBearerOptions } from './registry-credentials';
import type { SecurityConfigField } from './security-config-defs';

/** TLS material: PEM files (Kafka's ssl.keystore.* with type PEM, or librdkafka-style certificate/key files) or PEM text. */
export interface BrokerSslOptions {
  /** ssl.keystore.location: one PEM file holding the private key and the certificate chain. */
  keystoreLocation?: string;
  /** ssl.certificate.location / ssl.key.location: the chain and the key in two PEM files. */
  certificateLocation?: string;
  keyLocation?: string;
  /** ssl.key.password: the key's passphrase (an encrypted PEM key). */
  keyPassword?: string;
  /** ssl.truststore.location: PEM CA certificates client certificates must chain to. */
  truststoreLocation?: string;
  /** PEM text instead of files (tests). */
  key?: string | Buffer;
  cert?: string | Buffer;
  ca?: string | Buffer;
  /** ssl.client.auth; default none. */
  clientAuth?: SslClientAuth;
  /** ssl.endpoint.identification.algorithm: 'https' (default) checks another broker's certificate names its address; '' does not. */
  endpointIdentificationAlgorithm?: 'https' | '';
}

/** How this broker authenticates to the others on a SASL inter-broker listener. */
export interface BrokerInterBrokerSasl {
  /** sasl.mechanism.inter.broker.protocol; default SCRAM-SHA-512. */
  mechanism?: string;
  /** inter.broker.sasl.username / inter.broker.sasl.password (mq's, for Kafka's per-listener JAAS username / password). */
  username?: string;
  password?: string;
}

export interface BrokerScramUser {
  name: string;
  mechanism: ScramMechanismName;
  password: string;
  iterations?: number;
}

export interface BrokerSecurityOptions {
  /** Kafka's `listeners`: `NAME://host:port,...`; default one PLAINTEXT listener on startBroker's host/port. */
  listeners?: string;
  /** `advertised.listeners`: per listener name, the address clients of that listener are told. */
  advertisedListeners?: string;
  /** `listener.security.protocol.map`: `NAME:PROTOCOL,...` (names that are protocols map to themselves). */
  listenerSecurityProtocolMap?: string;
  /** `inter.broker.listener.name`: the listener other brokers use (checked to exist); default the first. */
  interBrokerListenerName?: string;
  /** `security.inter.broker.protocol`: instead of the name, the listener named after this protocol. */
  securityInterBrokerProtocol?: SecurityProtocol;
  /** The broker's own SASL credentials towards other brokers. */
  interBroker?: BrokerInterBrokerSasl;
  /** confluent.bearer.auth.*: the bearer token of the broker's own HTTP requests to other brokers. */
  brokerBearer?: BrokerBearerOptions;
  /** `sasl.enabled.mechanisms`; default SCRAM-SHA-256 and SCRAM-SHA-512, plus PLAIN when PLAIN users are configured. */
  saslEnabledMechanisms?: readonly string[];
  /** PLAIN users by name (beside those of jaasConfig / jaasFile). */
  plainUsers?: Readonly<Record<string, string>>;
  /** `sasl.jaas.config`: PlainLoginModule options; every `user_<name>="<password>"` is a PLAIN user. */
  jaasConfig?: string;
  /** `mq.sasl.jaas.file`: a JAAS file (Kafka's KafkaServer { ... }; section) read for the same `user_<name>` options. */
  jaasFile?: string;
  ssl?: BrokerSslOptions;
  /** SCRAM users created at start when they have no credential of that mechanism yet (bootstrapping an admin, tests). */
  scramUsers?: readonly BrokerScramUser[];
  /** How OAUTHBEARER (when in saslEnabledMechanisms) checks tokens: sasl.oauthbearer.* keys. */
  oauthBearer?: BrokerOAuthBearerOptions;
  /** Tenants: principal prefixes with their resources, shared quotas and a storage limit. */
  tenants?: readonly TenantDefinition[];
  /** `mq.tenants.file`: more tenants, from a JSON file. */
  tenantsFile?: string;
  /** `mq.tenants.usage.publish.interval.ms`: in a cluster, how often this broker publishes its tenants' bytes (default 1000). */
  tenantsUsagePublishIntervalMs?: number;
}

export interface ResolvedSecurity {
  readonly listeners: readonly ListenerConfig[];
  readonly sasl: SaslAuthenticator | undefined;
  /** sasl.enabled.mechanisms as resolved (empty without a SASL listener). */
  readonly mechanisms: readonly string[];
}

export interface DefaultListener {
  readonly host: string;
  readonly port: number;
  readonly advertisedHost?: string | undefined;
  readonly advertisedPort?: number | undefined;
}

/** The listeners and TLS material; read before any socket is bound, so a bad file is a ConfigError at start. */
export async function resolveListeners(sec: BrokerSecurityOptions | undefined, dflt: DefaultListener): Promise<readonly ListenerConfig[]> {
  if (sec?.listeners === undefined) {
    return [{ name: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: dflt.host, port: dflt.port, advertisedHost: dflt.advertisedHost, advertisedPort: dflt.advertisedPort }];
  }
  const map = parseProtocolMap(sec.listenerSecurityProtocolMap);
  const listed = parseListenerList('listeners', sec.listeners);
  const advertised = new Map<string, NamedListener>((sec.advertisedListeners === undefined ? [] : parseListenerList('advertised.listeners', sec.advertisedListeners)).map((l) => [l.name, l]));
  for (const name of advertised.keys()) {
    if (!listed.some((l) => l.name === name)) throw new ConfigError(`advertised.listeners: ${name} is not one of listeners (${listed.map((l) => l.name).join(', ')})`);
  }
  interBrokerListenerName(sec, listed);
  const protocols = listed.map((l) => protocolOf(map, l.name));
  const tls = protocols.some(usesTls) ? await tlsOptions(sec.ssl) : undefined;
  return listed.map((l, i): ListenerConfig => {
    const protocol = protocols[i]!;
    const adv = advertised.get(l.name);
    return {
      name: l.name,
      securityProtocol: protocol,
      host: l.host,
      port: l.port,
      advertisedHost: adv?.host,
      advertisedPort: adv?.port,
      tls: usesTls(protocol) ? tls : undefined,
    };
  });
}

/** The SASL side, once the metadata store (where SCRAM credentials live) is open. */
export async function resolveSasl(
  sec: BrokerSecurityOptions | undefined,
  listeners: readonly ListenerConfig[],
  store: MetadataStore,
  clock: Clock,
  logger: Logger,
): Promise<ResolvedSecurity & { readonly scram: ScramCredentialStore; readonly oauthBearer?: OAuthBearerValidator; readonly close: () => void }> {
  const scram = new ScramCredentialStore(store);
  await bootstrapScramUsers(scram, sec?.scramUsers ?? [], logger);
  if (!listeners.some((l) => usesSasl(l.securityProtocol))) return { listeners, sasl: undefined, mechanisms: [], scram, close: () => undefined };
  const plain = await plainUsers(sec);
  const mechanisms = sec?.saslEnabledMechanisms ?? [...(plain.size > 0 ? ['PLAIN'] : []), 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
  for (const m of mechanisms) {
    if (!(SUPPORTED_SASL_MECHANISMS as readonly string[]).includes(m)) throw new ConfigError(`sasl.enabled.mechanisms: ${m} is not supported (supported: ${SUPPORTED_SASL_MECHANISMS.join(', ')})`);
  }
  if (mechanisms.length === 0) throw new ConfigError('sasl.enabled.mechanisms: a SASL listener needs at least one mechanism');
  if (mechanisms.includes('PLAIN') && plain.size === 0) throw new ConfigError('sasl.enabled.mechanisms: PLAIN is enabled but no PLAIN users are configured (sasl.jaas.config user_<name>="<password>" or mq.sasl.jaas.file)');
  if (mechanisms.includes('PLAIN')) {
    for (const l of listeners) {
      if (l.securityProtocol === 'SASL_PLAINTEXT') logger.warn({ listener: l.name }, `PLAIN on ${l.name} (SASL_PLAINTEXT): passwords cross the network unencrypted; use SASL_SSL`);
    }
  }
  const oauth = mechanisms.includes('OAUTHBEARER') ? await oauthBearerSetup(sec?.oauthBearer, clock, logger) : undefined;
  const sasl = new SaslAuthenticator({ enabledMechanisms: mechanisms, plainUsers: plain, scramCredentials: scram, oauthBearerValidator: oauth?.validator });
  return { listeners, sasl, mechanisms, scram, ...(oauth !== undefined ? { oauthBearer: oauth.validator } : {}), close: oauth?.close ?? (() => undefined) };
}

/** The security keys' values for DescribeConfigs (passwords too: they are marked sensitive and never sent). */
export function securityValues(sec: BrokerSecurityOptions | undefined): { readonly [K in SecurityConfigField]?: string | undefined } {
  if (sec === undefined) return {};
  return {
    listenerSecurityProtocolMap: sec.listenerSecurityProtocolMap,
    interBrokerListenerName: sec.interBrokerListenerName,
    securityInterBrokerProtocol: sec.securityInterBrokerProtocol,
    saslMechanismInterBrokerProtocol: sec.interBroker?.mechanism,
    interBrokerSaslUsername: sec.interBroker?.username,
    interBrokerSaslPassword: sec.interBroker?.password,
    confluentBearerAuthCredentialsSource: sec.brokerBearer?.source,
    confluentBearerAuthToken: sec.brokerBearer?.source === 'STATIC_TOKEN' ? sec.brokerBearer.token : undefined,
    confluentBearerAuthIssuerEndpointUrl: sec.brokerBearer?.source === 'OAUTHBEARER' ? sec.brokerBearer.issuerEndpointUrl : undefined,
    confluentBearerAuthClientId: sec.brokerBearer?.source === 'OAUTHBEARER' ? sec.brokerBearer.clientId : undefined,
    confluentBearerAuthClientSecret: sec.brokerBearer?.source === 'OAUTHBEARER' ? sec.brokerBearer.clientSecret : undefined,
    confluentBearerAuthScope: sec.brokerBearer?.source === 'OAUTHBEARER' ? sec.brokerBearer.scope : undefined,
    saslBootstrapUsers: sec.scramUsers === undefined ? undefined : sec.scramUsers.map((u) => `${u.name}:${u.mechanism}:${u.password}`).join(','),
    sslEndpointIdentificationAlgorithm: sec.ssl?.endpointIdentificationAlgorithm,
    saslEnabledMechanisms: sec.saslEnabledMechanisms?.join(','),
    saslJaasConfig: sec.jaasConfig,
    saslJaasFile: sec.jaasFile,
    tenantsFile: sec.tenantsFile,
    tenantsUsagePublishIntervalMs: sec.tenantsUsagePublishIntervalMs?.toString(),
    saslOauthbearerValidator: sec.oauthBearer?.validator,
    saslOauthbearerJwksEndpointUrl: sec.oauthBearer?.jwksEndpointUrl,
    saslOauthbearerJwksEndpointRefreshMs: sec.oauthBearer?.jwksEndpointRefreshMs?.toString(),
    saslOauthbearerExpectedAudience: sec.oauthBearer?.expectedAudience?.join(','),
    saslOauthbearerExpectedIssuer: sec.oauthBearer?.expectedIssuer,
    saslOauthbearerSubClaimName: sec.oauthBearer?.subClaimName,
    saslOauthbearerScopeClaimName: sec.oauthBearer?.scopeClaimName,
    saslOauthbearerRequiredScope: sec.oauthBearer?.requiredScope?.join(','),
    saslOauthbearerClockSkewSeconds: sec.oauthBearer?.clockSkewSeconds?.toString(),
    sslKeystoreLocation: sec.ssl?.keystoreLocation,
    sslCertificateLocation: sec.ssl?.certificateLocation,
    sslKeyLocation: sec.ssl?.keyLocation,
    sslKeyPassword: sec.ssl?.keyPassword,
    sslTruststoreLocation: sec.ssl?.truststoreLocation,
    sslClientAuth: sec.ssl?.clientAuth,
  };
}

/** Listeners that let anyone in on a non-loopback address: PLAINTEXT, or SSL without client certificates. */
export function openListeners(listeners: readonly ListenerConfig[]): ListenerConfig[] {
  return listeners.filter((l) => !isLoopback(l.host) && !authenticates(l.securityProtocol, l.tls?.clientAuth));
}

function authenticates(p: SecurityProtocol, clientAuth: SslClientAuth | undefined): boolean {
  return usesSasl(p) || (p === 'SSL' && clientAuth === 'required');
}

/** `mq.sasl.bootstrap.users`: `user:MECHANISM:password,...` (the password is the rest after the second `:`). */
export function parseBootstrapUsers(value: string): BrokerScramUser[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const first = item.indexOf(':');
      const second = first < 0 ? -1 : item.indexOf(':', first + 1);
      // The item holds a password: the error names the user only.
      if (first <= 0 || second < 0 || second === item.length - 1) throw new ConfigError(`mq.sasl.bootstrap.users: an entry${first > 0 ? ` for ${item.slice(0, first)}` : ''} is not user:MECHANISM:password`);
      const mechanism = item.slice(first + 1, second).toUpperCase();
      if (scramMechanism(mechanism) === undefined) throw new ConfigError(`mq.sasl.bootstrap.users: ${item.slice(0, first)}: ${mechanism} is not SCRAM-SHA-256 or SCRAM-SHA-512`);
      return { name: item.slice(0, first), mechanism: mechanism as ScramMechanismName, password: item.slice(second + 1) };
    });
}

export async function plainUsers(sec: BrokerSecurityOptions | undefined): Promise<PlainUsers> {
  const all = new Map<string, string>(Object.entries(sec?.plainUsers ?? {}));
  const texts = [sec?.jaasConfig ?? ''];
  if (sec?.jaasFile !== undefined) texts.push(await readConfigFile('mq.sasl.jaas.file', sec.jaasFile));
  for (const t of texts) {
    const users = PlainUsers.fromJaasEntries(t);
    for (const [name, password] of users) all.set(name, password);
  }
  return new PlainUsers(all);
}

async function bootstrapScramUsers(scram: ScramCredentialStore, users: readonly BrokerScramUser[], logger: Logger): Promise<void> {
  const changes = [];
  for (const u of users) {
    const m = scramMechanism(u.mechanism);
    if (m === undefined) throw new ConfigError(`security.scramUsers: ${u.mechanism} is not a SCRAM mechanism`);
    if (scram.credential(u.name, m.name) !== undefined) continue;
    changes.push({ user: u.name, mechanism: m.name, credential: credentialFromPassword(m, u.password, u.iterations === undefined ? {} : { iterations: u.iterations }) });
  }
  await scram.alter(changes);
  for (const c of changes) logger.info({ user: c.user, mechanism: c.mechanism }, 'SCRAM user created');
}

export async function tlsOptions(ssl: BrokerSslOptions | undefined): Promise<TlsListenerOptions> {
  if (ssl === undefined) throw new ConfigError('an SSL / SASL_SSL listener needs ssl.keystore.location (PEM) or ssl.certificate.location and ssl.key.location');
  let key = ssl.key;
  let cert = ssl.cert;
  if (ssl.keystoreLocation !== undefined) {
    // A PEM keystore holds both: node:tls picks the key and the certificates out of the same text.
    const pem = await readConfigFile('ssl.keystore.location', ssl.keystoreLocation);
    key ??= pem;
    cert ??= pem;
  }
  if (ssl.certificateLocation !== undefined) cert = await readConfigFile('ssl.certificate.location', ssl.certificateLocation);
  if (ssl.keyLocation !== undefined) key = await readConfigFile('ssl.key.location', ssl.keyLocation);
  if (key === undefined || cert === undefined) throw new ConfigError('an SSL / SASL_SSL listener needs both a certificate and a private key (ssl.keystore.location, or ssl.certificate.location and ssl.key.location)');
  const ca = ssl.truststoreLocation !== undefined ? await readConfigFile('ssl.truststore.location', ssl.truststoreLocation) : ssl.ca;
  const clientAuth = ssl.clientAuth ?? 'none';
  if (clientAuth !== 'none' && ca === undefined) throw new ConfigError(`ssl.client.auth=${clientAuth} needs ssl.truststore.location (the CA client certificates are checked against)`);
  return { key, cert, ca, passphrase: ssl.keyPassword, clientAuth };
}

async function readConfigFile(key: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`${key}: cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}
