// server public API
export { Completion, NO_RESPONSE, defineHandler } from './handler';
export type {
  ApiHandler,
  AnyApiHandler,
  AsyncApiHandler,
  ApiVersionRange,
  Body,
  BrokerServices,
  ConnectionInfo,
  GroupCoordinatorSlot,
  NoResponse,
  ProduceChecks,
  RequestContext,
  TxnPartitionVerifier,
  TxnProducer,
} from './handler';
export { DEFAULT_BROKER_CONFIG } from './broker-config';
export type { BrokerConfig } from './broker-config';
export { BrokerServer } from './broker-server';
export { parsePerIpOverrides } from './connection-quotas';
export { STORAGE_STALE_MS, TenantStorageMeter, tenantStorageBytes, type TenantStorageScope } from './tenant-storage-meter';
export type { BrokerServerOptions } from './broker-server';
export { handlers } from './handlers/index';
export type { RequestCall, RequestMiddleware } from './request-middleware';
export { ANONYMOUS_PRINCIPAL, Session, usesSasl, usesTls, type SessionSecurity } from './session';
export { SECURITY_PROTOCOLS, type SecurityProtocol, type SslClientAuth, type TlsListenerOptions, type ListenerConfig, type BoundListener } from './listener-config';
export { ACL_RULES, authorizationMiddleware } from './authorization/authorization-middleware';
export { certificateSubject, peerCertificateSubject } from './tls-listener';
export type { Transport, TransportEvents } from './transport';
export { TcpTransport } from './tcp-transport';
export { APPEND_CHANNEL, DELAY_CHANNEL, FETCH_CHANNEL, GROUP_CHANNEL, REQUEST_CHANNEL } from './trace-channels';
export type { AppendTrace, DelayTrace, FetchTrace, GroupTrace, RequestTrace } from './trace-channels';
export { BROKER_CONFIG_DEFS, LISTENER_MAX_CONNECTIONS_DEF, LISTENER_MAX_CONNECTIONS_KEY } from './broker-config-defs';
export type { BrokerConfigKeyField } from './broker-config-defs';
export { BROKER_CONFIG_NAMESPACE, DEFAULT_BROKER_ENTITY, DYNAMIC_BROKER_CONFIG_DEFS, DynamicBrokerConfigs, type DynamicBrokerConfigChange } from './dynamic-broker-configs';
