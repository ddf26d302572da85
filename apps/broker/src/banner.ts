// What the broker says once it listens (the `broker listening` line): version, node and cluster
// id, listeners, data dir, the fsync policy in words and what it loaded — and the warnings an
// operator must see at start (bound beyond loopback with no authentication; a wildcard address
// advertised to clients).
import type { Logger } from 'pino';
import type { BoundListener } from '@mq/server';
import { type TopicConfigInput, type TopicManager, resolveTopicConfig } from '@mq/partition';
import { type LastShutdown, recoverySummary } from './clean-shutdown';
import { brokerVersion } from './version';

/** The broker-wide fsync policy (flush.messages / flush.ms defaults), as an operator reads it. */
export function fsyncPolicy(topicDefaults: TopicConfigInput): string {
  const { flushMessages, flushMs } = resolveTopicConfig({}, topicDefaults);
  // resolveTopicConfig clamps Long.MAX_VALUE ("never") to MAX_SAFE_INTEGER.
  const never = (n: number) => n >= Number.MAX_SAFE_INTEGER;
  if (flushMessages === 1) return 'fsync before every acknowledgement (flush.messages=1)';
  if (!never(flushMessages) && !never(flushMs)) return `fsync every ${flushMessages} messages or ${flushMs} ms (writes acknowledged before their fsync)`;
  if (!never(flushMessages)) return `fsync every ${flushMessages} messages (writes acknowledged before their fsync)`;
  if (!never(flushMs)) return `fsync every ${flushMs} ms (writes acknowledged before their fsync)`;
  return 'no fsync by the broker (segments synced on roll and close only)';
}

/** Loopback only: 127.0.0.0/8, ::1, localhost (and IPv4-mapped loopback). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h);
}

/** 0.0.0.0, :: and the empty host: addresses to bind to, never ones a client can connect to. */
export function isWildcard(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '' || h === '0.0.0.0' || /^[0:]+$/.test(h);
}

/** `host:port`, an IPv6 host in brackets (`[::]:9092`), as in Kafka's listener strings. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export interface StartupFacts {
  readonly host: string;
  readonly port: number;
  readonly advertised: string;
  /** Every listener as bound; default one PLAINTEXT listener on host:port. */
  readonly listeners?: readonly BoundListener[];
  /** Names of listeners on a non-loopback address that let anyone in (PLAINTEXT, SSL without client certificates). */
  readonly open?: readonly string[];
  readonly dataDir: string;
  readonly nodeId: number;
  readonly clusterId: string;
  readonly topicDefaults: TopicConfigInput;
  readonly topics: TopicManager;
  readonly lastShutdown: LastShutdown;
  readonly httpPort?: number;
}

/**
 * The `broker listening` line (its msg and `port` are what scripts and tests wait for), the
 * unclean-shutdown warning with what recovery did, and the open-network warning.
 */
export function logStartup(logger: Logger, f: StartupFacts): void {
  const listed = f.topics.list();
  const userTopics = listed.filter((t) => !t.isInternal);
  if (f.lastShutdown === 'unclean') {
    const r = recoverySummary(f.topics);
    logger.warn(
      { ...r, dataDir: f.dataDir },
      'unclean shutdown: the last run did not stop cleanly',
    );
  }
  const cut = f.advertised.lastIndexOf(':');
  const listeners = f.listeners ?? [{ name: 'PLAINTEXT', securityProtocol: 'PLAINTEXT' as const, host: f.host, port: f.port, advertisedHost: f.advertised.slice(0, cut).replace(/^\[|\]$/g, ''), advertisedPort: Number(f.advertised.slice(cut + 1)) }];
  const open = f.open ?? (isLoopback(f.host) ? [] : ['PLAINTEXT']);
  for (const l of listeners.filter((x) => open.includes(x.name))) {
    logger.warn(
      { listener: l.name, host: l.host, port: l.port },
      `listening on ${l.host} without authentication ${l.securityProtocol === 'PLAINTEXT' ? 'or TLS' : '(SSL without ssl.client.auth=required)'} on listener ${l.name}: anyone who can reach this port can read, write and delete every topic (use a SASL_SSL / SASL_PLAINTEXT listener or SSL with ssl.client.auth=required, bind 127.0.0.1, or firewall it)`,
    );
  }
  // Kafka refuses to advertise 0.0.0.0; mq advertises the bound address by default, so bound to a
  // wildcard the Metadata answer sends every client to its own machine: say so at once.
  for (const l of listeners.filter((x) => isWildcard(x.advertisedHost))) {
    logger.warn(
      { listener: l.name, advertised: hostPort(l.advertisedHost, l.advertisedPort) },
      `listener ${l.name} advertises ${hostPort(l.advertisedHost, l.advertisedPort)}: Metadata tells clients to connect to a wildcard address, which reaches only their own machine (set advertised.listeners, e.g. ${l.name}://<a host clients can reach>:${l.advertisedPort}, or --advertised-host)`,
    );
  }
  logger.info(
    {
      version: brokerVersion(),
      nodeId: f.nodeId,
      clusterId: f.clusterId,
      host: f.host,
      port: f.port,
      listeners: listeners.map((l) => `${l.name}://${hostPort(l.host, l.port)}`).join(','),
      ...(listeners.length > 1 || listeners[0]!.securityProtocol !== 'PLAINTEXT'
        ? { listenerPorts: Object.fromEntries(listeners.map((l) => [l.name, l.port])), securityProtocols: Object.fromEntries(listeners.map((l) => [l.name, l.securityProtocol])) }
        : {}),
      advertised: f.advertised,
      dataDir: f.dataDir,
      fsync: fsyncPolicy(f.topicDefaults),
      topics: userTopics.length,
      partitions: userTopics.reduce((n, t) => n + t.partitions.length, 0),
      ...(f.httpPort !== undefined ? { httpPort: f.httpPort } : {}),
    },
    'broker listening',
  );
}
