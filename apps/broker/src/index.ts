// @mq/broker public API: startBroker() runs a real broker in-process (tests, embedding), and the
// configuration loader the `mq-broker` binary (main.ts) uses.
export { startBroker } from './start-broker';
export type { BrokerHttpOptions, StartBrokerOptions, RunningBroker } from './start-broker';
export { loadBrokerOptions, parseFlags } from './config';
export type { BrokerOptions } from './config';
