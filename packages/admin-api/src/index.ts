// @mq/admin-api public API: the admin REST API + WebSocket streams over a broker's services, and its OpenAPI document.
export { AdminApi, type AdminApiOptions } from './admin-api';
export type { AdminLogger, AdminServices, BrokerInfo, ClusterInfo, DelayedPeers, PeerRequest, PeerResponse, TenantInfo, TenantsAdmin } from './admin-services';
export { statusForErrorCode } from './kafka-http-error';
export { openApiDocument, OPENAPI_PATHS } from './openapi/openapi-document';
export type { DataType, RecordData } from './record-data';
export type { StatsSnapshot, TopicStats, GroupStats } from './streams/stats-snapshot';
