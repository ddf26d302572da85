// Shared by the transaction API handlers: the broker's TransactionCoordinator (from the services
// slot), and the code an old client is told instead of PRODUCER_FENCED (added in KIP-588).
import { ErrorCode } from '@mq/protocol';
import type { TransactionCoordinator } from '@mq/transactions';
import type { RequestContext } from '../handler';

/** The coordinator, or undefined while the broker runs without one (answered COORDINATOR_NOT_AVAILABLE). */
export function transactionsOf(ctx: RequestContext): TransactionCoordinator | undefined {
  return ctx.broker.transactions as TransactionCoordinator | undefined;
}

/** PRODUCER_FENCED for clients that know it (the API's version `since` and later), INVALID_PRODUCER_EPOCH before. */
export function fencedFor(errorCode: number, ctx: RequestContext, since: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && ctx.apiVersion < since ? ErrorCode.INVALID_PRODUCER_EPOCH : errorCode;
}
