// Leader forwarding (Confluent's "forward to the leader" of its REST layer): in a cluster only the
// broker leading `_schemas` partition 0 writes the registry, so a write reaching any other broker is
// sent on to it, as it came (the caller's credentials with it), and its answer is passed back. The
// leader may be changing (killed, its partition failing over): the request is tried again against
// whichever broker leads next, until FORWARD_TIMEOUT_MS. A broker without a replica of the
// partition forwards reads the same way. The transport (HTTP to the other broker's listener) is the
// broker's: this package only says where and when.
import { KafkaError } from '@mq/errors';
import { RegistryError, RegistryErrorCode } from '@mq/schema';
import type { SchemaRegistry } from '../schema-registry.js';
import type { RegistryRequest, RegistryResponse, RegistryRoute } from './registry-route.js';

/** Marks a request one broker forwarded to another: it is answered where it lands, never forwarded again. */
export const FORWARDED_HEADER = 'x-mq-registry-forwarded';
/**
 * On a write's answer in a cluster: the offset the leader's view had reached with it, so the broker
 * that forwarded the write answers once its own view has too (the writer reads its write there).
 */
export const APPLIED_OFFSET_HEADER = 'x-mq-registry-applied-offset';
/** How long a request keeps trying while no broker can take it (leader unknown, down or loading). */
export const FORWARD_TIMEOUT_MS = 15_000;
/** The pause between two tries. */
const RETRY_MS = 100;
/** The caller's headers a forwarded request carries (its credentials and content negotiation). */
const CARRIED = ['authorization', 'content-type', 'accept'] as const;

export interface ForwardedRequest {
  readonly method: RegistryRoute['method'];
  /** Path (parameters percent-encoded) and query, as the other broker's listener takes it. */
  readonly pathAndQuery: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /**
   * Who the request is made for (the principal this broker's listener authenticated). Without the
   * caller's Authorization to carry on (they proved who they are with a TLS client certificate),
   * the transport names them to the other broker itself.
   */
  readonly principal?: string;
  /**
   * Made by this broker for itself (broker-side validation's fetches), for no caller: the transport
   * may authenticate it with the broker's own credentials. Never set on a caller's request.
   */
  readonly onBrokersBehalf?: true;
}

/** The answer of the other broker, passed back as it is. */
export interface ForwardedResponse {
  readonly status: number;
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

export interface RegistryForwarder {
  /** This broker's id (a leader reported as this broker is still loading here: wait, do not send). */
  readonly nodeId: number;
  /** Sends the request to broker `nodeId`'s registry; rejects when that broker cannot be reached or is unknown. */
  forward(nodeId: number, request: ForwardedRequest): Promise<ForwardedResponse>;
  /** The registry's clock: pauses between tries. */
  pause(ms: number): Promise<void>;
  /** The clock's monotonic milliseconds: the deadline of a request's tries. */
  now(): number;
}

export type RouteKind = 'read' | 'write';

/** Whether this broker answers `kind` itself now. */
export function servedHere(registry: SchemaRegistry, kind: RouteKind): boolean {
  return kind === 'write' ? registry.leadsWrites : registry.servesReads && registry.readsCurrent;
}

export function isForwarded(req: RegistryRequest): boolean {
  return header(req, FORWARDED_HEADER) !== undefined;
}

/**
 * A failure of the local path that means "not here (any more)": the write shard is not loaded here
 * (any more) and the error is a retriable one (not coordinator, loading, its append refused as not
 * the leader) — try where the partition is led now. A failed append while still leading is the store's.
 */
export function movedAway(err: unknown, registry: SchemaRegistry): boolean {
  return err instanceof KafkaError && err.retriable && !registry.leadsWrites;
}

/**
 * Runs the request where it can be answered: here when this broker serves `kind` (again), else at
 * the leader; retried while the leader is unknown, unreachable, loading or moving, until the deadline.
 */
export async function forwardUntilAnswered(
  registry: SchemaRegistry,
  forwarder: RegistryForwarder,
  kind: RouteKind,
  request: ForwardedRequest,
  local: () => Promise<RegistryResponse>,
): Promise<RegistryResponse> {
  const deadline = forwarder.now() + FORWARD_TIMEOUT_MS;
  let last = 'no broker leads the schema registry topic';
  for (;;) {
    if (servedHere(registry, kind)) {
      const answer = await local().catch((err: unknown) => {
        if (!movedAway(err, registry)) throw err;
        last = (err as Error).message;
        return undefined;
      });
      if (answer !== undefined) return answer;
    } else {
      const leader = registry.leader;
      if (leader !== undefined && leader !== forwarder.nodeId) {
        const answer = await forwarder.forward(leader, request).then(
          (r) => r,
          (err: unknown) => {
            last = `broker ${leader}: ${(err as Error).message}`;
            return undefined;
          },
        );
        if (answer !== undefined && !notReadyThere(answer)) return passBack(registry, kind, answer);
        if (answer !== undefined) last = `broker ${leader} answered ${answer.status}: ${answer.body.toString('utf8')}`;
      } else if (leader === forwarder.nodeId) {
        last = `this broker leads ${registry.topic}-0 but has not loaded it yet`;
      }
    }
    if (forwarder.now() >= deadline) {
      throw new RegistryError(RegistryErrorCode.REQUEST_FORWARDING_FAILED, `Error while forwarding the request to the leader: ${last}`);
    }
    await forwarder.pause(RETRY_MS);
  }
}

/** What a forwarded request carries: the route's path with its parameters, the query, the caller's headers. */
export function forwardedRequest(method: RegistryRoute['method'], template: string, params: Readonly<Record<string, string>>, req: RegistryRequest, from: number): ForwardedRequest {
  const path = template.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const query = req.query.toString();
  const headers: Record<string, string> = { [FORWARDED_HEADER]: String(from) };
  for (const name of CARRIED) {
    const value = header(req, name);
    if (value !== undefined) headers[name] = value;
  }
  // Credentials in a header go on as they came (the leader checks them itself); a certificate's cannot: the principal goes with the request.
  return { method, pathAndQuery: query === '' ? path : `${path}?${query}`, headers, body: req.body, ...(req.principal !== undefined ? { principal: req.principal } : {}) };
}

/** The other broker could not take it either (not the leader, or loading): the next try may find one that can. */
function notReadyThere(r: ForwardedResponse): boolean {
  if (r.status < 500) return false;
  try {
    const code = (JSON.parse(r.body.toString('utf8')) as { error_code?: unknown }).error_code;
    return code === RegistryErrorCode.REQUEST_FORWARDING_FAILED || code === RegistryErrorCode.UNKNOWN_LEADER;
  } catch {
    return false;
  }
}

/** The leader's answer; a write's noted, so that reads here go to the leader until this broker's view has it (read-your-write here). */
function passBack(registry: SchemaRegistry, kind: RouteKind, r: ForwardedResponse): RegistryResponse {
  const applied = r.headers[APPLIED_OFFSET_HEADER];
  if (kind === 'write' && applied !== undefined && /^\d+$/.test(applied)) registry.notePending(BigInt(applied));
  return { status: r.status, body: r.body, ...(r.contentType !== undefined ? { contentType: r.contentType } : {}) };
}

function header(req: RegistryRequest, name: string): string | undefined {
  const v = req.headers?.[name];
  return Array.isArray(v) ? v[0] : v;
}
