// @mq/timerwheel: a hierarchical timing wheel, the Clock seam (system and manual) over it, and the
// delayed-operation purgatory built on a Clock.
export type { Cancel, Clock, TimerLogger } from './clock';
export { DelayedOperation } from './delayed-operation';
export { DelayedOperationPurgatory } from './delayed-operation-purgatory';
export { IdleTimer } from './idle-timer';
export { ManualClock, type ManualClockOptions } from './manual-clock';
export { repeat, type RepeatOptions } from './repeat';
export { SystemClock, type SystemClockOptions } from './system-clock';
export { Timer, type TimerOptions } from './timer';
export type { TimerEntry } from './timer-entry';
