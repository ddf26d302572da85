// The broker's own credentials on the HTTP requests it makes for itself to another broker's
// listener (broker-side validation's schema fetches where `_schemas` has no replica), as Confluent
// Server's broker authenticates to its Schema Registry: HTTP Basic with its inter-broker user
// (`inter.broker.sasl.username` / `password`), or a bearer token —
// `confluent.bearer.auth.credentials.source=STATIC_TOKEN` with `confluent.bearer.auth.token`, or
// `OAUTHBEARER`: the OAuth 2 client-credentials grant (RFC 6749 §4.4) at
// `confluent.bearer.auth.issuer.endpoint.url` with `confluent.bearer.auth.client.id` / `secret`
// (and `scope`), the token kept until 80% of its lifetime has passed (Kafka's
// sasl.login.refresh.window.factor) or the other broker refuses it. Under `mtls` the broker's
// certificate is its identity and no header is added.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HttpAuthenticationMethod } from '@mq/http';
import type { Clock } from '@mq/timerwheel';
import type { Logger } from 'pino';
import type { BrokerSecurityOptions } from './broker-security';
import { ConfigError } from './config-error';

export type BearerCredentialsSource = 'STATIC_TOKEN' | 'OAUTHBEARER';
export const BEARER_CREDENTIALS_SOURCES: readonly BearerCredentialsSource[] = ['STATIC_TOKEN', 'OAUTHBEARER'];

/** confluent.bearer.auth.*: the bearer token this broker presents to other brokers' HTTP listeners. */
export type BrokerBearerOptions =
  | { readonly source: 'STATIC_TOKEN'; readonly token: string }
  | { readonly source: 'OAUTHBEARER'; readonly issuerEndpointUrl: string; readonly clientId: string; readonly clientSecret: string; readonly scope?: string };

/** The Authorization value of the broker's own requests. */
export interface OwnAuthorization {
  header(): Promise<string>;
  /** The other broker answered 401: a cached token is fetched anew next time. */
  refused(): void;
}

/** Share of a token's lifetime after which a new one is fetched. */
const REFRESH_WINDOW_FACTOR = 0.8;
/** A token endpoint answer without expires_in: kept this long. */
const DEFAULT_LIFETIME_MS = 60_000;
const TOKEN_REQUEST_TIMEOUT_MS = 10_000;
/** Longest token endpoint answer read. */
const MAX_TOKEN_RESPONSE_BYTES = 1 << 20;

/** The confluent.bearer.auth.* keys as set, checked for a complete source; undefined when none is set. */
export function brokerBearerOf(v: {
  readonly source?: string;
  readonly token?: string;
  readonly issuerEndpointUrl?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly scope?: string;
}): BrokerBearerOptions | undefined {
  const source = v.source?.toUpperCase();
  if (source === undefined) {
    const set = Object.entries(v).find(([, value]) => value !== undefined);
    if (set !== undefined) throw new ConfigError('confluent.bearer.auth.*: set confluent.bearer.auth.credentials.source (STATIC_TOKEN or OAUTHBEARER) too');
    return undefined;
  }
  if (source === 'STATIC_TOKEN') {
    if (v.token === undefined) throw new ConfigError('confluent.bearer.auth.credentials.source=STATIC_TOKEN needs confluent.bearer.auth.token');
    return { source, token: v.token };
  }
  if (source === 'OAUTHBEARER') {
    const missing = [
      v.issuerEndpointUrl === undefined ? 'confluent.bearer.auth.issuer.endpoint.url' : undefined,
      v.clientId === undefined ? 'confluent.bearer.auth.client.id' : undefined,
      v.clientSecret === undefined ? 'confluent.bearer.auth.client.secret' : undefined,
    ].filter((m) => m !== undefined);
    if (missing.length > 0) throw new ConfigError(`confluent.bearer.auth.credentials.source=OAUTHBEARER needs ${missing.join(', ')}`);
    return { source, issuerEndpointUrl: v.issuerEndpointUrl!, clientId: v.clientId!, clientSecret: v.clientSecret!, ...(v.scope !== undefined ? { scope: v.scope } : {}) };
  }
  throw new ConfigError(`confluent.bearer.auth.credentials.source: ${v.source} is not one of ${BEARER_CREDENTIALS_SOURCES.join(', ')}`);
}

