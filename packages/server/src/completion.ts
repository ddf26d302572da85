// What a handler's dispatch phase hands back: the response, or the promise of it. A class (not a
// Promise) so that the type of ApiHandler.dispatch rejects an async function.

/** Returned by a handler when Kafka sends no response (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('mq.noResponse');
export type NoResponse = typeof NO_RESPONSE;

export class Completion<Res> {
  // A private member makes the class nominal: no Promise or plain object is assignable to it.
  private constructor(private readonly settled: Promise<Res | NoResponse>) {}

  /** The response is known in the dispatch phase (validation errors, ApiVersions). */
  static now<Res>(response: Res | NoResponse): Completion<Res> {
    return new Completion(Promise.resolve(response));
  }

  /** The response follows from work the dispatch phase has already started. */
  static later<Res>(response: Promise<Res | NoResponse>): Completion<Res> {
    return new Completion(response);
  }

  /** The completion phase: settles with the response (or rejects: UNKNOWN_SERVER_ERROR). */
  get response(): Promise<Res | NoResponse> {
    return this.settled;
  }

  /** A completion that runs `fn` on the response once it settles (middleware: metrics, tracing). */
  map<Out>(fn: (response: Promise<Res | NoResponse>) => Promise<Out | NoResponse>): Completion<Out> {
    return new Completion(fn(this.settled));
  }
}
