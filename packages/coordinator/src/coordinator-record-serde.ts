// How a coordinator's typed records become log records and back (Kafka's Serializer/Deserializer
// of CoordinatorRuntime): a key and a value (null = tombstone, so compaction drops the key).

export interface RawRecord {
  readonly key: Buffer;
  readonly value: Buffer | null;
}

export interface CoordinatorRecordSerde<R> {
  serialize(record: R): RawRecord;
  /**
   * Decodes one stored record. Throws for a record this version cannot read (corrupt, or written
   * by a newer version); the loader reports and skips it rather than failing the whole load.
   */
  deserialize(key: Buffer, value: Buffer | null): R;
}
