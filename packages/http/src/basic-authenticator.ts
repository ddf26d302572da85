// HTTP Basic (RFC 7617), bearer tokens (RFC 6750) and TLS client certificates as an
// HttpAuthenticator: the user name and password go to a verifier (the broker's SCRAM / PLAIN users),
// a bearer token to the broker's OAUTHBEARER validator (its principal claim names the user); a
// certificate's subject DN is the principal. A failure is answered 401 after a delay (slows
// guessing) and logged without the password or token.
import type { TLSSocket } from 'node:tls';
import { type HttpAuthenticator, type HttpClient, WEBSOCKET_BASIC_PROTOCOL_PREFIX, WEBSOCKET_BEARER_PROTOCOL_PREFIX } from './http-authentication';
import { HttpError } from './http-error';
import type { HttpLogger } from './http-logger';

export type HttpAuthenticationMethod = 'basic' | 'bearer' | 'mtls';

export interface BasicAuthenticatorOptions {
  /** `basic` / `bearer`: an Authorization header (or the WebSocket subprotocol); `mtls`: a verified client certificate. */
  readonly methods: readonly HttpAuthenticationMethod[];
  verifyPassword(user: string, password: string): Promise<boolean>;
  /** The principal name a bearer token proves; throws an Error saying why it is refused. Needed for `bearer`. */
  verifyBearer?(token: string): string;
  /** The verified client certificate's subject DN (`CN=alice,O=mq`), or null; needed for `mtls`. */
  certificateSubject?(socket: TLSSocket): string | null;
  /** A failed attempt is answered this much later (connection.failed.authentication.delay.ms). */
  readonly failureDelayMs: number;
  /** Waits `ms` (the broker's Clock). */
  sleep(ms: number): Promise<void>;
  readonly logger: HttpLogger;
  /** WWW-Authenticate's realm; default `mq`. */
  readonly realm?: string;
  /**
   * A request another broker forwards on a user's behalf names that user in `header` (the broker
   * authenticated them; its own credential — its certificate — is what this listener sees). The
   * header is taken only from a principal `trusted` says is a broker; from anyone else it is a 401.
   */
  readonly forwardedPrincipal?: { readonly header: string; trusted(principal: string): boolean };
}

/** A forwarded principal: `User:` and a name of at most this many characters. */
const MAX_FORWARDED_PRINCIPAL_CHARS = 1024;

/** Longer Authorization values are refused unread (a Basic credential is short, a JWT a few KiB). */
const MAX_CREDENTIAL_CHARS = 16_384;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** RFC 6750's b64token (a JWT is three base64url parts joined by dots). */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

type Credential = { readonly kind: 'basic'; readonly user: string; readonly password: string } | { readonly kind: 'bearer'; readonly token: string };

export class BasicAuthenticator implements HttpAuthenticator {
  private readonly realm: string;

  constructor(private readonly opts: BasicAuthenticatorOptions) {
    this.realm = `realm="${opts.realm ?? 'mq'}", charset="UTF-8"`;
  }

  /**
   * `Basic`, except to scripts that say so (X-Requested-With: XMLHttpRequest, as the console does):
   * a browser would answer a Basic challenge to fetch() with its own prompt over the login form.
   */
  private challenge(client: HttpClient): string {
    if (!this.opts.methods.includes('basic')) return `Bearer ${this.realm}`;
    return `${client.headers['x-requested-with'] === 'XMLHttpRequest' ? 'xBasic' : 'Basic'} ${this.realm}`;
  }

  async authenticate(client: HttpClient): Promise<string> {
    const principal = await this.connectionPrincipal(client);
    const forwarded = this.opts.forwardedPrincipal;
    const raw = forwarded === undefined ? undefined : client.headers[forwarded.header];
    if (forwarded === undefined || raw === undefined) return principal;
    if (!forwarded.trusted(principal)) return this.fail(client, principal, `${forwarded.header} is taken only from another broker, and ${principal} is not one`);
    const claimed = Array.isArray(raw) ? raw[0] : raw;
    if (claimed === undefined || !claimed.startsWith('User:') || claimed.length <= 5 || claimed.length > MAX_FORWARDED_PRINCIPAL_CHARS + 5) {
      return this.fail(client, principal, `malformed ${forwarded.header}: expected User:<name>`);
    }
    return claimed;
  }

