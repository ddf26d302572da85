// Kafka's ConnectionQuotas: max.connections, listener.name.<listener>.max.connections and
// max.connections.per.ip (with per-address overrides) count open connections, so a few clients
// cannot open enough sockets to exhaust memory;
// max.connection.creation.rate (broker-wide) and the ip entities' connection_creation_rate quota
// (@mq/quota) measure new connections per second over the quota window (KIP-612).
import { isIP } from 'node:net';
import { type RateWindowConfig, SampledRate } from '@mq/quota';

export type ConnectionLimit = 'max.connections' | 'listener.name.<listener>.max.connections' | 'max.connections.per.ip';

export interface ConnectionQuotasConfig {
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  /** listener.name.<listener>.max.connections: listener name (upper case) → its limit; absent: only the broker's. */
  readonly perListener?: Readonly<Record<string, number>>;
  /** The listeners' names, so each has a count (and a metric) before its first connection. */
  readonly listeners?: readonly string[];
  /** max.connections.per.ip.overrides: address → its own limit. */
  readonly perIpOverrides?: ReadonlyMap<string, number>;
  /** max.connection.creation.rate: new connections per second across the listener (INT_MAX: unlimited). */
  readonly maxConnectionCreationRate?: number;
  readonly window?: RateWindowConfig;
}

/** Kafka's default for max.connection.creation.rate: no limit. */
const UNLIMITED = 2_147_483_647;

export class ConnectionQuotas {
  private total = 0;
  private readonly perIp = new Map<string, number>();
  private rejectedCount = 0;
  private readonly listeners = new Map<string, { open: number; rejected: number; readonly limit: number }>();
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  private readonly overrides: ReadonlyMap<string, number>;
  private readonly creationRateLimit: number;
  private readonly window: RateWindowConfig;
  private creationRate: SampledRate | undefined;
  private readonly ipRates = new Map<string, SampledRate>();

  constructor(c: ConnectionQuotasConfig) {
    this.maxConnections = c.maxConnections;
    this.maxConnectionsPerIp = c.maxConnectionsPerIp;
    this.overrides = normalise(c.perIpOverrides ?? new Map());
    for (const [name, limit] of Object.entries(c.perListener ?? {})) this.listeners.set(name.toUpperCase(), { open: 0, rejected: 0, limit });
    for (const name of c.listeners ?? []) this.listener(name);
    this.creationRateLimit = c.maxConnectionCreationRate ?? UNLIMITED;
    this.window = c.window ?? { samples: 11, windowMs: 1000 };
  }

  /** Connections refused so far because a limit was reached. */
  get rejected(): number {
    return this.rejectedCount;
  }

  /** Per listener: its open connections, those its own limit refused, and that limit (INT_MAX when none). */
  listenerCounts(): { listener: string; open: number; rejected: number; limit: number }[] {
    return [...this.listeners].map(([listener, l]) => ({ listener, open: l.open, rejected: l.rejected, limit: l.limit }));
  }

  private listener(name: string): { open: number; rejected: number; readonly limit: number } {
    const key = name.toUpperCase();
    let l = this.listeners.get(key);
    if (l === undefined) {
      l = { open: 0, rejected: 0, limit: UNLIMITED };
      this.listeners.set(key, l);
    }
    return l;
  }

  /** The per-address limit for `ip`: its override, else max.connections.per.ip. */
  limitFor(ip: string): number {
    return this.overrides.get(normaliseIp(ip)) ?? this.maxConnectionsPerIp;
  }

  /**
   * Counts a new connection from `ip` on `listener`, or returns which limit refuses it (the caller
   * closes it); every accepted connection must be given back with release(), with the same listener.
   * Broker first, then listener, then address, as Kafka's ConnectionQuotas checks them.
   */
  tryAcquire(ip: string, listener: string): ConnectionLimit | undefined {
    if (this.total >= this.maxConnections) {
      this.rejectedCount++;
      return 'max.connections';
    }
    const l = this.listener(listener);
    if (l.open >= l.limit) {
      this.rejectedCount++;
      l.rejected++;
      return 'listener.name.<listener>.max.connections';
    }
    const fromIp = this.perIp.get(ip) ?? 0;
    if (fromIp >= this.limitFor(ip)) {
      this.rejectedCount++;
      return 'max.connections.per.ip';
    }
    this.total++;
    l.open++;
    this.perIp.set(ip, fromIp + 1);
    return undefined;
  }

  release(ip: string, listener: string): void {
    const fromIp = this.perIp.get(ip) ?? 0;
    if (fromIp <= 1) this.perIp.delete(ip);
    else this.perIp.set(ip, fromIp - 1);
    this.listener(listener).open--;
    this.total--;
  }

  /**
   * Records a new connection against max.connection.creation.rate and returns how long (ms) the
   * listener should wait before serving it (0: at once), as Kafka's acceptor waits out its throttle.
   */
  recordCreation(nowMs: number): number {
    if (this.creationRateLimit >= UNLIMITED) return 0;
    this.creationRate ??= new SampledRate(this.window, nowMs);
    return throttleOf(this.creationRate, this.creationRateLimit, nowMs);
  }

  /**
   * Records a new connection from `ip` against its connection_creation_rate quota (`limit`, from the
   * ip entities) and returns the throttle (ms): over the quota, Kafka closes the connection after it.
   */
  recordIpCreation(ip: string, limit: number, nowMs: number): number {
    let rate = this.ipRates.get(ip);
    if (rate === undefined) {
      // One sensor per address that has a quota; bounded by the addresses that connect at all.
      if (this.ipRates.size >= 100_000) this.ipRates.clear();
      rate = new SampledRate(this.window, nowMs);
      this.ipRates.set(ip, rate);
    }
    return throttleOf(rate, limit, nowMs);
  }
}

function throttleOf(rate: SampledRate, limit: number, nowMs: number): number {
  rate.record(1, nowMs);
  const measured = rate.measure(nowMs);
  if (measured <= limit) return 0;
  const ms = ((measured - limit) / limit) * rate.windowSizeMs(nowMs);
  return Math.min(Math.round(ms), 11 * 1000);
}

/** IPv4-mapped IPv6 (::ffff:127.0.0.1, how a dual-stack socket reports IPv4) is its IPv4 address. */
export function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function normalise(m: ReadonlyMap<string, number>): ReadonlyMap<string, number> {
  return new Map([...m].map(([ip, n]) => [normaliseIp(ip), n]));
}

/**
 * Parses max.connections.per.ip.overrides: `address:limit` pairs separated by commas (the last `:`
 * separates the limit, so IPv6 addresses work). Throws an Error naming the bad item.
 */
export function parsePerIpOverrides(value: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const colon = item.lastIndexOf(':');
    const ip = colon < 0 ? '' : item.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
    const limit = colon < 0 ? Number.NaN : Number(item.slice(colon + 1));
    if (ip === '' || !Number.isInteger(limit) || limit < 0) throw new Error(`"${item}" is not address:limit`);
    // Kafka resolves host names here; mq takes addresses only, so a name cannot silently not match.
    if (isIP(ip) === 0) throw new Error(`"${ip}" is not an IP address (host names are not resolved)`);
    out.set(ip, limit);
  }
  return out;
}
