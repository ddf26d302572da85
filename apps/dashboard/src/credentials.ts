// The console's login: an HTTP Basic credential kept in sessionStorage (this tab only, gone when it
// closes), sent as the Authorization header on every fetch and, because browsers cannot set headers
// on a WebSocket, as the `mq.basic.<base64url>` subprotocol beside `mq` (the broker selects `mq`).

const KEY = 'mq.console.credential';

/** The stored `user:password` pair, base64url-encoded (UTF-8 safe), or undefined when not logged in. */
function stored(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled: every request goes without credentials
  }
}

function base64url(text: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function login(user: string, password: string): void {
  sessionStorage.setItem(KEY, base64url(`${user}:${password}`));
}

export function logout(): void {
  sessionStorage.removeItem(KEY);
}

export function loggedIn(): boolean {
  return stored() !== undefined;
}

/** The user name of the stored credential (shown in the header). */
export function userName(): string | undefined {
  const token = stored();
  if (token === undefined) return undefined;
  const text = new TextDecoder().decode(Uint8Array.from(atob(token.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
  return text.slice(0, text.indexOf(':'));
}

/**
 * Headers of every API call. X-Requested-With makes the broker's 401 challenge `xBasic`, so the
 * browser shows the console's login form instead of its own Basic prompt.
 */
export function authHeaders(): Record<string, string> {
  const token = stored();
  const headers: Record<string, string> = { 'x-requested-with': 'XMLHttpRequest' };
  if (token !== undefined) headers.authorization = `Basic ${token.replace(/-/g, '+').replace(/_/g, '/')}${'='.repeat((4 - (token.length % 4)) % 4)}`;
  return headers;
}

/** WebSocket subprotocols: the credential rides as one (never echoed back). */
export function socketProtocols(): string[] | undefined {
  const token = stored();
  return token === undefined ? undefined : ['mq', `mq.basic.${token}`];
}
