// AppendQueue: appends waiting for the log's writer. The writer takes them in groups (capped in
// bytes, so the next group's appends are validated and queued while this one is written: CPU and
// I/O overlap), and one drain task is scheduled per group.
import type { AppendOptions, AppendResult } from './log-types';

export interface PendingAppend {
  batch: Buffer;
  opts: AppendOptions;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
  settled: boolean;
}

const MAX_GROUP_BYTES = 4 * 1024 * 1024;

export class AppendQueue {
  private pending: PendingAppend[] = [];
  private drainQueued = false;

  /** Queues an append; true when the caller must schedule a drain. */
  push(req: PendingAppend): boolean {
    this.pending.push(req);
    if (this.drainQueued) return false;
    this.drainQueued = true;
    return true;
  }

  /** Takes the next group (at least one append, at most MAX_GROUP_BYTES beyond the first). */
  takeGroup(): PendingAppend[] {
    this.drainQueued = false;
    let take = 0;
    let bytes = 0;
    while (take < this.pending.length && (take === 0 || bytes + this.pending[take]!.batch.length <= MAX_GROUP_BYTES)) {
      bytes += this.pending[take]!.batch.length;
      take++;
    }
    return this.pending.splice(0, take);
  }

  /** After takeGroup: true when appends remain and the caller must schedule another drain. */
  scheduleNext(): boolean {
    if (this.pending.length === 0 || this.drainQueued) return false;
    this.drainQueued = true;
    return true;
  }
}
