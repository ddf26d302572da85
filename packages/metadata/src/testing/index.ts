// @mq/metadata/testing: the etcd harness tests of every layer above share (not for production use).
export { startEtcd, findEtcd, freePort, type EtcdServer } from './etcd-server';
