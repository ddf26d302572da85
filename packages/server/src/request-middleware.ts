// The dispatcher's middleware chain: request → middleware[] → handler. Tracing, metrics and
// authorization plug in here without touching handlers. A middleware is part of the synchronous
// dispatch phase (its type returns a Completion, not a Promise), so it cannot reorder requests.
import type { Completion } from './completion';
import type { Body, RequestContext } from './handler';

export interface RequestCall {
  /** The decoded request body (camelCase fields of @mq/protocol's schema). */
  readonly request: Body;
  readonly ctx: RequestContext;
  /** The handler's error response with every error field set to `errorCode` (an authorizer's refusal). */
  errorResponse(errorCode: number): object;
  /** Likewise for another request of the same API (the entities an authorizer refused, split off). */
  errorResponseFor(request: Body, errorCode: number): object;
}

/**
 * Calls `next()` to run the rest of the chain (and the handler) and returns its completion, or
 * returns a completion of its own (e.g. `Completion.now(call.errorResponse(code))`) without it.
 * `next(request)` runs the rest on another body of the same API instead (an authorizer passes on
 * only the entities it allowed, and merges errors for the rest into the response).
 */
export type RequestMiddleware = (call: RequestCall, next: (request?: Body) => Completion<object>) => Completion<object>;
