// Kafka's `listeners` / `advertised.listeners` values: `PLAINTEXT://host:port`. One plaintext
// listener is all this broker has; other security protocols are refused until security lands.
import { ConfigError } from './config-error';

export interface Listener {
  readonly host: string;
  readonly port: number;
}

const LISTENER = /^([A-Za-z_][A-Za-z0-9_]*):\/\/(\[[^\]]*\]|[^:/]*):(\d+)$/;

/**
 * Parses `key`'s value; empty host means every interface (0.0.0.0), as Kafka. Listeners named in
 * `skip` (controller.listener.names: KRaft's controller listener, which etcd replaces here) are left out.
 */
export function parseListeners(key: string, value: string, skip: ReadonlySet<string> = new Set()): Listener {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && !skip.has(s.split(':')[0]!.toUpperCase()));
  if (items.length === 0) throw new ConfigError(`${key}: must name one listener, e.g. PLAINTEXT://127.0.0.1:9092`);
  const parsed = items.map((item) => {
    const m = LISTENER.exec(item);
    if (m === null) throw new ConfigError(`${key}: "${item}" is not PROTOCOL://host:port`);
    const protocol = m[1]!.toUpperCase();
    if (protocol !== 'PLAINTEXT') {
      throw new ConfigError(`${key}: ${item}: only PLAINTEXT listeners are supported (no TLS, SASL or controller listeners yet)`);
    }
    const port = Number(m[3]);
    if (port > 65_535) throw new ConfigError(`${key}: ${item}: not a port: ${m[3]}`);
    const host = m[2]!.replace(/^\[(.*)\]$/, '$1');
    return { host: host === '' ? '0.0.0.0' : host, port };
  });
  if (parsed.length > 1) throw new ConfigError(`${key}: "${value}" names ${parsed.length} listeners; this broker has one`);
  return parsed[0]!;
}
