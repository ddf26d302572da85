// The per-entity half of authorization, as Kafka's KafkaApis does it: the entities (topics,
// groups, transactional ids) a principal may not touch are split off the request, answered with
// the handler's own errorResponse for just them, and merged into the response to the rest — so
// handlers never see what they must not serve, and errors are per entity in Kafka's shape.
import { ErrorCode } from '@mq/protocol';
import { Completion, NO_RESPONSE } from '../completion';
import type { Body } from '../handler';
import type { RequestCall } from '../request-middleware';

export interface Split<E> {
  /** The request's entities, in order. */
  readonly entities: readonly E[];
  /** The error code an entity is refused with, or 0 to serve it. */
  readonly refusal: (entity: E) => number;
  /** The request with only these entities. */
  readonly rebuild: (entities: E[]) => Body;
  /** Adds the entries of `refused` (an error response) to `served`. */
  readonly merge: (served: Body, refused: Body) => Body;
  /**
   * Nothing allowed: answer with the errors alone (default), or still run the handler on the empty
   * request (Metadata: brokers and cluster id are still wanted).
   */
  readonly runWhenNoneAllowed?: boolean;
}

export function splitByAuthorization<E>(call: RequestCall, next: (request?: Body) => Completion<object>, split: Split<E>): Completion<object> {
  let allowed: E[] | undefined;
  let refused: Map<number, E[]> | undefined;
  split.entities.forEach((e, i) => {
    const code = split.refusal(e);
    if (code === ErrorCode.NONE) {
      allowed?.push(e);
      return;
    }
    // The first refusal: everything before it was allowed.
    allowed ??= split.entities.slice(0, i);
    refused ??= new Map();
    const list = refused.get(code);
    if (list === undefined) refused.set(code, [e]);
    else list.push(e);
  });
  if (refused === undefined || allowed === undefined) return next();
  const errors = [...refused].map(([code, list]) => call.errorResponseFor(split.rebuild(list), code) as Body);
  const mergeAll = (served: Body): Body => errors.reduce((acc, e) => split.merge(acc, e), served);
  if (allowed.length === 0 && split.runWhenNoneAllowed !== true) {
    const [first, ...rest] = errors;
    return Completion.now(rest.reduce((acc, e) => split.merge(acc, e), first!));
  }
  return next(split.rebuild(allowed)).map(async (response) => {
    const served = await response;
    return served === NO_RESPONSE ? served : mergeAll(served as Body);
  });
}

/** A merge that appends the refused response's `field` list to the served one's. */
export function concatField(field: string): (served: Body, refused: Body) => Body {
  return (served, refused) => ({ ...served, [field]: [...((served[field] as unknown[] | undefined) ?? []), ...((refused[field] as unknown[] | undefined) ?? [])] });
}
