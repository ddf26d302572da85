// The OAUTHBEARER client's first message as the server reads it (RFC 7628 §3.1, Kafka's
// OAuthBearerClientInitialResponse; @mq/protocol's OAuthBearerClient writes it):
//   n,[a=<authzid>],\x01auth=Bearer <token>\x01[<key>=<value>\x01]*\x01
// the GS2 header without channel binding, then key=value pairs each ended by \x01, then one more
// \x01. `auth` carries the token; the other pairs are SASL extensions.
import { SaslAuthenticationError } from './auth-errors';

export interface OAuthBearerClientResponse {
  /** The authorization id the client asked for ('' when none: the token's principal). */
  readonly authorizationId: string;
  readonly token: string;
  readonly extensions: ReadonlyMap<string, string>;
}

const SEPARATOR = '\u0001';
/** RFC 7628's saslname: any US-ASCII but NUL, `,` and `=`, with `=2C` / `=3D` escaping those two. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 7628's saslname allows every control character but NUL
const SASLNAME = /^(?:[\x01-\x2b\x2d-\x3c\x3e-\x7f]|=2C|=3D)+$/;
const KEY = /^[A-Za-z]+$/;
const VALUE = /^[\x21-\x7E \t\r\n]+$/;
/** RFC 6750 b64token after the scheme (Kafka's AUTH_PATTERN). */
const AUTH = /^(\w+) +([-_.a-zA-Z0-9]+)$/;

export function parseOAuthBearerClientResponse(message: Buffer): OAuthBearerClientResponse {
  const text = message.toString('utf8');
  const bad = (why: string) => new SaslAuthenticationError(`OAUTHBEARER: invalid client message: ${why}`);
  if (!text.startsWith('n,')) throw bad('it must start with the GS2 header "n,"');
  const headerEnd = text.indexOf(',', 2);
  if (headerEnd < 0) throw bad('the GS2 header has no closing ","');
  const authz = text.slice(2, headerEnd);
  let authorizationId = '';
  if (authz !== '') {
    if (!authz.startsWith('a=') || !SASLNAME.test(authz.slice(2))) throw bad('the authorization id is not a=<saslname>');
    authorizationId = authz.slice(2).replaceAll('=2C', ',').replaceAll('=3D', '=');
  }
  const rest = text.slice(headerEnd + 1);
  if (!rest.startsWith(SEPARATOR) || !rest.endsWith(SEPARATOR + SEPARATOR)) throw bad('the key=value pairs must be framed by \\x01 and end with \\x01\\x01');
  const pairs = rest.slice(1, -2).split(SEPARATOR);
  let token: string | undefined;
  const extensions = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (!KEY.test(key) || !VALUE.test(value)) throw bad('a key=value pair is malformed');
    if (key === 'auth') {
      const m = AUTH.exec(value);
      if (m === null) throw bad('auth is not "Bearer <token>"');
      if (m[1]!.toLowerCase() !== 'bearer') throw bad(`the auth scheme is ${m[1]}, not Bearer`);
      token = m[2]!;
    } else {
      extensions.set(key, value);
    }
  }
  if (token === undefined) throw bad('no auth=Bearer <token> pair');
  return { authorizationId, token, extensions };
}
