// The console's login: an HTTP Basic credential or a bearer token (http.authentication.methods=bearer)
// kept in sessionStorage (this tab only, gone when it closes), sent as the Authorization header on
// every fetch and, because browsers cannot set headers on a WebSocket, as the `mq.basic.<base64url>`
// or `mq.bearer.<token>` subprotocol beside `mq` (the broker selects `mq`).

const KEY = 'mq.console.credential';
const TOKEN_KEY = 'mq.console.token';

function read(key: string): string | undefined {
  try {
    return sessionStorage.getItem(key) ?? undefined;
  } catch {
    return undefined; // storage disabled: every request goes without credentials
  }
}

/** The stored `user:password` pair, base64url-encoded (UTF-8 safe), or undefined when not logged in with one. */
const stored = (): string | undefined => read(KEY);
/** The stored bearer token, or undefined. */
const storedToken = (): string | undefined => read(TOKEN_KEY);

function base64url(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url (padded or not) back to UTF-8 text; throws on what is not base64. */
function fromBase64url(encoded: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(encoded.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
}

export function login(user: string, password: string): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.setItem(KEY, base64url(`${user}:${password}`));
}

export function loginWithToken(token: string): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export function logout(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(TOKEN_KEY);
}

export function loggedIn(): boolean {
  return stored() !== undefined || storedToken() !== undefined;
}

/** A JWT's `sub` (the broker's principal name for it), or undefined when the token is not a readable JWT. */
function tokenSubject(token: string): string | undefined {
  try {
    const payload = JSON.parse(fromBase64url(token.split('.')[1]!)) as { sub?: unknown };
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

/** The user name of the stored credential (shown in the header). */
export function userName(): string | undefined {
  const bearer = storedToken();
  if (bearer !== undefined) return tokenSubject(bearer) ?? 'token';
  const token = stored();
  if (token === undefined) return undefined;
  const text = fromBase64url(token);
  return text.slice(0, text.indexOf(':'));
}

/**
 * Headers of every API call. X-Requested-With makes the broker's 401 challenge `xBasic`, so the
 * browser shows the console's login form instead of its own Basic prompt.
 */
export function authHeaders(): Record<string, string> {
  const token = stored();
  const bearer = storedToken();
  const headers: Record<string, string> = { 'x-requested-with': 'XMLHttpRequest' };
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  else if (token !== undefined) headers.authorization = `Basic ${token.replace(/-/g, '+').replace(/_/g, '/')}${'='.repeat((4 - (token.length % 4)) % 4)}`;
  return headers;
}

/** The Authorization header authHeaders() sends now (undefined when not logged in). */
export function currentAuthorization(): string | undefined {
  return authHeaders().authorization;
}

/** WebSocket subprotocols: the credential rides as one (never echoed back). */
export function socketProtocols(): string[] | undefined {
  const bearer = storedToken();
  if (bearer !== undefined) return ['mq', `mq.bearer.${bearer}`];
  const token = stored();
  return token === undefined ? undefined : ['mq', `mq.basic.${token}`];
}
