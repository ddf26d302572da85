// Fires once when nothing touched it for idleMs (idle connections, session timeouts). touch() is a
// field write, not a cancel + reschedule: the one pending timer, when it fires early, re-arms for
// the remaining time — so a busy connection costs one timer per idleMs, not one per request.
import type { Cancel, Clock } from './clock';
import { checkInterval } from './delay';

export class IdleTimer {
  readonly idleMs: number;
  private readonly clock: Clock;
  private readonly onIdle: () => void;
  private lastActivity: number;
  private cancelPending: Cancel | null = null;
  private stopped = false;
  private readonly check = () => this.onTimer();

  /** Starts counting from now. */
  constructor(clock: Clock, idleMs: number, onIdle: () => void) {
    this.clock = clock;
    this.idleMs = checkInterval('IdleTimer idleMs', idleMs);
    this.onIdle = onIdle;
    this.lastActivity = clock.monotonic();
    this.arm(idleMs);
  }

  /** Records activity; after the timer fired (or after stop) it starts counting again. */
  touch(): void {
    this.lastActivity = this.clock.monotonic();
    this.stopped = false;
    if (this.cancelPending === null) this.arm(this.idleMs);
  }

  /** Stops it; true if a timer was pending. touch() starts it again. */
  stop(): boolean {
    this.stopped = true;
    const c = this.cancelPending;
    this.cancelPending = null;
    return c?.() ?? false;
  }

  private arm(delayMs: number): void {
    this.cancelPending = this.clock.schedule(delayMs, this.check);
  }

  private onTimer(): void {
    this.cancelPending = null;
    if (this.stopped) return;
    const idle = this.clock.monotonic() - this.lastActivity;
    if (idle >= this.idleMs) this.onIdle();
    else this.arm(this.idleMs - idle);
  }
}
