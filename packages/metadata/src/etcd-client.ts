// The etcd3 client every cluster component shares, with fault handling fit for a control plane:
// unary calls carry a deadline (a dead etcd fails a metadata change in seconds, not never), no
// silent retries (a retried txn could report a conflict for a write that succeeded), and a host
// circuit breaker that tries again 250 ms after it opens (etcd3's default waits 5 s to resync).
// Reconnection is capped at RECONNECT_MAX_MS on both layers that back off: etcd3's watch stream
// (cockatiel's default grows to 30 s, so after a few seconds of etcd outage a broker's image — and
// the controller it names — stayed stale for 10-30 s after etcd returned: NOT_CONTROLLER meanwhile)
// and gRPC's subchannel (its default grows to 120 s).
// etcd3 (and the gRPC stack under it) is loaded here, on first use, not at import: it is most of a
// single-node broker's start-up time, and a single node never talks to etcd.
import { ConsecutiveBreaker, ExponentialBackoff, circuitBreaker, handleWhen, noop } from 'cockatiel';
import type { Etcd3 } from 'etcd3';

export interface EtcdClientOptions {
  /** Deadline of each unary call (get, put, txn, lease grant); default 2000 ms. */
  readonly callTimeoutMs?: number;
}

/** Longest wait between two reconnection attempts to etcd (watch stream, gRPC channel). */
export const RECONNECT_MAX_MS = 1_000;
const RECONNECT_INITIAL_MS = 100;

export async function createEtcdClient(endpoints: readonly string[], opts: EtcdClientOptions = {}): Promise<Etcd3> {
  const { Etcd3, isRecoverableError } = await import('etcd3');
  const timeout = opts.callTimeoutMs ?? 2_000;
  return new Etcd3({
    hosts: [...endpoints],
    dialTimeout: timeout,
    // Streams (watch, lease keepalive) live on; only unary calls get a deadline.
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
    grpcOptions: {
      'grpc.initial_reconnect_backoff_ms': RECONNECT_INITIAL_MS,
      'grpc.max_reconnect_backoff_ms': RECONNECT_MAX_MS,
    },
    faultHandling: {
      global: noop,
      host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 250, breaker: new ConsecutiveBreaker(3) }),
      // etcd3 types this as a backoff (it calls next() on it for the first delay): the factory's first step.
      watchBackoff: new ExponentialBackoff({ initialDelay: RECONNECT_INITIAL_MS, maxDelay: RECONNECT_MAX_MS }).next(),
    },
  });
}
