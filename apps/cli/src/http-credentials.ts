// The Authorization header for the broker's HTTP API: an HTTP URL's userinfo
// (http://user:password@host:port, as curl takes it) as HTTP Basic, for brokers with
// http.authentication.methods=basic, or a bearer token (--bearer-token, $MQ_BEARER_TOKEN, a
// profile's bearer-token) for http.authentication.methods=bearer. fetch() refuses URLs that carry
// credentials, and no error line may show the password or the token.
import { UsageError } from './cli-error';

export interface HttpTarget {
  /** The URL without its userinfo. */
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
}

/** RFC 6750's b64token is narrower; anything printable without spaces is passed on for the broker to judge. */
const TOKEN = /^[\x21-\x7e]+$/;

export function checkBearerToken(token: string, from: string): string {
  if (!TOKEN.test(token)) throw new UsageError(`${from}: a bearer token is non-empty printable ASCII without spaces or newlines`);
  return token;
}

export function withoutCredentials(url: URL, bearerToken?: string): HttpTarget {
  const hasUserinfo = url.username !== '' || url.password !== '';
  if (hasUserinfo && bearerToken !== undefined) throw new UsageError(`give Basic credentials in the URL (${url.protocol}//user:password@…) or a bearer token, not both`);
  if (bearerToken !== undefined) return { url, headers: { authorization: `Bearer ${bearerToken}` } };
  if (!hasUserinfo) return { url, headers: {} };
  const credential = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return { url: bare, headers: { authorization: `Basic ${Buffer.from(credential, 'utf8').toString('base64')}` } };
}