  /** Who the request's own credentials (Authorization, WebSocket subprotocol, certificate) prove it is. */
  private async connectionPrincipal(client: HttpClient): Promise<string> {
    const { methods } = this.opts;
    const schemes = { basic: methods.includes('basic'), bearer: methods.includes('bearer') && this.opts.verifyBearer !== undefined };
    let credential: Credential | undefined;
    try {
      credential = schemes.basic || schemes.bearer ? credentialOf(client, schemes) : undefined;
    } catch (err) {
      return this.fail(client, undefined, (err as Error).message);
    }
    if (credential?.kind === 'basic') {
      if (await this.opts.verifyPassword(credential.user, credential.password)) return `User:${credential.user}`;
      return this.fail(client, credential.user, 'wrong user name or password');
    }
    if (credential?.kind === 'bearer') {
      try {
        return `User:${this.opts.verifyBearer!(credential.token)}`;
      } catch (err) {
        return this.fail(client, undefined, `bearer token refused: ${(err as Error).message}`);
      }
    }
    if (methods.includes('mtls') && this.opts.certificateSubject !== undefined && 'getPeerX509Certificate' in client.socket) {
      const subject = this.opts.certificateSubject(client.socket as TLSSocket);
      if (subject !== null) return `User:${subject}`;
    }
    const wanted = [schemes.basic ? 'Basic credentials' : undefined, schemes.bearer ? 'a bearer token' : undefined, methods.includes('mtls') ? 'a trusted client certificate' : undefined].filter(
      (w) => w !== undefined,
    );
    // No credentials at all is how every browser's first request looks: answered at once, not logged as a failure.
    throw HttpError.unauthorized(`authentication required: ${wanted.join(' or ')}`, this.challenge(client));
  }

  private async fail(client: HttpClient, user: string | undefined, reason: string): Promise<never> {
    this.opts.logger.warn({ user: user ?? null, remote: client.remoteAddress, reason }, 'http authentication failed');
    if (this.opts.failureDelayMs > 0) await this.opts.sleep(this.opts.failureDelayMs);
    throw HttpError.unauthorized(`authentication failed: ${reason}`, this.challenge(client));
  }
}

/** The credential of the Authorization header, else of the WebSocket subprotocol; undefined when neither is sent. */
function credentialOf(client: HttpClient, schemes: { readonly basic: boolean; readonly bearer: boolean }): Credential | undefined {
  const accepted = [schemes.basic ? 'Basic' : undefined, schemes.bearer ? 'Bearer' : undefined].filter((s) => s !== undefined).join(' or ');
  const header = client.headers.authorization;
  if (header !== undefined) {
    if (header.length > MAX_CREDENTIAL_CHARS) throw new Error(`Authorization header longer than ${MAX_CREDENTIAL_CHARS} characters`);
    const space = header.indexOf(' ');
    const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
    const token = space < 0 ? '' : header.slice(space + 1).trim();
    if (scheme === 'basic' && schemes.basic) {
      if (token === '' || !BASE64.test(token)) throw new Error('malformed Basic credentials: expected base64(user:password)');
      return split(Buffer.from(token, 'base64').toString('utf8'));
    }
    if (scheme === 'bearer' && schemes.bearer) {
      if (token === '' || !BEARER_TOKEN.test(token)) throw new Error('malformed bearer token (RFC 6750 token68)');
      return { kind: 'bearer', token };
    }
    throw new Error(`unsupported Authorization scheme ${JSON.stringify(scheme.slice(0, 20))} (use ${accepted})`);
  }
  const protocols = client.headers['sec-websocket-protocol'];
  if (protocols === undefined || protocols.length > MAX_CREDENTIAL_CHARS) return undefined;
  const offered = protocols.split(',').map((p) => p.trim());
  const bearer = schemes.bearer ? offered.find((p) => p.startsWith(WEBSOCKET_BEARER_PROTOCOL_PREFIX)) : undefined;
  if (bearer !== undefined) {
    const token = bearer.slice(WEBSOCKET_BEARER_PROTOCOL_PREFIX.length);
    if (token === '' || !BEARER_TOKEN.test(token)) throw new Error('malformed bearer token in the WebSocket protocol');
    return { kind: 'bearer', token };
  }
  const basic = schemes.basic ? offered.find((p) => p.startsWith(WEBSOCKET_BASIC_PROTOCOL_PREFIX)) : undefined;
  if (basic === undefined) return undefined;
  const token = basic.slice(WEBSOCKET_BASIC_PROTOCOL_PREFIX.length);
  if (token === '' || !BASE64URL.test(token)) throw new Error('malformed Basic credentials in the WebSocket protocol: expected base64url(user:password)');
  return split(Buffer.from(token, 'base64url').toString('utf8'));
}

function split(decoded: string): Credential {
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new Error('malformed Basic credentials: expected user:password');
  return { kind: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
