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
}

/**
 * Calls `next()` to run the rest of the chain (and the handler) and returns its completion, or
 * returns a completion of its own (e.g. `Completion.now(call.errorResponse(code))`) without it.
 */
export type RequestMiddleware = (call: RequestCall, next: () => Completion<object>) => Completion<object>;
