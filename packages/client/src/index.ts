// Public API of @mq/client: MqClient with its Producer, Consumer and Admin, typed errors, the
// Kafka-compatible partitioners, and the building blocks (Connection, RetryPolicy) for embedders.
export { MqClient, type ClientOptions } from './client';
export { Cluster, type ClusterOptions, type ConnectionPurpose, parseHostPort } from './cluster';
export { Connection, type ConnectionOptions, type RequestOptions, type SslOptions, type VersionRange } from './connection';
export type { OAuthBearerTokenProvider, SaslMechanismName, SaslOptions } from './security/sasl-options';
export { clientMaxVersion, clientMinVersion } from './api-versions';
export type { BrokerInfo, PartitionInfo, TopicInfo, ClusterMetadata } from './metadata';
export {
  MqClientError,
  ConnectionError,
  ListenerClosedError,
  RequestTimeoutError,
  SslHandshakeError,
  InvalidArgumentError,
  ClientClosedError,
  UnknownTopicError,
  KafkaError,
  isRetriable,
} from './errors';
// The SASL refusals are the one table's (KafkaError subclasses with their code).
export { IllegalSaslStateError, SaslAuthenticationFailedError, UnsupportedSaslMechanismError } from '@mq/protocol';
export { RetryPolicy, type RetryOptions, backoffMs } from './retry-policy';
export { murmur2, murmur2Partition, toPositive } from './murmur2';
export {
  type Partitioner,
  type PartitionerInput,
  type PartitionerName,
  DefaultPartitioner,
  StickyPartitioner,
  RoundRobinPartitioner,
  createPartitioner,
} from './partitioner';
export { Producer, type ProducerOptions, type ProduceRequest, type Acks, type CompressionName } from './producer/producer';
export type { Message, Bytes } from './producer/message';
export type { RecordMetadata, RecordHeader } from './producer/record-accumulator';
export { Consumer, type ConsumerOptions, type AssignedPartition } from './consumer/consumer';
export type { ConsumerRecord } from './consumer/consumer-record';
export { ShareConsumer, type ShareConsumerOptions } from './share/share-consumer';
export type { AcknowledgeFailure, AcknowledgeKind, ShareRecord } from './share/share-record';
export type { OffsetSpec, PartitionOffset } from './consumer/list-offsets';
export type { CommittedOffset, OffsetToCommit } from './consumer/group-offsets';
export { Admin } from './admin/admin';
export type { ClientQuotaAlteration, ClientQuotaEntry, QuotaEntityPart, QuotaEntityType, QuotaFilterPart } from './admin/quota-admin';
export { ShareGroupAdmin, type ShareGroupDescription, type ShareGroupMember, type ShareGroupOffset, type ShareResetTarget } from './admin/share-group-admin';
export type { AclBinding, AclFilter } from './admin/acl-admin';
export type { ElectionType, PartitionReassignment, PartitionResult, ReassignmentTarget, TopicPartition } from './admin/partition-admin';
export type { ScramDeletion, ScramMechanismName, ScramUpsertion, ScramUserCredentials } from './admin/scram-admin';
export type {
  TopicDescription,
  NewTopic,
  ConfigEntry,
  ConfigSynonym,
  ConfigAlteration,
  ConfigResourceKind,
  ClusterDescription,
} from './admin/config-types';
export type {
  GroupListing,
  GroupDescription,
  GroupMemberDescription,
  GroupLag,
  ResetTarget,
  OffsetResetPlan,
  DeleteResult,
  OffsetDeleteResult,
} from './admin/group-admin';
export {
  type RegisteredSchema,
  type SchemaDefinition,
  SchemaRegistryClient,
  type SchemaRegistryClientOptions,
  SchemaRegistryError,
} from './schema/schema-registry-client';
export { type EncodeOptions, type SchemaEncoder, SchemaSerdes } from './schema/schema-serdes';
export {
  COMPATIBILITY_LEVELS,
  type CompatibilityLevel,
  type Decoded,
  MODES,
  type Mode,
  SerdeError,
  type SchemaReference,
  type SchemaType,
  SCHEMA_TYPES,
} from '@mq/schema';
