// What WriteTxnMarkers asks a partition to store: the end of one producer's transaction.
export interface TxnMarker {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  /** true: COMMIT, false: ABORT. */
  readonly commit: boolean;
  /** The transaction coordinator's epoch (its __transaction_state partition's leader epoch). */
  readonly coordinatorEpoch: number;
}
