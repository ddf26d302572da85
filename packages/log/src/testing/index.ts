// @mq/log/testing: test support, not part of the main API — a FileSystem that injects faults.
export { FaultyFileSystem, errnoError, type Fault, type FaultRule, type FsEvent, type FsMatch, type FsOp, type Hold } from './faulty-file-system';
