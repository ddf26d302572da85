// @mq/schema: the schema registry's model (no HTTP, no storage) and the Confluent wire-format serdes.
export { AvroSchema, avroProvider } from './avro/avro-schema.js';
export {
  COMPATIBILITY_LEVELS,
  type CompatibilityLevel,
  compatibilityMessages,
  formatIncompatibility,
  MODES,
  type Mode,
  parseCompatibilityLevel,
  parseMode,
  type PreviousVersion,
} from './compatibility-level.js';
export { JsonSchema, jsonProvider } from './json/json-schema.js';
export { ProtobufSchema, protobufProvider } from './protobuf/protobuf-schema.js';
export { protoTextOfDescriptor, serializedDescriptor } from './protobuf/protobuf-descriptor.js';
export { parseSchema, parseSchemaType, providers } from './providers.js';
export {
  checkAgainstHistory,
  deleteConfig,
  deleteMode,
  deleteSubject,
  deleteVersion,
  register,
  setConfig,
  setMode,
} from './registry-commands.js';
export { httpStatusOf, RegistryError, RegistryErrorCode } from './registry-error.js';
export { checkSchemaInput, checkSubject, parseVersion, type RegistryResult, type SchemaInput } from './registry-input.js';
export {
  getConfig,
  getMode,
  getSchemaById,
  getVersion,
  listContexts,
  listSubjects,
  listVersions,
  lookupSchema,
  referencedBy,
  schemaInFormat,
  schemaTypes,
  subjectsOfId,
  testCompatibility,
  versionsOfId,
  type VersionView,
  versionView,
} from './registry-queries.js';
export { decodeKey, decodeSchemaValue, encodeKey, type RegistryKey, type RegistryRecord, type SchemaValue, schemaRecord } from './registry-records.js';
export { DEFAULT_COMPATIBILITY, DEFAULT_MODE, RegistryState, checkReferenceDepth } from './registry-state.js';
export { contextOf, DEFAULT_CONTEXT, normalizeSubject, qualifyIn } from './schema-context.js';
export { decodeWith, type Decoded, encodeWith, SchemaSerde, type SchemaSource, type SchemaText, SerdeError } from './schema-serde.js';
export {
  type Incompatibility,
  type ParsedSchema,
  type ResolvedReference,
  SCHEMA_TYPES,
  type SchemaProvider,
  type SchemaReference,
  type SchemaType,
} from './schema-type.js';
export { parseSubjectNameStrategy, recordNameOf, recordNameOfPayload, SUBJECT_NAME_STRATEGIES, type SubjectNameStrategy, subjectName } from './subject-name-strategy.js';
export { encodeHeader, encodeMessageIndexes, HEADER_SIZE, MAGIC_BYTE, readMessageIndexes, readSchemaId, WireFormatError } from './wire-format.js';
