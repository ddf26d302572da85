// @mq/schema-registry: the schema registry in the broker — state on `_schemas` through the
// coordinator runtime, and the Confluent REST routes the broker mounts on its HTTP listener.
export { REGISTRY_CONTENT_TYPE, type RegistryRequest, type RegistryResponse, type RegistryRoute } from './rest/registry-route.js';
export { type RegistryRoutesOptions, registryRoutes } from './rest/registry-routes.js';
export {
  APPLIED_OFFSET_HEADER,
  FORWARD_TIMEOUT_MS,
  FORWARDED_HEADER,
  type ForwardedRequest,
  type ForwardedResponse,
  type RegistryForwarder,
} from './rest/registry-forwarding.js';
export { contextPrefixOf } from './rest/context-prefix.js';
export { registryRecordSerde } from './registry-record-serde.js';
export { RegistryShard } from './registry-shard.js';
export { type RegistryLogger, SCHEMAS_TOPIC, SchemaRegistry, type SchemaRegistryClusterOptions, type SchemaRegistryOptions, VIEW_CATCH_UP_MS } from './schema-registry.js';
export { SchemaValidator, type SchemaValidatorOptions } from './validation/schema-validator.js';
