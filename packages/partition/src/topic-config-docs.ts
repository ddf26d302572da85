// One line per topic config: what it does on this broker (applied, stored for the cluster, or
// accepted and inert). Read by topicConfigKeyDefs() for DescribeConfigs documentation and the
// generated reference in apps/broker/README.md; the record type makes a missing line a compile error.
import type { TopicConfigName } from './topic-config';

export const TOPIC_CONFIG_DOCS: { readonly [K in TopicConfigName]: string } = {
  'cleanup.policy': '`delete` (retention removes old segments), `compact` (the cleaner keeps the last record per key), or both.',
  'compression.type': 'The codec stored: `producer` keeps the producer’s bytes; any other value recompresses to it (`uncompressed` stores plain).',
  'compression.gzip.level': 'Accepted and stored; inert (recompression uses the library’s default level).',
  'compression.lz4.level': 'Accepted and stored; inert (recompression uses the library’s default level).',
  'compression.zstd.level': 'Accepted and stored; inert (recompression uses the library’s default level).',
  'confluent.key.schema.validation':
    'Confluent Server’s schema ID validation of record keys: a non-null key must carry the wire format (magic 0, schema id) with an id registered under its subject, else the batch fails INVALID_RECORD (needs the schema registry: the HTTP listener).',
  'confluent.key.subject.name.strategy': 'The subject a key’s schema id must be registered under: `TopicNameStrategy` (`<topic>-key`), `RecordNameStrategy`, `TopicRecordNameStrategy` (short or Confluent’s class name).',
  'confluent.value.schema.validation':
    'Confluent Server’s schema ID validation of record values: a non-null value must carry the wire format with an id registered under its subject, else the batch fails INVALID_RECORD (needs the schema registry: the HTTP listener).',
  'confluent.value.subject.name.strategy': 'The subject a value’s schema id must be registered under: `TopicNameStrategy` (`<topic>-value`), `RecordNameStrategy`, `TopicRecordNameStrategy` (short or Confluent’s class name).',
  'delete.retention.ms': 'How long compaction keeps a tombstone.',
  'file.delete.delay.ms': 'Inert: deleted segments go at once (fds are reference-counted, no reader loses one).',
  'flush.messages': 'fsync once this many messages are unflushed; 1 (mq’s default): every write is fsynced before it is acknowledged.',
  'flush.ms': 'fsync a partition with unflushed data this often (see the flush table below).',
  'follower.replication.throttled.replicas':
    'Cluster mode: `partition:brokerId` pairs (or `*`) whose follower on that broker fetches within the broker’s follower.replication.throttled.rate while it is not caught up (Kafka’s rule: a replica in sync is never throttled).',
  'index.interval.bytes': 'Bytes between sparse offset/time index entries (new segments).',
  'leader.replication.throttled.replicas':
    'Cluster mode: `partition:brokerId` pairs (or `*`) whose leader on that broker serves followers outside the ISR within the broker’s leader.replication.throttled.rate (followers in the ISR are never throttled).',
  'local.retention.bytes': 'Accepted; inert (no tiered storage).',
  'local.retention.ms': 'Accepted; inert (no tiered storage).',
  'max.compaction.lag.ms': 'A dirty segment whose first batch is older than this is compacted whatever the dirty ratio.',
  'max.message.bytes': 'The largest record batch a producer may append (MESSAGE_TOO_LARGE beyond).',
  'message.downconversion.enable': 'Accepted; inert (only RecordBatch v2 is stored and served).',
  'message.format.version': 'Accepted (Kafka 3.x); inert (only RecordBatch v2 exists here).',
  'message.timestamp.after.max.ms': 'A CreateTime record further than this in the future fails its batch with INVALID_TIMESTAMP.',
  'message.timestamp.before.max.ms': 'A CreateTime record further than this in the past fails its batch with INVALID_TIMESTAMP.',
  'message.timestamp.difference.max.ms': 'Kafka 3.x: both bounds at once; before/after left at Long.MAX_VALUE inherit it.',
  'message.timestamp.type': '`CreateTime` keeps the producer’s timestamps; `LogAppendTime` stamps the broker’s clock.',
  'min.cleanable.dirty.ratio': 'The cleaner compacts a partition once this share of its cleanable range is dirty.',
  'min.compaction.lag.ms': 'Records younger than this are never compacted.',
  'mq.delay.ms': 'mq only: records produced without `mq-delay-ms` / `mq-deliver-at` headers wait this long in the delay store before they are appended (0: not at all; a record’s header overrides it, `mq-delay-ms: 0` included).',
  'mq.dlq.enable':
    'mq only: share groups append a record they reject, or that passes `group.share.delivery.count.limit`, or that expired, to the dead-letter topic (auto-created with this topic’s partition count) before archiving it; `false`: archived only (Kafka’s behaviour).',
  'mq.dlq.topic': 'mq only: the dead-letter topic’s name; empty: `<topic>.dlq`. `{group}` is replaced by the share group id (a DLQ per group), `{topic}` by this topic’s name.',
  'mq.message.ttl.ms':
    'mq only: share consumers never get a record older than this (by its timestamp); it is archived, or dead-lettered with reason `expired`. 0: no expiry. A record’s `mq-ttl-ms` header wins. Plain Fetch is unaffected.',
  'mq.priority.starvation.ms': 'mq only: a priority lane whose records waited this long without being served is served next, whatever the weights.',
  'mq.priority.strict': 'mq only: share fetches serve lane 0 first, then 1, … (strict priority) instead of by weight; the starvation rule still applies.',
  'mq.priority.weights':
    'mq only: Deficit Round Robin weights of priority lanes 0 (critical) … 4 (background), chosen by the `mq-priority` header (absent or invalid: lane 2); share fetches only, plain Fetch stays in offset order.',
  'mq.priority.window.records':
    'mq only: how many offsets past the share-partition start offset a share fetch looks ahead for records of other lanes (the in-flight window SPSO…SPEO never grows past it).',
  'min.insync.replicas': 'Stored for the cluster; one node is always the whole ISR.',
  'mq.flush.dsync':
    'mq only. With flush.messages=1: the active segment file is opened O_DSYNC, so each group commit is one write system call (and one thread-pool round trip) instead of a write and an fdatasync. A change reopens the log of each partition, as a flush change does.',
  'mq.key.schema.validation.payload': 'With `confluent.key.schema.validation`: the key must also decode with its schema (Avro, JSON Schema, Protobuf), else INVALID_RECORD.',
  'mq.value.schema.validation.payload': 'With `confluent.value.schema.validation`: the value must also decode with its schema (Avro, JSON Schema, Protobuf), else INVALID_RECORD.',
  preallocate:
    'The active segment zero-fills its file 1 MiB ahead of the appends (never past segment.bytes) and trims it on roll and clean shutdown, so an fsync after an append commits no file-size change; recovery after a crash trims the zero tail. Node has no fallocate, and on ext4 fallocated (unwritten) extents still need a metadata commit when first written: the zeros are real writes and cost disk bandwidth.',
  'remote.log.copy.disable': 'Accepted; inert (no tiered storage).',
  'remote.log.delete.on.disable': 'Accepted; inert (no tiered storage).',
  'remote.storage.enable': 'Only `false`: no tiered storage (as a Kafka broker with remote.log.storage.system.enable=false).',
  'retention.bytes': 'Segments beyond this size per partition are deleted (-1: no limit).',
  'retention.ms': 'Segments whose newest record is older than this are deleted (-1: no limit).',
  'segment.bytes': 'A segment rolls when it would grow past this.',
  'segment.index.bytes': 'A segment rolls when its offset (8 B/entry) or time (12 B/entry) index would outgrow this.',
  'segment.jitter.ms': 'Up to this much (random) is taken off each segment’s segment.ms, to spread rolls.',
  'segment.ms': 'A segment rolls once its first record is this old.',
  'unclean.leader.election.enable': 'Stored for the cluster; one node has no election.',
};
