// Hands validated batches to the log in the order append() was called, although validating a
// compressed batch finishes later (decompression runs in the libuv pool) and possibly out of order.
// Batches still decompress in parallel; only the hand-off to the log is serialised.

const noop = (): void => undefined;

export class OrderedHandoff {
  /** Settles once the most recently enqueued batch has been handed off (or failed). Never rejects. */
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** True when no batch is waiting: one validated synchronously may go straight to the log. */
  get idle(): boolean {
    return this.waiting === 0;
  }

  /**
   * Calls `handOff(value)` once `ready` has settled and every earlier batch was handed off; a
   * rejected `ready` rejects the result (in turn, so later batches still wait for earlier ones).
   * `handOff` must start its work synchronously; its promise is returned without being waited on.
   */
  enqueue<T, R>(ready: T | Promise<T>, handOff: (value: T) => Promise<R>): Promise<R> {
    const previous = this.tail;
    this.waiting++;
    const handed = (async () => {
      try {
        let value: T;
        try {
          value = await ready;
        } finally {
          await previous;
        }
        // Boxed, so the async function does not wait for the append itself to finish.
        return { result: handOff(value) };
      } finally {
        this.waiting--;
      }
    })();
    this.tail = handed.then(noop, noop);
    return handed.then((h) => h.result);
  }
}
