// The broker's security keys beside `listeners` / `advertised.listeners` (app-config-defs.ts):
// listener.security.protocol.map, inter.broker.listener.name, sasl.* and ssl.*, Kafka's names;
// mq.sasl.jaas.file is mq's (Kafka reads a JAAS file through a JVM property). They become
// startBroker's `security` options (broker-security.ts).
import type { ConfigDef } from '@mq/config';

const sec = { dynamic: false, scope: 'broker' } as const;

const nonEmpty = (v: string): string | undefined => (v.trim() === '' ? 'must not be empty' : undefined);

export const SECURITY_CONFIG_DEFS = {
  listenerSecurityProtocolMap: {
    ...sec,
    name: 'listener.security.protocol.map',
    type: 'list',
    default: 'PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL',
    validText: 'NAME:PROTOCOL,... (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL)',
    importance: 'medium',
    doc: 'The security protocol of each listener name of `listeners` (a name that is a protocol maps to itself), e.g. `CLIENT:SASL_SSL,INTERNAL:SSL`.',
  },
  interBrokerListenerName: {
    ...sec,
    name: 'inter.broker.listener.name',
    type: 'string',
    default: undefined,
    check: nonEmpty,
    importance: 'medium',
    doc: 'The listener whose advertised address this broker registers in a cluster (what other brokers and their clients use); default the first listener.',
  },
  saslEnabledMechanisms: {
    ...sec,
    name: 'sasl.enabled.mechanisms',
    type: 'list',
    default: undefined,
    validText: 'PLAIN, SCRAM-SHA-256, SCRAM-SHA-512',
    importance: 'medium',
    doc: 'SASL mechanisms of the SASL_* listeners. Unset: SCRAM-SHA-256 and SCRAM-SHA-512, and PLAIN when PLAIN users are configured.',
  },
  saslJaasConfig: {
    ...sec,
    name: 'sasl.jaas.config',
    type: 'password',
    default: undefined,
    importance: 'medium',
    doc: 'Kafka’s PlainLoginModule text: every `user_<name>="<password>"` option is a PLAIN user.',
  },
  saslJaasFile: {
    ...sec,
    name: 'mq.sasl.jaas.file',
    type: 'string',
    default: undefined,
    check: nonEmpty,
    importance: 'medium',
    doc: 'mq’s own: a JAAS file (Kafka’s `KafkaServer { ... };` section) read for the same `user_<name>="<password>"` PLAIN users.',
  },
  sslKeystoreLocation: {
    ...sec,
    name: 'ssl.keystore.location',
    type: 'string',
    default: undefined,
    check: nonEmpty,
    importance: 'high',
    doc: 'A PEM file with the TLS private key and certificate chain of the SSL / SASL_SSL listeners (Kafka’s `ssl.keystore.type=PEM`; JKS and PKCS12 are not read).',
  },
  sslKeystoreType: {
    ...sec,
    name: 'ssl.keystore.type',
    type: 'string',
    default: 'PEM',
    check: (v: string) => (v.toUpperCase() === 'PEM' ? undefined : 'only PEM keystores are read'),
    importance: 'low',
    doc: 'Only `PEM`.',
  },
  sslCertificateLocation: {
    ...sec,
    name: 'ssl.certificate.location',
    type: 'string',
    default: undefined,
    check: nonEmpty,
    importance: 'medium',
    doc: 'The certificate chain (PEM) alone, with `ssl.key.location` (librdkafka’s names), instead of a PEM keystore.',
  },
  sslKeyLocation: {
    ...sec,
    name: 'ssl.key.location',
    type: 'string',
    default: undefined,
    check: nonEmpty,
    importance: 'medium',
    doc: 'The private key (PEM) alone, with `ssl.certificate.location`.',
  },
  sslKeyPassword: {
    ...sec,
    name: 'ssl.key.password',
    type: 'password',
    default: undefined,
    importance: 'medium',
    doc: 'The passphrase of an encrypted PEM private key.',
  },
  sslTruststoreLocation: {
    ...sec,
    name: 'ssl.truststore.location',
    type: 'string',
    default: undefined,
    check: nonEmpty,
    importance: 'medium',
    doc: 'PEM CA certificates that client certificates must chain to (needed for `ssl.client.auth` requested / required).',
  },
  sslTruststoreType: {
    ...sec,
    name: 'ssl.truststore.type',
    type: 'string',
    default: 'PEM',
    check: (v: string) => (v.toUpperCase() === 'PEM' ? undefined : 'only PEM truststores are read'),
    importance: 'low',
    doc: 'Only `PEM`.',
  },
  sslClientAuth: {
    ...sec,
    name: 'ssl.client.auth',
    type: 'string',
    default: 'none',
    check: (v: string) => (['none', 'requested', 'required'].includes(v) ? undefined : `must be none, requested or required, got ${v}`),
    validText: 'none, requested, required',
    importance: 'medium',
    doc: 'Client certificates on SSL / SASL_SSL listeners: `required` refuses clients without a trusted one; on SSL the certificate’s subject DN is the principal (`User:CN=...`).',
  },
} as const satisfies Record<string, ConfigDef>;

export type SecurityConfigField = keyof typeof SECURITY_CONFIG_DEFS;