/**
 * What the listeners' http.authentication.methods accept of this broker's credentials: a bearer
 * token when configured and accepted, else the inter-broker user as HTTP Basic; under `mtls` alone
 * its certificate (no header). Undefined, with a warning where it matters, when it has none.
 */
export function ownAuthorization(
  methods: readonly HttpAuthenticationMethod[],
  sec: Pick<BrokerSecurityOptions, 'interBroker' | 'brokerBearer'> | undefined,
  clock: Clock,
  logger: Pick<Logger, 'warn'>,
): OwnAuthorization | undefined {
  const bearer = sec?.brokerBearer;
  if (bearer !== undefined && methods.includes('bearer')) {
    if (bearer.source === 'STATIC_TOKEN') return fixed(`Bearer ${bearer.token}`);
    return new ClientCredentialsToken(bearer, clock);
  }
  const user = sec?.interBroker;
  if (methods.includes('basic') && user?.username !== undefined && user.password !== undefined) return fixed(`Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`);
  if (methods.length > 0 && !methods.includes('mtls')) {
    logger.warn(
      { methods },
      'this broker has no credentials the HTTP listeners accept (confluent.bearer.auth.* under bearer, inter.broker.sasl.username / password under basic): broker-side schema validation where _schemas has no replica will refuse produces',
    );
  }
  return undefined;
}

function fixed(value: string): OwnAuthorization {
  return { header: () => Promise.resolve(value), refused: () => undefined };
}

/** A token of the client-credentials grant, fetched when first needed, again when near its expiry or refused. */
class ClientCredentialsToken implements OwnAuthorization {
  private current: { readonly value: string; readonly renewAt: number } | undefined;
  private fetching: Promise<string> | undefined;

  constructor(
    private readonly o: Extract<BrokerBearerOptions, { source: 'OAUTHBEARER' }>,
    private readonly clock: Clock,
  ) {}

  header(): Promise<string> {
    if (this.current !== undefined && this.clock.monotonic() < this.current.renewAt) return Promise.resolve(`Bearer ${this.current.value}`);
    // Concurrent requests share one token request.
    this.fetching ??= this.fetchToken().finally(() => (this.fetching = undefined));
    return this.fetching.then((t) => `Bearer ${t}`);
  }

  refused(): void {
    this.current = undefined;
  }

  private async fetchToken(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(this.o.scope !== undefined ? { scope: this.o.scope } : {}) }).toString();
    // RFC 6749 §2.3.1: the client id and secret form-encoded, then as HTTP Basic.
    const basic = Buffer.from(`${encodeURIComponent(this.o.clientId)}:${encodeURIComponent(this.o.clientSecret)}`).toString('base64');
    const started = this.clock.monotonic();
    const { status, body } = await post(this.o.issuerEndpointUrl, form, basic);
    const where = `token endpoint ${this.o.issuerEndpointUrl}`;
    if (status !== 200) throw new Error(`${where} answered ${status}: ${body.slice(0, 200)}`);
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw new Error(`${where} answered no JSON`);
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') throw new Error(`${where} answered no access_token`);
    const lifetimeMs = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in * 1000 : DEFAULT_LIFETIME_MS;
    this.current = { value: parsed.access_token, renewAt: started + lifetimeMs * REFRESH_WINDOW_FACTOR };
    return parsed.access_token;
  }
}

function post(url: string, form: string, basic: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const options = {
      method: 'POST',
      timeout: TOKEN_REQUEST_TIMEOUT_MS,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}`, 'content-length': Buffer.byteLength(form) },
    };
    const r = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        if (body.length > MAX_TOKEN_RESPONSE_BYTES) res.destroy(new Error(`token endpoint ${url}: answer longer than ${MAX_TOKEN_RESPONSE_BYTES} bytes`));
      });
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    r.on('timeout', () => r.destroy(new Error(`token endpoint ${url}: no answer within ${TOKEN_REQUEST_TIMEOUT_MS} ms`)));
    r.on('error', (err) => reject(new Error(`token endpoint ${url}: ${err.message}`)));
    r.end(form);
  });
}
