// A broker's read view of the registry in a cluster (Confluent's KafkaStoreReaderThread): a
// RegistryState replayed from this broker's replica of `_schemas` partition 0, up to its high
// watermark only — so it holds committed records and nothing a failover could take back — and kept
// up as the replica grows, whether this broker leads the partition or follows it. Reads on every
// broker answer from it; the leader's writes answer once it has caught up with them.
import type { Partition, TopicManager } from '@mq/partition';
import { decodeRecordBatch, isControlBatch, iterateBatches } from '@mq/records';
import { RegistryState } from '@mq/schema';
import type { Clock } from '@mq/timerwheel';
import { registryRecordSerde } from './registry-record-serde.js';

const READ_BYTES = 1024 * 1024;
/** A look every so often besides the partition's change events (a replica created or replaced meanwhile). */
const POLL_MS = 250;

export interface RegistryViewOptions {
  readonly topics: TopicManager;
  readonly topic: string;
  readonly clock: Clock;
  readonly onError: (err: unknown, context: string) => void;
}

interface Waiter {
  readonly offset: bigint;
  readonly resolve: (reached: boolean) => void;
  cancel?: () => void;
}

export class RegistryView {
  private current = new RegistryState();
  private partition: Partition | undefined;
  /** The next offset to replay: every committed record below it is in `current`. */
  private next = 0n;
  private pumping: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private waiters: Waiter[] = [];
  private readonly unsubscribe: () => void;

  constructor(private readonly opts: RegistryViewOptions) {
    this.unsubscribe = opts.topics.onPartitionChange((p) => {
      if (p.topic === opts.topic && p.index === 0) this.pump();
    });
    this.tick();
  }

  /** The state as of the records replayed so far. */
  get state(): RegistryState {
    return this.current;
  }

  /** Whether this broker holds a replica of the partition the view follows. */
  get hasReplica(): boolean {
    return this.replica() !== undefined;
  }

  /** Every committed record below this offset has been replayed. */
  get appliedOffset(): bigint {
    return this.next;
  }

  /** The replica's high watermark now (what a write this broker just made committed reaches). */
  get committedOffset(): bigint {
    return this.replica()?.highWatermark ?? this.next;
  }

  /** The replica's log end: records this broker has fetched, committed or not yet known to be. */
  get fetchedOffset(): bigint {
    return this.replica()?.logEndOffset ?? this.next;
  }

  /** Resolves true once the view has replayed up to `offset`, false after `timeoutMs` (or on close). */
  awaitOffset(offset: bigint, timeoutMs: number): Promise<boolean> {
    if (this.next >= offset) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: Waiter = { offset, resolve };
      this.waiters.push(waiter);
      waiter.cancel = this.opts.clock.schedule(timeoutMs, () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          resolve(false);
        }
      });
      this.pump();
    });
  }

  /** Resolves once the view has replayed everything committed in the replica when called. */
  async catchUp(): Promise<void> {
    this.pump();
    while (this.pumping !== undefined) await this.pumping;
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const w of this.waiters.splice(0)) {
      w.cancel?.();
      w.resolve(false);
    }
  }

  private replica(): Partition | undefined {
    return this.opts.topics.get(this.opts.topic)?.partitions[0];
  }

  private tick(): void {
    if (this.closed) return;
    this.pump();
    this.opts.clock.schedule(POLL_MS, () => this.tick());
  }

  /** One pass at a time; a change arriving during a pass runs another after it. */
  private pump(): void {
    if (this.closed) return;
    if (this.pumping !== undefined) {
      this.again = true;
      return;
    }
    this.pumping = this.pass()
      .catch((err: unknown) => this.opts.onError(err, `schema registry view of ${this.opts.topic}-0`))
      .finally(() => {
        this.pumping = undefined;
        if (this.again) {
          this.again = false;
          this.pump();
        }
      });
  }

  private async pass(): Promise<void> {
    const p = this.replica();
    if (p === undefined) return;
    // A new replica (re-created, or moved back here) or a log that no longer holds what was read:
    // the view starts again from the log start (a compacted topic keeps every live key).
    if (p !== this.partition || p.logStartOffset > this.next || p.highWatermark < this.next) {
      this.partition = p;
      this.current = new RegistryState();
      this.next = p.logStartOffset;
    }
    while (!this.closed && this.next < p.highWatermark && p === this.replica()) {
      const end = p.highWatermark;
      const chunk = await p.read(this.next, READ_BYTES, end);
      if (chunk.length === 0) break;
      let next = this.next;
      for (const { batch } of iterateBatches(chunk)) {
        const decoded = await decodeRecordBatch(batch);
        const h = decoded.header;
        const after = h.baseOffset + BigInt(h.lastOffsetDelta) + 1n;
        if (after > end) break; // never past the high watermark read above
        next = after;
        if (isControlBatch(h)) continue;
        for (const r of decoded.records) {
          // A compacted batch may start before `next`: what was replayed already is skipped.
          if (r.offset < this.next || r.key === null) continue;
          try {
            this.current.replay(registryRecordSerde.deserialize(r.key, r.value));
          } catch (err) {
            this.opts.onError(err, `schema registry view: skipping the unreadable record at ${this.opts.topic}-0 offset ${r.offset}`);
          }
        }
      }
      if (next <= this.next) break;
      this.next = next;
      this.release();
    }
  }

  private release(): void {
    if (this.waiters.length === 0) return;
    const left: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.next >= w.offset) {
        w.cancel?.();
        w.resolve(true);
      } else left.push(w);
    }
    this.waiters = left;
  }
}
