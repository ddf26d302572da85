// Option and result types of Log's public methods.

export interface AppendOptions {
  /** Default true. false: the batch already carries its offsets (replication); baseOffset >= logEndOffset. */
  assignOffsets?: boolean;
  /** Stamp this partitionLeaderEpoch into the batch. */
  leaderEpoch?: number;
  /** Stamp the log's clock as LogAppendTime (topic message.timestamp.type=LogAppendTime). */
  logAppendTime?: boolean;
  /**
   * The batch already passed validateProducedBatch (framing, magic, CRC, records, count): skip the
   * log's own structural check so the produce path checksums each batch once.
   */
  validated?: boolean;
}

export interface AppendResult {
  baseOffset: bigint;
  lastOffset: bigint;
  /** Byte position of the batch inside its segment file. */
  position: number;
  logAppendTime?: bigint;
}

export interface ReadOptions {
  /** Return no batch whose baseOffset is >= this (e.g. the highWatermark). */
  maxOffset?: bigint;
  /**
   * Return the first batch even when it is larger than maxBytes (default true). KIP-74: only the
   * first partition with data in a Fetch response may exceed the limits; later ones get nothing.
   */
  minOneBatch?: boolean;
}
