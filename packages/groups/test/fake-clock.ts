// A manual clock for the state-machine tests: timers fire only when the test advances time.
import type { Clock, TimerHandle } from '../src/clock';

interface Task {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private t = 1_700_000_000_000;
  private seq = 0;
  private tasks: Task[] = [];

  now(): number {
    return this.t;
  }

  schedule(delayMs: number, fn: () => void): TimerHandle {
    const task: Task = { at: this.t + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.tasks.push(task);
    return { cancel: () => void (task.cancelled = true) };
  }

  get pendingTimers(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward, firing due timers in order, and lets promise callbacks run between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      this.tasks = this.tasks.filter((t) => !t.cancelled);
      const due = this.tasks.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.t = Math.max(this.t, due.at);
      due.cancelled = true;
      due.fn();
    }
    this.t = end;
    await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
