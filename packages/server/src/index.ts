// server public API
export { NO_RESPONSE, defineHandler } from './handler';
export type {
  ApiHandler,
  AnyApiHandler,
  ApiVersionRange,
  Body,
  BrokerServices,
  ConnectionInfo,
  GroupCoordinatorSlot,
  NoResponse,
  RequestContext,
} from './handler';
export { DEFAULT_BROKER_CONFIG } from './broker-config';
export type { BrokerConfig } from './broker-config';
export { BrokerServer } from './broker-server';
export type { BrokerServerOptions } from './broker-server';
export { handlers } from './handlers/index';
