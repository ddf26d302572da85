// How a topic's configs become the rules its produced batches are validated against
// (validateProducedBatch in @mq/log): timestamp type and bounds, compaction, compression.type.
import { Compression, type CompressionCodec, type ProduceValidationConfig } from '@mq/records';
import type { TopicConfig } from './topic-config';

/**
 * Decompressed records a batch may expand to: 64× max.message.bytes, at least 64 MiB. Kafka streams
 * records and needs no bound; mq decompresses a batch whole, so a compression bomb (1 MiB of gzip
 * holds ~1 GiB of zeros) must be refused before it is allocated.
 */
const DECOMPRESSION_RATIO = 64;
const MIN_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

const CODECS: Readonly<Record<TopicConfig['compressionType'], CompressionCodec | null>> = {
  producer: null,
  uncompressed: Compression.none,
  gzip: Compression.gzip,
  snappy: Compression.snappy,
  lz4: Compression.lz4,
  zstd: Compression.zstd,
};

/** The topic settings produced batches are validated against. */
export function toProduceValidation(c: TopicConfig): ProduceValidationConfig {
  return {
    timestampType: c.messageTimestampType,
    compacted: c.cleanupPolicy.includes('compact'),
    timestampBeforeMaxMs: c.messageTimestampBeforeMaxMs,
    timestampAfterMaxMs: c.messageTimestampAfterMaxMs,
    compression: CODECS[c.compressionType],
    maxDecompressedBytes: Math.max(MIN_DECOMPRESSED_BYTES, DECOMPRESSION_RATIO * c.maxMessageBytes),
  };
}
