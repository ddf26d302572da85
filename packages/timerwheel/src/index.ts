// @mq/timerwheel: a hierarchical timing wheel and the Clock seam (system and manual) over it.
export type { Cancel, Clock, TimerLogger } from './clock';
export { IdleTimer } from './idle-timer';
export { ManualClock, type ManualClockOptions } from './manual-clock';
export { repeat, type RepeatOptions } from './repeat';
export { SystemClock, type SystemClockOptions } from './system-clock';
export { Timer, type TimerOptions } from './timer';
export type { TimerEntry } from './timer-entry';
