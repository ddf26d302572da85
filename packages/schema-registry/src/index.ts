// @mq/schema-registry: the schema registry in the broker — state on `_schemas` through the
// coordinator runtime, and the Confluent REST routes the broker mounts on its HTTP listener.
export { REGISTRY_CONTENT_TYPE, type RegistryRequest, type RegistryResponse, type RegistryRoute } from './rest/registry-route.js';
export { registryRoutes } from './rest/registry-routes.js';
export { registryRecordSerde } from './registry-record-serde.js';
export { RegistryShard } from './registry-shard.js';
export { type RegistryLogger, SCHEMAS_TOPIC, SchemaRegistry, type SchemaRegistryOptions } from './schema-registry.js';
export { SchemaValidator } from './validation/schema-validator.js';
