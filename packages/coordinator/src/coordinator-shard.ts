// A coordinator shard: the state of one coordinator partition (Kafka's CoordinatorShard). Its
// state changes only in replay(), both while loading and after a live operation's append; the
// lifecycle hooks run when the partition's leadership arrives here (loaded) or leaves (unloaded).
import type { Clock } from '@mq/timerwheel';
import type { CoordinatorResult } from './coordinator-result';
import type { WriteOptions } from './coordinator-runtime';

export interface CoordinatorShard<R> {
  /** Applies one record (while loading, or live after its append); must not throw for a valid record. */
  replay(record: R, offset: bigint): void;
  /** Loading finished: start timers (sessions, expiry) from the replayed state. */
  onLoaded?(): void;
  /** The partition left this broker (or the runtime closes): cancel work, answer parked requests. */
  onUnloaded?(): void;
}

/** What the runtime gives a shard it builds. */
export interface ShardContext<S extends CoordinatorShard<R>, R> {
  readonly partitionIndex: number;
  /** The runtime's clock; every timer scheduled on it is cancelled when the shard unloads. */
  readonly clock: Clock;
  /** Runs a write operation on this shard's loop (as the runtime's scheduleWriteOperation). */
  scheduleWrite<T>(name: string, op: (shard: S) => CoordinatorResult<R, T>, opts?: WriteOptions): Promise<T>;
  /** Keyed timer whose expiry runs `op` as a write operation; a pending one with the key is replaced. */
  scheduleTimer(key: string, delayMs: number, op: (shard: S) => CoordinatorResult<R, unknown>): void;
  cancelTimer(key: string): boolean;
}

export type ShardFactory<S extends CoordinatorShard<R>, R> = (ctx: ShardContext<S, R>) => S;
