// What a coordinator write operation returns (Kafka's CoordinatorResult): the records that express
// the state change, and the response to complete once they are in the log. The operation itself
// changes nothing; the runtime replays the records into the shard after the append succeeds.

export interface CoordinatorResult<R, T> {
  readonly records: readonly R[];
  readonly response: T;
  /**
   * Runs once the records are appended and replayed (at once when there are none), before the
   * next operation of the shard starts: the follow-ups that are not state of the log — timers,
   * caches — and only make sense on the changed state. Not run when the append fails.
   */
  readonly onCommitted?: () => void;
  /**
   * Runs when the append fails (the shard is as it was), also before the next operation starts
   * and before the caller sees the rejection: in-flight follow-ups such as answering parked
   * requests or starting a retry.
   */
  readonly onFailed?: (err: unknown) => void;
}

/** A result with records whose response is `undefined`. */
export function recordsOnly<R>(records: readonly R[]): CoordinatorResult<R, undefined> {
  return { records, response: undefined };
}

/** A result that writes nothing (a read-only answer, or a request refused before any change). */
export function responseOnly<T>(response: T): CoordinatorResult<never, T> {
  return { records: [], response };
}
