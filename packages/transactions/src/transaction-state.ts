// The states of a transactional id (Kafka's TransactionState), with the id each has in a
// __transaction_state value and the name DescribeTransactions / ListTransactions report.
//   Empty          — no transaction; InitProducerId bumps the epoch, AddPartitions/AddOffsets begin one.
//   Ongoing        — partitions added; EndTxn prepares, the timeout or a new InitProducerId aborts it.
//   PrepareCommit / PrepareAbort — the decision is durable; markers are being written (requests for
//                    the id get CONCURRENT_TRANSACTIONS); a reloaded coordinator resumes from here.
//   CompleteCommit / CompleteAbort — markers written; like Empty for what may come next.
//   Dead           — expired (transactional.id.expiration.ms): tombstoned, then forgotten.

export const TxnState = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const;

export type TxnStateId = (typeof TxnState)[keyof typeof TxnState];

const NAMES: readonly string[] = ['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead', 'PrepareEpochFence'];

export function txnStateName(state: TxnStateId): string {
  return NAMES[state] ?? 'Unknown';
}

/** The state id for a ListTransactions filter name, or undefined for a name Kafka does not have. */
export function txnStateByName(name: string): TxnStateId | undefined {
  const i = NAMES.indexOf(name);
  return i < 0 ? undefined : (i as TxnStateId);
}

export function isTxnStateId(n: number): n is TxnStateId {
  return Number.isInteger(n) && n >= 0 && n < NAMES.length;
}

/** No transaction open: the id may begin one or have its epoch bumped. */
export function isIdle(state: TxnStateId): boolean {
  return state === TxnState.Empty || state === TxnState.CompleteCommit || state === TxnState.CompleteAbort;
}
