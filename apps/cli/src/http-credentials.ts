// An HTTP URL's userinfo (http://user:password@host:port, as curl takes it) as an HTTP Basic
// Authorization header, for brokers with http.authentication.methods=basic: fetch() refuses URLs
// that carry credentials, and no error line may show the password.

export interface HttpTarget {
  /** The URL without its userinfo. */
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
}

export function withoutCredentials(url: URL): HttpTarget {
  if (url.username === '' && url.password === '') return { url, headers: {} };
  const credential = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return { url: bare, headers: { authorization: `Basic ${Buffer.from(credential, 'utf8').toString('base64')}` } };
}
