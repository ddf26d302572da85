// Shared plumbing of producer, consumer and admin: bootstrap, one pooled connection per broker and
// purpose (long-poll fetches get their own so they never queue other requests behind them), the
// metadata cache with refresh, group coordinator lookup, and retries on retriable errors.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ApiKey, KafkaError, type RequestInputFor, type ResponseBodyFor, ErrorCode } from '@mq/protocol';
import { Connection, type RequestOptions, type SslOptions } from './connection';
import { type SaslOptions, checkSaslOptions } from './security/sasl-options';
import { ConnectionError, InvalidArgumentError, ClientClosedError, UnknownTopicError, isRetriable } from './errors';
import { type ClusterMetadata, type TopicInfo, parseMetadata } from './metadata';
import { RetryPolicy, type RetryOptions } from './retry-policy';

export interface ClusterOptions {
  /** "host:port" strings (or one comma-separated string). */
  bootstrapServers: string | readonly string[];
  clientId?: string;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  retry?: RetryOptions;
  /** Metadata older than this is refreshed before use; default 5 min. */
  metadataMaxAgeMs?: number;
  /** TLS to every broker (bootstrap and the ones metadata names): `true` or node:tls options. */
  ssl?: boolean | SslOptions;
  /** SASL on every connection; see SaslOptions. */
  sasl?: SaslOptions;
}

export type ConnectionPurpose = 'default' | 'fetch';

export interface HostPort {
  host: string;
  port: number;
}

