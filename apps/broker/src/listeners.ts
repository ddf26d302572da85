// Kafka's `listeners` / `advertised.listeners` values (`NAME://host:port,...`) and
// `listener.security.protocol.map` (`NAME:PROTOCOL,...`). A listener's name is its security protocol
// unless the map says otherwise (CLIENT:SASL_SSL), as in Kafka.
import { SECURITY_PROTOCOLS, type SecurityProtocol } from '@mq/server';
import { ConfigError } from './config-error';

export interface Listener {
  readonly host: string;
  readonly port: number;
}

export interface NamedListener extends Listener {
  /** Upper case, as Kafka compares listener names. */
  readonly name: string;
}

const LISTENER = /^([A-Za-z_][A-Za-z0-9_]*):\/\/(\[[^\]]*\]|[^:/]*):(\d+)$/;

/** Kafka's default map: every protocol is a listener name of its own. */
export const DEFAULT_PROTOCOL_MAP: ReadonlyMap<string, SecurityProtocol> = new Map(SECURITY_PROTOCOLS.map((p) => [p, p]));

/**
 * Parses `key`'s value; empty host means every interface (0.0.0.0), as Kafka. Listeners named in
 * `skip` (controller.listener.names: KRaft's controller listener, which etcd replaces here) are left out.
 */
export function parseListenerList(key: string, value: string, skip: ReadonlySet<string> = new Set()): NamedListener[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !skip.has(s.split(':')[0]!.toUpperCase()));
  if (items.length === 0) throw new ConfigError(`${key}: must name one listener, e.g. PLAINTEXT://127.0.0.1:9092`);
  const parsed = items.map((item) => {
    const m = LISTENER.exec(item);
    if (m === null) throw new ConfigError(`${key}: "${item}" is not NAME://host:port`);
    const port = Number(m[3]);
    if (port > 65_535) throw new ConfigError(`${key}: ${item}: not a port: ${m[3]}`);
    const host = m[2]!.replace(/^\[(.*)\]$/, '$1');
    return { name: m[1]!.toUpperCase(), host: host === '' ? '0.0.0.0' : host, port };
  });
  const names = new Set<string>();
  for (const l of parsed) {
    if (names.has(l.name)) throw new ConfigError(`${key}: listener ${l.name} is named twice`);
    names.add(l.name);
  }
  return parsed;
}

/** The first listener's host and port (what `host` / `port` and the banner's first line mean). */
export function parseListeners(key: string, value: string, skip: ReadonlySet<string> = new Set()): Listener {
  const first = parseListenerList(key, value, skip)[0]!;
  return { host: first.host, port: first.port };
}

/** `listener.security.protocol.map`; unmapped names that are protocols map to themselves. */
export function parseProtocolMap(value: string | undefined): Map<string, SecurityProtocol> {
  const out = new Map(DEFAULT_PROTOCOL_MAP);
  if (value === undefined) return out;
  for (const item of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [name, protocol, extra] = item.split(':').map((s) => s.trim().toUpperCase());
    if (name === undefined || name === '' || protocol === undefined || extra !== undefined) {
      throw new ConfigError(`listener.security.protocol.map: "${item}" is not NAME:PROTOCOL`);
    }
    if (!(SECURITY_PROTOCOLS as readonly string[]).includes(protocol)) {
      throw new ConfigError(`listener.security.protocol.map: ${item}: ${protocol} is not one of ${SECURITY_PROTOCOLS.join(', ')}`);
    }
    out.set(name, protocol as SecurityProtocol);
  }
  return out;
}

export function protocolOf(map: ReadonlyMap<string, SecurityProtocol>, name: string): SecurityProtocol {
  const p = map.get(name);
  if (p === undefined) throw new ConfigError(`listeners: listener ${name} has no security protocol (add ${name}:<protocol> to listener.security.protocol.map)`);
  return p;
}
