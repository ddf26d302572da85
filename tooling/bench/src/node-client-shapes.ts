// The workload shapes every Node client runs in the "Node clients" table of bench:compare, written
// once so that the clients differ only in their own API calls: windowed batched produce, a consume
// timed from its first record, and a paced end-to-end latency probe.
import type { TimedRun } from './kcat-load';
import type { LatencyRun } from './kafkajs-load';
import { latencyPayload, paced, recordBuffers } from './payloads';

/** Records per send() call. */
export const SEND_CHUNK = 1000;
/** send() calls unresolved at once. */
export const SEND_WINDOW = 64;
/**
 * Fetch bytes per partition every consumer of the table asks for: 1 MiB, the default of Kafka's Java
 * consumer, kafkajs and @mq/client (and small enough that a consume spans many fetches).
 */
export const FETCH_PARTITION_BYTES = 1024 * 1024;
const CONSUME_TIMEOUT_MS = 180_000;

/** `count` records of `size` bytes through `send`, SEND_CHUNK per call, SEND_WINDOW calls in flight; timed after one warm-up send. */
export async function windowedProduce(count: number, size: number, send: (values: Buffer[]) => Promise<unknown>): Promise<TimedRun> {
  const values = recordBuffers(count, size);
  // Metadata, connections (and a producer id) before the clock starts.
  await send([Buffer.from('warm-up')]);
  const t0 = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let from = 0; from < count; from += SEND_CHUNK) {
    inflight.push(send(values.slice(from, from + SEND_CHUNK)));
    if (inflight.length >= SEND_WINDOW) await inflight.shift();
  }
  await Promise.all(inflight);
  return { messages: count, ms: performance.now() - t0 };
}

export interface ConsumeCounter {
  /**
   * Counts `n` records received, whose values the caller read (`valueBytes`, their summed lengths:
   * every client's consume touches each value, so a lazily decoding client does the same work).
   * The clock starts when the first delivery arrives; that delivery is not counted (its records
   * were fetched before the clock started: counting them would inflate the rate, all the more the
   * larger a client's first delivery).
   */
  add(n: number, valueBytes: number): void;
  /** True once `expected` records were counted or the deadline passed. */
  readonly finished: boolean;
  /** Resolves once `expected` records were received (messages: those after the first delivery); rejects after 180 s. */
  readonly done: Promise<TimedRun>;
}

/** Summed value lengths of a batch of received records (what every client's consume loop reads). */
export function valueBytes(records: ReadonlyArray<{ readonly value: { readonly length: number } | null | undefined }>): number {
  let n = 0;
  for (const r of records) n += r.value?.length ?? 0;
  return n;
}

/** A consume timed from its first record to the `expected`-th (group join and start-up excluded). */
export function untilCount(expected: number, label: string): ConsumeCounter {
  let got = 0;
  let bytes = 0;
  let finished = false;
  let t0: number | undefined;
  let first = 0;
  let resolve!: (r: TimedRun) => void;
  let reject!: (e: Error) => void;
  const done = new Promise<TimedRun>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const timer = setTimeout(() => {
    finished = true;
    reject(new Error(`${label} read ${got} of ${expected} in ${CONSUME_TIMEOUT_MS / 1000} s`));
  }, CONSUME_TIMEOUT_MS);
  return {
    add(n: number, valueBytes: number): void {
      if (n === 0 || finished) return;
      if (t0 === undefined) {
        t0 = performance.now();
        first = n;
      }
      got += n;
      bytes += valueBytes;
      if (got >= expected) {
        finished = true;
        clearTimeout(timer);
        if (bytes < got) reject(new Error(`${label}: ${got} records carried only ${bytes} value bytes`));
        else if (got === first) reject(new Error(`${label}: all ${got} records came in the first delivery; nothing left to time`));
        else resolve({ messages: got - first, ms: performance.now() - t0 });
      }
    },
    get finished(): boolean {
      return finished;
    },
    done,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * End-to-end latency at `rate` msg/s for `durationMs`: the caller's consumer pushes latencyOf(value)
 * into `e2e` for every record. Warm-up records are sent until one arrives (the consumer is fetching
 * at the log end), then the paced run; waits up to 10 s for every paced record to arrive.
 */
export async function pacedProbe(size: number, rate: number, durationMs: number, e2e: number[], send: (values: Buffer[]) => Promise<unknown>): Promise<LatencyRun> {
  const joinDeadline = performance.now() + 30_000;
  while (e2e.length === 0) {
    if (performance.now() > joinDeadline) throw new Error('latency probe: no warm-up record arrived in 30 s');
    await send([Buffer.from(latencyPayload(size))]);
    await sleep(100);
  }
  await sleep(200);
  const warm = e2e.length;
  const latencies: number[] = [];
  const pending = new Set<Promise<void>>();
  const sent = await paced(rate, durationMs, (n) => {
    const values = Array.from({ length: n }, () => Buffer.from(latencyPayload(size)));
    const s = performance.now();
    const p = send(values).then(
      () => void latencies.push(performance.now() - s),
      () => undefined,
    );
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  await Promise.all(pending);
  const deadline = performance.now() + 10_000;
  while (e2e.length < warm + sent && performance.now() < deadline) await sleep(50);
  return { e2e: e2e.slice(warm), send: latencies, sent };
}
