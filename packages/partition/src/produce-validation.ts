// How a topic's configs become the rules its produced batches are validated against
// (validateProducedBatch in @mq/log): timestamp type and bounds, compaction, compression.type.
import { Compression, type CompressionCodec, type ProduceValidationConfig } from '@mq/log';
import type { TopicConfig } from './topic-config';

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
  };
}
