// Shared harness for the compatibility suite: real broker processes, real clients, real sockets.
export * from './api-versions';
export * from './broker-process';
export * from './child-process';
export * from './kafka-frames';
export * from './kcat';
export * from './keyed-messages';
export * from './node24-fixture';
export * from './paths';
export * from './raw-connection';
export * from './stored-batches';
export * from './temp-dir';
export * from './history-checker';
export * from './cluster-failover';
export * from './cluster-probe';
export * from './acked-load';
