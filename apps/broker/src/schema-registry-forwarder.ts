// The transport of the schema registry's leader forwarding in a cluster: every broker publishes the
// URL of its HTTP listener in the metadata store (namespace `schema-registry-urls`, key its node id:
// etcd, so every broker sees every other's), and a forwarded request goes there over HTTP(S) —
// with the listener's own TLS material (its CA to trust the other broker, its certificate for one
// that asks for a client's). A request the broker makes for itself (broker-side validation's
// fetches) goes with its own credentials (registry-credentials.ts), when it has them.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ANONYMOUS_HTTP_PRINCIPAL, type HttpTlsOptions } from '@mq/http';
import { type MetadataStore, entriesOf } from '@mq/metadata';
import type { ForwardedRequest, ForwardedResponse, RegistryForwarder } from '@mq/schema-registry';
import type { Clock } from '@mq/timerwheel';
import type { OwnAuthorization } from './registry-credentials';

export const REGISTRY_URLS_NAMESPACE = 'schema-registry-urls';
/**
 * On a request forwarded for a caller without an Authorization to pass on: the principal this
 * broker authenticated. The other broker's listener takes it only from a broker (http-security.ts).
 */
export const FORWARDED_PRINCIPAL_HEADER = 'x-mq-forwarded-principal';
/** One forwarded request's limit (a write at the leader waits for its ISR, at most ~5 s). */
const FORWARD_REQUEST_TIMEOUT_MS = 10_000;

/** Where other brokers reach this one's HTTP listener: its bound address, a wildcard one replaced by the advertised host. */
export function registryUrl(bound: { readonly host: string; readonly port: number }, advertisedHost: string, tls: boolean): string {
  const wildcard = bound.host === '0.0.0.0' || bound.host === '::' || bound.host === '';
  const host = wildcard ? advertisedHost : bound.host;
  return `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${bound.port}`;
}

/** Publishes this broker's registry URL (a restart on another port replaces it). */
export async function publishRegistryUrl(store: MetadataStore, nodeId: number, url: string): Promise<void> {
  if (entriesOf(store.image, REGISTRY_URLS_NAMESPACE).get(String(nodeId)) === url) return;
  await store.commit([{ type: 'entry', namespace: REGISTRY_URLS_NAMESPACE, key: String(nodeId), value: url }]);
}

export function registryForwarder(opts: {
  readonly nodeId: number;
  readonly store: MetadataStore;
  readonly clock: Clock;
  readonly tls?: HttpTlsOptions;
  /** The Authorization of requests the broker makes for itself. */
  readonly own?: OwnAuthorization;
}): RegistryForwarder {
  const { nodeId, store, clock, tls, own } = opts;
  return {
    nodeId,
    pause: (ms) => new Promise((resolve) => clock.schedule(ms, resolve)),
    now: () => clock.monotonic(),
    forward(to: number, req: ForwardedRequest): Promise<ForwardedResponse> {
      const base = entriesOf(store.image, REGISTRY_URLS_NAMESPACE).get(String(to));
      if (base === undefined) return Promise.reject(new Error(`broker ${to} has published no schema registry URL`));
      const url = new URL(req.pathAndQuery, base);
      if (req.onBrokersBehalf !== true || own === undefined || req.headers.authorization !== undefined) return send(url, { ...req, headers: identityHeaders(req) }, tls);
      const asBroker = async (): Promise<ForwardedResponse> => send(url, { ...req, headers: { ...req.headers, authorization: await own.header() } }, tls);
      // A refused token may have been revoked or expired early: once more with a new one.
      return asBroker().then((r) => {
        if (r.status !== 401) return r;
        own.refused();
        return asBroker();
      });
    },
  };
}

/**
 * How the other broker learns who a caller's request is for: their Authorization as it came; else,
 * for a caller this broker authenticated by other means (a TLS client certificate, which cannot be
 * passed on), their principal in FORWARDED_PRINCIPAL_HEADER (taken there only from a connection
 * with the brokers' own certificate).
 */
function identityHeaders(req: Pick<ForwardedRequest, 'headers' | 'principal'>): Record<string, string> {
  if (req.headers.authorization !== undefined || req.principal === undefined || req.principal === ANONYMOUS_HTTP_PRINCIPAL) return { ...req.headers };
  return { ...req.headers, [FORWARDED_PRINCIPAL_HEADER]: req.principal };
}

function send(url: URL, req: ForwardedRequest, tls: HttpTlsOptions | undefined): Promise<ForwardedResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body.length > 0) headers['content-length'] = req.body.length;
    const options = { method: req.method, headers, timeout: FORWARD_REQUEST_TIMEOUT_MS };
    const onResponse = (res: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out[k] = v;
        resolve({ status: res.statusCode ?? 502, body: Buffer.concat(chunks), contentType: res.headers['content-type'], headers: out });
      });
    };
    const r =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...options, ...(tls === undefined ? {} : { ca: tls.ca, key: tls.key, cert: tls.cert, passphrase: tls.passphrase }) }, onResponse)
        : httpRequest(url, options, onResponse);
    r.on('timeout', () => r.destroy(new Error(`no answer from ${url.host} within ${FORWARD_REQUEST_TIMEOUT_MS} ms`)));
    r.on('error', reject);
    r.end(req.body.length > 0 ? req.body : undefined);
  });
}
