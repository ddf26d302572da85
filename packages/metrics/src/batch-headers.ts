// Counts records in a fetched byte range by reading RecordBatch v2 headers only (Kafka's
// DefaultRecordBatch layout: batchLength at +8, magic at +16, recordsCount at +57), so metrics
// never decode or decompress a record. A trailing partial batch (KIP-74) is not counted.

const LENGTH_OFFSET = 8;
const MAGIC_OFFSET = 16;
const RECORDS_COUNT_OFFSET = 57;
const HEADER_SIZE = 61;
const LOG_OVERHEAD = 12;

export function countRecords(bytes: Buffer): number {
  let pos = 0;
  let count = 0;
  while (pos + HEADER_SIZE <= bytes.length) {
    const size = LOG_OVERHEAD + bytes.readInt32BE(pos + LENGTH_OFFSET);
    if (size < HEADER_SIZE || pos + size > bytes.length) break;
    if (bytes[pos + MAGIC_OFFSET] === 2) count += bytes.readInt32BE(pos + RECORDS_COUNT_OFFSET);
    pos += size;
  }
  return count;
}
