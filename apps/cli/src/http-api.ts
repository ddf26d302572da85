// The broker's HTTP API for the CLI's commands that have no Kafka-protocol counterpart (`mq delayed`,
// `mq tenants`): the listener from --http, else MQ_HTTP_URL, its credentials (URL userinfo as Basic,
// or the bearer token) as a header, and one call whose non-2xx answer is `error: <message> (HTTP
// <status>)`, exit 1 — never showing the password or the token.
import { CliExit, UsageError } from './cli-error';
import type { CliContext } from './context';
import { withoutCredentials } from './http-credentials';

export interface HttpApi {
  readonly base: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** `what` names the feature in the usage error when no listener is given. */
export async function httpApi(c: CliContext, given: string | undefined, what: string): Promise<HttpApi> {
  const raw = given ?? (c.io.env.MQ_HTTP_URL || undefined);
  if (raw === undefined) throw new UsageError(`${what} is reached through the broker’s HTTP listener: give --http http://host:port (or MQ_HTTP_URL)`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--http ${raw} is not a URL (http://host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--http ${url.origin}: only http:// and https:// URLs`);
  const target = withoutCredentials(url, await c.bearerToken());
  return { base: target.url.origin, headers: target.headers };
}

/** Calls `path` (percent-encoded, with its query); `body` is sent as JSON. Resolves with the JSON answer (undefined for 204). */
export async function callHttpApi<T>(c: CliContext, api: HttpApi, method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const url = `${api.base}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? api.headers : { ...api.headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(c.global.requestTimeout),
    });
  } catch (err) {
    throw new CliExit(1, `error: cannot reach ${api.base}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
  }
  const answer = (await res.json().catch(() => undefined)) as { message?: string } | undefined;
  if (!res.ok) throw new CliExit(1, `error: ${answer?.message ?? res.statusText} (HTTP ${res.status})`);
  return answer as T;
}
