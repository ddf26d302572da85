// @mq/quota public API: client quota entities and keys, their stored configs with Kafka's lookup
// precedence, the sampled-window rate and throttle-time arithmetic, the broker's ClientQuotas, and
// tenants (principal prefixes with shared quotas, a resource prefix and a storage limit), and the
// replication quota (leader / follower throttled byte rates of partition reassignments).
export {
  DEFAULT_ENTITY_NAME,
  QUOTA_ENTITY_TYPES,
  isQuotaEntityType,
  parseQuotaEntityKey,
  quotaEntityKey,
  quotaUserOf,
  validateQuotaEntity,
  type QuotaEntity,
  type QuotaEntityComponent,
  type QuotaEntityType,
} from './quota-entity';
export { CLIENT_QUOTA_KEYS, IP_QUOTA_KEYS, isQuotaKey, validateQuotaValue, type ClientQuotaKey, type IpQuotaKey, type QuotaKey } from './quota-keys';
export { SampledRate, type RateWindowConfig } from './sampled-rate';
export { ClientQuotaManager, type QuotaSensorView, type ResolvedQuota } from './client-quota-manager';
export { MutationQuotaManager, type MutationQuota } from './mutation-quota-manager';
export {
  DEFAULT_REPLICATION_QUOTA_WINDOW,
  ReplicationQuotaManager,
  UNLIMITED_REPLICATION_RATE,
  type ReplicationQuotaWindow,
} from './replication-quota-manager';
export {
  ClientQuotaConfigs,
  MATCH_DEFAULT,
  MATCH_EXACT,
  MATCH_SPECIFIED,
  quotaValuesJson,
  type EnforcedQuotaKey,
  type QuotaEntry,
  type QuotaFilterComponent,
} from './client-quota-configs';
export { QUOTA_NAMESPACE } from './quota-store';
export {
  ClientQuotas,
  DEFAULT_QUOTA_WINDOW,
  type ClientQuotaStats,
  type ClientQuotasOptions,
  type QuotaAlteration,
  type QuotaAlterationResult,
  type QuotaWindow,
} from './client-quotas';
export { TENANT_QUOTA_KEYS, validateTenants, type TenantDefinition, type TenantQuotaKey } from './tenant';
export { Tenants, type TenantQuotaView, type TenantUsage } from './tenants';
export { TENANT_NAMESPACE, TenantStore, parseStoredTenant } from './tenant-store';
