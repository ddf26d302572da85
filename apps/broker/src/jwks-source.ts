// The JSON Web Key Set OAUTHBEARER's signed tokens are checked against (Kafka's
// sasl.oauthbearer.jwks.endpoint.url): a `file:` URL or an http(s) endpoint, read once before the
// broker listens (an unreadable set is a ConfigError at start) and again every
// sasl.oauthbearer.jwks.endpoint.refresh.ms, and early when a token names a kid the set lacks (a
// rotated key; at most once per refresh backoff). A failed refresh keeps the keys it had.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { JsonWebKeySet } from '@mq/auth';
import type { Cancel, Clock } from '@mq/timerwheel';
import type { Logger } from 'pino';
import { ConfigError } from './config-error';

/** Kafka's sasl.oauthbearer.jwks.endpoint.retry.backoff.ms default: the least time between two early fetches. */
const UNKNOWN_KID_BACKOFF_MS = 100;
const FETCH_TIMEOUT_MS = 10_000;

export class JwksSource {
  private current: JsonWebKeySet = JsonWebKeySet.EMPTY;
  private timer: Cancel | undefined;
  private lastFetchMs = Number.NEGATIVE_INFINITY;
  private fetching: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly url: URL,
    private readonly refreshMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Reads the set now; throws ConfigError when it cannot be read or parsed. */
  static async open(url: string, refreshMs: number, clock: Clock, logger: Logger): Promise<JwksSource> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ConfigError(`sasl.oauthbearer.jwks.endpoint.url: ${url} is not a URL (file:///path/jwks.json or http(s)://host/path)`);
    }
    if (!['file:', 'http:', 'https:'].includes(parsed.protocol)) throw new ConfigError(`sasl.oauthbearer.jwks.endpoint.url: ${parsed.protocol} URLs are not read (file:, http:, https:)`);
    const source = new JwksSource(parsed, refreshMs, clock, logger);
    try {
      source.current = await source.load();
    } catch (err) {
      throw new ConfigError(`sasl.oauthbearer.jwks.endpoint.url: ${(err as Error).message}`, { cause: err });
    }
    logger.info({ jwks: source.describe(), keys: source.current.keys.length }, 'OAUTHBEARER JSON Web Key Set loaded');
    source.scheduleRefresh();
    return source;
  }

  keys(): JsonWebKeySet {
    return this.current;
  }

  /** A token named a kid the set lacks: fetch again (in the background; that token has failed already). */
  unknownKid(kid: string): void {
    if (this.closed || this.fetching !== undefined || this.clock.monotonic() - this.lastFetchMs < UNKNOWN_KID_BACKOFF_MS) return;
    this.logger.info({ kid }, 'OAUTHBEARER token names an unknown kid: fetching the JSON Web Key Set again');
    void this.refresh();
  }

  close(): void {
    this.closed = true;
    this.timer?.();
  }

  /** Fetches the set once more; resolves when it is in place (or the fetch failed and was logged). */
  refresh(): Promise<void> {
    this.fetching ??= this.load()
      .then((set) => {
        if (!this.closed) this.current = set;
      })
      .catch((err: unknown) => this.logger.warn({ jwks: this.describe(), err: (err as Error).message }, 'OAUTHBEARER JSON Web Key Set refresh failed: keeping the keys loaded before'))
      .finally(() => {
        this.fetching = undefined;
      });
    return this.fetching;
  }

  private scheduleRefresh(): void {
    if (this.closed || this.refreshMs <= 0) return;
    this.timer = this.clock.schedule(this.refreshMs, () => {
      void this.refresh().then(() => this.scheduleRefresh());
    });
  }

  private async load(): Promise<JsonWebKeySet> {
    this.lastFetchMs = this.clock.monotonic();
    if (this.url.protocol === 'file:') {
      const path = fileURLToPath(this.url);
      return JsonWebKeySet.parse(await readFile(path, 'utf8'), path);
    }
    const res = await fetch(this.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${this.describe()} answered HTTP ${res.status}`);
    return JsonWebKeySet.parse(await res.text(), this.describe());
  }

  /** The URL without credentials or query (which may carry a secret). */
  private describe(): string {
    return `${this.url.protocol}//${this.url.host}${this.url.pathname}`;
  }
}
