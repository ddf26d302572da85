// Runs async tasks one at a time in submission order: the single writer of a log. Anything that
// mutates segments (append groups, roll, truncate, retention, compaction swap) runs through it.

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // Keep the chain alive whatever the task does; callers see the task's own outcome.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.run(async () => undefined);
  }
}
