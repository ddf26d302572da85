// A manual clock for the state-machine tests: timers fire only when the test advances time, and
// promise callbacks (and the real appends of the coordinator partition) run between them.
import type { Cancel, Clock } from '@mq/timerwheel';

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
  /** Work a fired timer may have started that advance() waits for (the coordinator's appends). */
  settle: () => Promise<void> = async () => {};

  now(): number {
    return this.t;
  }

  monotonic(): number {
    return this.t;
  }

  schedule(delayMs: number, fn: () => void): Cancel {
    const task: Task = { at: this.t + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.tasks.push(task);
    return () => {
      const was = !task.cancelled;
      task.cancelled = true;
      return was;
    };
  }

  get pendingTimers(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward, firing due timers in order, and lets promise callbacks run between them. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      await this.settle();
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
    await this.settle();
    await flush();
  }
}

/** Lets queued promise callbacks run, including a real append of the coordinator partition (file I/O). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise<void>((r) => setImmediate(r));
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
