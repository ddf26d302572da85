// @mq/broker public API: startBroker() runs a real broker in-process (tests, embedding), and the
// configuration loader the `mq-broker` binary (main.ts) uses.
export { startBroker } from './start-broker';
export type { BrokerHttpOptions, StartBrokerOptions, RunningBroker } from './start-broker';
export type { BrokerSecurityOptions, BrokerSslOptions, BrokerScramUser } from './broker-security';
export type { BrokerOAuthBearerOptions, OAuthBearerValidatorKind } from './broker-oauthbearer';
export { ConfigError, loadBrokerOptions, parseBrokerArgs } from './config';
export type { BrokerArgs, BrokerOptions, LogFormat } from './config';
export { CONFIG_TABLE, TOPIC_CONFIG_TABLE, envName } from './config-table';
export type { ConfigRow, ConfigTarget } from './config-table';
export { startCluster } from './start-cluster';
export type { StartClusterOptions, RunningCluster, ClusterBroker } from './start-cluster';
export type { ClusterOptions } from './cluster-member';
