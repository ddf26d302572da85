// The etcd3 client every cluster component shares, with fault handling fit for a control plane:
// unary calls carry a deadline (a dead etcd fails a metadata change in seconds, not never), no
// silent retries (a retried txn could report a conflict for a write that succeeded), and a host
// circuit breaker that tries again 250 ms after it opens (etcd3's default waits 5 s to resync).
// etcd3 (and the gRPC stack under it) is loaded here, on first use, not at import: it is most of a
// single-node broker's start-up time, and a single node never talks to etcd.
import { ConsecutiveBreaker, circuitBreaker, handleWhen, noop } from 'cockatiel';
import type { Etcd3 } from 'etcd3';

export interface EtcdClientOptions {
  /** Deadline of each unary call (get, put, txn, lease grant); default 2000 ms. */
  readonly callTimeoutMs?: number;
}

export async function createEtcdClient(endpoints: readonly string[], opts: EtcdClientOptions = {}): Promise<Etcd3> {
  const { Etcd3, isRecoverableError } = await import('etcd3');
  const timeout = opts.callTimeoutMs ?? 2_000;
  return new Etcd3({
    hosts: [...endpoints],
    dialTimeout: timeout,
    // Streams (watch, lease keepalive) live on; only unary calls get a deadline.
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeout }),
    faultHandling: {
      global: noop,
      host: () => circuitBreaker(handleWhen(isRecoverableError), { halfOpenAfter: 250, breaker: new ConsecutiveBreaker(3) }),
    },
  });
}
