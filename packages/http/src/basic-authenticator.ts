// HTTP Basic (RFC 7617) and TLS client certificates as an HttpAuthenticator: the user name and
// password go to a verifier (the broker's SCRAM / PLAIN users); a certificate's subject DN is the
// principal. A failure is answered 401 after a delay (slows guessing) and logged without the password.
import type { TLSSocket } from 'node:tls';
import { type HttpAuthenticator, type HttpClient, WEBSOCKET_BASIC_PROTOCOL_PREFIX } from './http-authentication';
import { HttpError } from './http-error';
import type { HttpLogger } from './http-logger';

export type HttpAuthenticationMethod = 'basic' | 'mtls';

export interface BasicAuthenticatorOptions {
  /** `basic`: an Authorization header (or the WebSocket subprotocol); `mtls`: a verified client certificate. */
  readonly methods: readonly HttpAuthenticationMethod[];
  verifyPassword(user: string, password: string): Promise<boolean>;
  /** The verified client certificate's subject DN (`CN=alice,O=mq`), or null; needed for `mtls`. */
  certificateSubject?(socket: TLSSocket): string | null;
  /** A failed attempt is answered this much later (connection.failed.authentication.delay.ms). */
  readonly failureDelayMs: number;
  /** Waits `ms` (the broker's Clock). */
  sleep(ms: number): Promise<void>;
  readonly logger: HttpLogger;
  /** WWW-Authenticate's realm; default `mq`. */
  readonly realm?: string;
}

/** Longer Authorization values are refused unread (a Basic credential is short). */
const MAX_CREDENTIAL_CHARS = 4096;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

interface Credential {
  readonly user: string;
  readonly password: string;
}

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
    return `${client.headers['x-requested-with'] === 'XMLHttpRequest' ? 'xBasic' : 'Basic'} ${this.realm}`;
  }

  async authenticate(client: HttpClient): Promise<string> {
    const basic = this.opts.methods.includes('basic');
    let credential: Credential | undefined;
    try {
      credential = basic ? credentialOf(client) : undefined;
    } catch (err) {
      return this.fail(client, undefined, (err as Error).message);
    }
    if (credential !== undefined) {
      if (await this.opts.verifyPassword(credential.user, credential.password)) return `User:${credential.user}`;
      return this.fail(client, credential.user, 'wrong user name or password');
    }
    if (this.opts.methods.includes('mtls') && this.opts.certificateSubject !== undefined && 'getPeerX509Certificate' in client.socket) {
      const subject = this.opts.certificateSubject(client.socket as TLSSocket);
      if (subject !== null) return `User:${subject}`;
    }
    const wanted = [basic ? 'Basic credentials' : undefined, this.opts.methods.includes('mtls') ? 'a trusted client certificate' : undefined].filter((w) => w !== undefined);
    // No credentials at all is how every browser's first request looks: answered at once, not logged as a failure.
    throw HttpError.unauthorized(`authentication required: ${wanted.join(' or ')}`, this.challenge(client));
  }

  private async fail(client: HttpClient, user: string | undefined, reason: string): Promise<never> {
    this.opts.logger.warn({ user: user ?? null, remote: client.remoteAddress, reason }, 'http authentication failed');
    if (this.opts.failureDelayMs > 0) await this.opts.sleep(this.opts.failureDelayMs);
    throw HttpError.unauthorized(`authentication failed: ${reason}`, this.challenge(client));
  }
}

/** The Basic credential of the Authorization header, else of the WebSocket subprotocol; undefined when neither is sent. */
function credentialOf(client: HttpClient): Credential | undefined {
  const header = client.headers.authorization;
  if (header !== undefined) {
    if (header.length > MAX_CREDENTIAL_CHARS) throw new Error(`Authorization header longer than ${MAX_CREDENTIAL_CHARS} characters`);
    const space = header.indexOf(' ');
    const scheme = space < 0 ? header : header.slice(0, space);
    if (scheme.toLowerCase() !== 'basic') throw new Error(`unsupported Authorization scheme ${JSON.stringify(scheme.slice(0, 20))} (use Basic)`);
    const token = header.slice(space + 1).trim();
    if (space < 0 || token === '' || !BASE64.test(token)) throw new Error('malformed Basic credentials: expected base64(user:password)');
    return split(Buffer.from(token, 'base64').toString('utf8'));
  }
  const protocols = client.headers['sec-websocket-protocol'];
  if (protocols === undefined || protocols.length > MAX_CREDENTIAL_CHARS) return undefined;
  const offered = protocols.split(',').map((p) => p.trim()).find((p) => p.startsWith(WEBSOCKET_BASIC_PROTOCOL_PREFIX));
  if (offered === undefined) return undefined;
  const token = offered.slice(WEBSOCKET_BASIC_PROTOCOL_PREFIX.length);
  if (token === '' || !BASE64URL.test(token)) throw new Error('malformed Basic credentials in the WebSocket protocol: expected base64url(user:password)');
  return split(Buffer.from(token, 'base64url').toString('utf8'));
}

function split(decoded: string): Credential {
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new Error('malformed Basic credentials: expected user:password');
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
