// @mq/config public API: the ConfigDef shape every component declares its keys with, value parsing
// and checking driven by it, and Kafka's .properties format.
export { CONFIG_TYPE_ID, INT_MAX, validValuesText } from './config-def';
export type { ConfigDef, ConfigImportance, ConfigScope, ConfigValueType, NumberRange } from './config-def';
export { ConfigValueError } from './config-value-error';
export { checkConfigValue, defaultConfigValue, defaultsOf, parseConfigValue } from './config-value';
export type { ConfigValue } from './config-value';
export { parseProperties } from './properties';
