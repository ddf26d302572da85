// Public API of @mq/protocol: the Kafka wire protocol — primitives, declarative schemas read by one
// generic codec, request/response headers, frame decoding, and (re-exported from @mq/errors) the error table
// (the RecordBatch v2 codec is @mq/records).
export { ApiKey, apiKeyName, type ApiKeyName, type ApiKeyNumber } from './api-keys';
// The error table and KafkaError hierarchy live in layer-0 @mq/errors (so @mq/records can raise
// them too); the protocol re-exports all of it, so wire users import codes from one place.
export * from '@mq/errors';
export { AclOperation, authorizedOperationsBitfield, type AclOperationCode } from './acl-operation';
export {
  AclPermissionType,
  CLUSTER_RESOURCE_NAME,
  PatternType,
  ResourceType,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
  WILDCARD_RESOURCE,
  operationName,
  parseOperation,
  parsePatternType,
  parsePermissionType,
  parseResourceType,
  patternTypeName,
  permissionTypeName,
  resourceTypeName,
  type AclPermissionTypeCode,
  type PatternTypeCode,
  type ResourceTypeCode,
} from './acl-codes';
export { ProtocolDecodeError, FrameTooLargeError } from './protocol-decode-error';
export { ProtocolEncodeError } from './protocol-encode-error';
export { Reader } from './primitives/reader';
export { Writer } from './primitives/writer';
export { readArray, writeArray } from './primitives/arrays';
export { FrameDecoder, DEFAULT_MAX_FRAME_BYTES, type FrameDecoderOptions } from './frame-decoder';
export {
  decodeRequestHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  type RequestHeader,
} from './request-header';
export { decodeRequestBody, encodeResponse, encodeRequest, decodeResponse, type RequestHeaderInput } from './message-codec';
export {
  apiSchema,
  schemaVersions,
  registeredApis,
  type RegisteredApi,
  type AnyApiSchema,
  type SchemaFor,
  type RequestBodyFor,
  type ResponseBodyFor,
  type RequestInputFor,
  type ResponseInputFor,
} from './api-registry';
export { messageCodec, isFlexibleVersion, isSupportedVersion, versionRange, type MessageKind } from './schema/codec';
export { dataCodec, isDataVersion, type DataMessageSpec } from './schema/codec';
export type { ValueCodec } from './schema/compile';
export type { ApiSchema, MessageSpec, FieldSpec, FieldType, PrimitiveType, Versions } from './schema/types';
export type { RequestData, ResponseData, RequestInput, ResponseInput, DataOf, DataInputOf } from './schema/infer';
export * from './apis';
export {
  type ConsumerAssignment,
  type ConsumerSubscription,
  type TopicPartitions,
  CONSUMER_PROTOCOL_MAX_VERSION,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from './consumer-protocol';
// The client side of the SASL mechanisms (SaslAuthenticate's auth bytes, as consumer-protocol.ts is
// JoinGroup's metadata bytes): @mq/client and the brokers' inter-broker connections speak them.
export { saslClient, SASL_CLIENT_MECHANISMS, type SaslClient, type SaslClientCredentials, type SaslPasswordCredentials, type SaslBearerCredentials } from './sasl/sasl-client';
export { PlainClient } from './sasl/plain-client';
export { ScramClient } from './sasl/scram-client';
export { OAuthBearerClient, formatOAuthBearerClientResponse } from './sasl/oauthbearer-client';
export {
  SCRAM_MECHANISMS,
  SCRAM_SHA_256,
  SCRAM_SHA_512,
  scramMechanism,
  scramMechanismOfType,
  hash as scramHash,
  hmac as scramHmac,
  saltedPassword as scramSaltedPassword,
  type ScramMechanism,
  type ScramMechanismName,
} from './sasl/scram-mechanism';