export function parseHostPort(s: string): HostPort {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(s.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new InvalidArgumentError(`bad broker address "${s}" (want host:port)`);
  return { host: m[1]!, port };
}

const { UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE } = ErrorCode;

export class Cluster {
  readonly clientId: string;
  readonly retryPolicy: RetryPolicy;
  private readonly bootstrap: HostPort[];
  private readonly pool = new Map<string, Promise<Connection>>();
  /** The pool's connections that are open, for callers that must not await (the producer's sender). */
  private readonly openConns = new Map<string, Connection>();
  private meta: ClusterMetadata | undefined;
  private metaFetchedAt = 0;
  private refreshing: Promise<ClusterMetadata> | undefined;
  private readonly coordinators = new Map<string, number>();
  private closed = false;
  /** The retry loops the running code is inside (outermost first): withRetry calls nest. */
  private readonly retryScope = new AsyncLocalStorage<readonly symbol[]>();
  /** Per error: the enclosing loops of the inner loop that already spent its retries on it. */
  private readonly retriedFor = new WeakMap<object, Set<symbol>>();

  constructor(private readonly opts: ClusterOptions) {
    const list = typeof opts.bootstrapServers === 'string' ? opts.bootstrapServers.split(',') : opts.bootstrapServers;
    this.bootstrap = list.filter((s) => s.trim() !== '').map(parseHostPort);
    if (this.bootstrap.length === 0) throw new InvalidArgumentError('bootstrapServers is empty');
    this.clientId = opts.clientId ?? 'mq-client';
    this.retryPolicy = new RetryPolicy(opts.retry);
    if (opts.sasl !== undefined) checkSaslOptions(opts.sasl);
  }

  /** A connection to a broker by node id (pooled; reconnects when the last one died). */
  async broker(nodeId: number, purpose: ConnectionPurpose = 'default'): Promise<Connection> {
    let b = this.meta?.brokers.get(nodeId);
    if (!b) b = (await this.refreshMetadata()).brokers.get(nodeId);
    if (!b) throw new KafkaError(LEADER_NOT_AVAILABLE, `broker ${nodeId} is not in the cluster metadata`);
    return this.connectTo(b.host, b.port, purpose);
  }

  /** A pooled, open default connection to a broker, without waiting; undefined when there is none yet. */
  openConnection(nodeId: number): Connection | undefined {
    const b = this.meta?.brokers.get(nodeId);
    if (!b) return undefined;
    const c = this.openConns.get(`${b.host}:${b.port}/default`);
    return c && !c.closed ? c : undefined;
  }

  /** The partition's leader from fresh cached metadata, without asking a broker; undefined otherwise. */
  cachedLeader(topic: string, partition: number): number | undefined {
    if (Date.now() - this.metaFetchedAt >= (this.opts.metadataMaxAgeMs ?? 300_000)) return undefined;
    const p = this.meta?.topics.get(topic)?.partitions[partition];
    return p && p.partition === partition && p.leaderId >= 0 ? p.leaderId : undefined;
  }

  /** A topic from fresh cached metadata (no error, every partition led), without asking a broker. */
  cachedTopic(name: string): TopicInfo | undefined {
    if (Date.now() - this.metaFetchedAt >= (this.opts.metadataMaxAgeMs ?? 300_000)) return undefined;
    const t = this.meta?.topics.get(name);
    return t && t.errorCode === ErrorCode.NONE ? t : undefined;
  }

  /** Any reachable broker: known brokers first, then the bootstrap list. */
  async any(): Promise<Connection> {
    const candidates: HostPort[] = [...(this.meta?.brokers.values() ?? []), ...this.bootstrap];
    let last: unknown;
    for (const c of candidates) {
      try {
        return await this.connectTo(c.host, c.port, 'default');
      } catch (err) {
        // A refused authentication or TLS handshake would be refused by the next broker too.
        if (!isRetriable(err)) throw err;
        last = err;
      }
    }
    throw last instanceof Error ? last : new ConnectionError('no broker reachable');
  }

  /** Sends to any broker, retrying retriable failures (on another connection when one died). */
  async requestAny<K extends number>(apiKey: K, body: RequestInputFor<K>, opts?: RequestOptions): Promise<ResponseBodyFor<K>> {
    return this.withRetry(async () => (await this.any()).request(apiKey, body, opts));
  }

  async requestBroker<K extends number>(nodeId: number, apiKey: K, body: RequestInputFor<K>, opts?: RequestOptions): Promise<ResponseBodyFor<K>> {
    return (await this.broker(nodeId)).request(apiKey, body, opts);
  }

  /** Cached metadata if fresh enough, else refreshed. */
  async metadata(): Promise<ClusterMetadata> {
    const maxAge = this.opts.metadataMaxAgeMs ?? 300_000;
    if (this.meta && Date.now() - this.metaFetchedAt < maxAge) return this.meta;
    return this.refreshMetadata();
  }

  /**
   * Fetches metadata for every topic (topics undefined) or the listed ones, merging into the cache.
   * `autoCreate` lets the broker create missing topics (producer behaviour).
   */
  async refreshMetadata(topics?: readonly string[], autoCreate = false): Promise<ClusterMetadata> {
    if (!topics && this.refreshing) return this.refreshing;
    const run = this.withRetry(async () => {
      const conn = await this.any();
      const res = await conn.request(ApiKey.Metadata, {
        topics: topics ? topics.map((name) => ({ name })) : null,
        allowAutoTopicCreation: autoCreate,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      });
      const fresh = parseMetadata(res);
      if (topics && this.meta) {
        const merged = new Map(this.meta.topics);
        for (const [k, v] of fresh.topics) merged.set(k, v);
        for (const name of topics) if (!fresh.topics.has(name)) merged.delete(name);
        this.meta = { ...fresh, topics: merged };
      } else {
        this.meta = fresh;
      }
      this.metaFetchedAt = Date.now();
      return fresh;
    });
    if (!topics) {
      this.refreshing = run;
      run.finally(() => (this.refreshing = undefined)).catch(() => {});
    }
    return run;
  }

  /** Drops cached metadata so the next lookup asks a broker (after NOT_LEADER and friends). */
  invalidate(): void {
    this.metaFetchedAt = 0;
  }

  /**
   * A topic's metadata. With `autoCreate` the broker may create it; LEADER_NOT_AVAILABLE and
   * UNKNOWN_TOPIC_OR_PARTITION right after creation are retried until the partitions have leaders.
   */
  async topic(name: string, autoCreate = false): Promise<TopicInfo> {
    const cached = this.meta?.topics.get(name);
    if (cached && cached.errorCode === ErrorCode.NONE && Date.now() - this.metaFetchedAt < (this.opts.metadataMaxAgeMs ?? 300_000)) return cached;
    return this.withRetry(
      async () => {
        await this.refreshMetadata([name], autoCreate);
        const t = this.meta?.topics.get(name);
        if (!t || (t.errorCode === UNKNOWN_TOPIC_OR_PARTITION && !autoCreate)) throw new UnknownTopicError(name);
        if (t.errorCode !== ErrorCode.NONE) throw new KafkaError(t.errorCode, `topic "${name}": ${new KafkaError(t.errorCode).message}`);
        if (t.partitions.some((p) => p.leaderId < 0)) throw new KafkaError(LEADER_NOT_AVAILABLE, `topic "${name}" has partitions without a leader`);
        return t;
      },
    );
  }

  /** Partition count from the cache without asking a broker; 0 when unknown. */
  peekPartitionCount(topic: string): number {
    return this.meta?.topics.get(topic)?.partitions.length ?? 0;
  }

  async leaderFor(topic: string, partition: number, autoCreate = false): Promise<number> {
    const t = await this.topic(topic, autoCreate);
    const p = t.partitions[partition];
    if (!p || p.partition !== partition) {
      throw new KafkaError(UNKNOWN_TOPIC_OR_PARTITION, `topic "${topic}" has no partition ${partition} (it has ${t.partitions.length})`);
    }
    if (p.leaderId < 0) throw new KafkaError(LEADER_NOT_AVAILABLE, `partition ${topic}-${partition} has no leader`);
    return p.leaderId;
  }

  /** The group coordinator's node id (FindCoordinator, cached until forgotten). */
  async coordinatorFor(groupId: string): Promise<number> {
    const known = this.coordinators.get(groupId);
    if (known !== undefined) return known;
    const nodeId = await this.withRetry(async () => {
      const res = await (await this.any()).request(ApiKey.FindCoordinator, { key: groupId, keyType: 0 });
      if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode, `FindCoordinator(${groupId}): ${res.errorMessage ?? new KafkaError(res.errorCode).message}`);
      // Make sure the coordinator is reachable through broker(nodeId) even if metadata lags.
      if (!this.meta?.brokers.has(res.nodeId)) await this.refreshMetadata();
      return res.nodeId;
    });
    this.coordinators.set(groupId, nodeId);
    return nodeId;
  }

  forgetCoordinator(groupId: string): void {
    this.coordinators.delete(groupId);
  }

  /**
   * Runs `fn` against the group's coordinator, retrying (with a fresh FindCoordinator) when the
   * coordinator moved, is loading, or the connection dropped. `fn` throws KafkaError on error codes.
   */
  async withCoordinator<T>(groupId: string, fn: (conn: Connection) => Promise<T>): Promise<T> {
    return this.withRetry(async () => {
      const nodeId = await this.coordinatorFor(groupId);
      try {
        return await fn(await this.broker(nodeId));
      } catch (err) {
        if (isRetriable(err)) this.forgetCoordinator(groupId);
        throw err;
      }
    });
  }

  /**
   * Retries `fn` on retriable errors, invalidating metadata before each retry. Loops nest (topic()
   * retries around refreshMetadata(), listOffsets around topic()): an error an inner loop already
   * retried to the end is not retried again by the loops around it, or the attempts would multiply
   * (retries 3, three deep: 64 connection attempts to a dead broker instead of 4). Only the loops
   * enclosing that inner one are told — a concurrent loop that met the same error object (a shared
   * connection attempt) still retries it.
   */
  withRetry<T>(fn: () => Promise<T>, extraRetriable?: (err: unknown) => boolean): Promise<T> {
    const token = Symbol('retry loop');
    const enclosing = this.retryScope.getStore() ?? [];
    const scope = [...enclosing, token];
    const retriable = (err: unknown): boolean => (extraRetriable ? isRetriable(err) && extraRetriable(err) : isRetriable(err));
    return this.retryPolicy
      .run(
        () => {
          if (this.closed) throw new ClientClosedError('client');
          return this.retryScope.run(scope, fn);
        },
        (err) => !this.closed && !this.alreadyRetried(err, token) && retriable(err),
        () => this.invalidate(),
      )
      .catch((err: unknown) => {
        if (enclosing.length > 0 && typeof err === 'object' && err !== null && retriable(err)) {
          let loops = this.retriedFor.get(err);
          if (loops === undefined) this.retriedFor.set(err, (loops = new Set()));
          for (const t of enclosing) loops.add(t);
        }
        throw err;
      });
  }

  private alreadyRetried(err: unknown, loop: symbol): boolean {
    return typeof err === 'object' && err !== null && this.retriedFor.get(err)?.has(loop) === true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const conns = [...this.pool.values()];
    this.pool.clear();
    this.openConns.clear();
    for (const c of conns) {
      try {
        (await c).close();
      } catch {
        // A connection that never opened has nothing to close.
      }
    }
  }

  private connectTo(host: string, port: number, purpose: ConnectionPurpose): Promise<Connection> {
    if (this.closed) return Promise.reject(new ClientClosedError('client'));
    const key = `${host}:${port}/${purpose}`;
    const existing = this.pool.get(key);
    if (existing) {
      return existing.then((c) => {
        if (!c.closed) return c;
        if (this.pool.get(key) === existing) {
          this.pool.delete(key);
          this.openConns.delete(key);
        }
        return this.connectTo(host, port, purpose);
      });
    }
    const p = Connection.connect({
      host,
      port,
      clientId: this.clientId,
      requestTimeoutMs: this.opts.requestTimeoutMs,
      connectTimeoutMs: this.opts.connectTimeoutMs,
      ...(this.opts.ssl !== undefined ? { ssl: this.opts.ssl } : {}),
      ...(this.opts.sasl !== undefined ? { sasl: this.opts.sasl } : {}),
    });
    this.pool.set(key, p);
    p.then(
      (c) => {
        if (this.pool.get(key) === p) this.openConns.set(key, c);
      },
      () => {
        if (this.pool.get(key) === p) this.pool.delete(key);
      },
    );
    return p;
  }
}

