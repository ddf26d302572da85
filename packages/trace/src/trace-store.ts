// The bounded in-memory ring of spans, indexed by trace id, plus the trace context kept beside
// each traced message, keyed by (topic, partition, offset): stored record bytes are never changed,
// so this is where the broker remembers which trace a stored offset belongs to.
import type { TraceSpan } from './trace-span';

export interface MessageContext {
  readonly traceId: string;
  /** The mq.produce span: parent of the message's fetch and commit spans. */
  readonly spanId: string;
  readonly offset: bigint;
  /** When its append was acknowledged (epoch ms): later steps of its life start no earlier. */
  readonly appendedAtMs: number;
}

export interface TraceSummary {
  readonly traceId: string;
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly spans: number;
  readonly names: readonly string[];
}

export interface TraceStoreOptions {
  /** Spans kept (oldest dropped first); default 10,000. */
  readonly maxSpans?: number;
  /** Traced messages whose context is kept for their fetch/commit spans; default 10,000. */
  readonly maxMessages?: number;
}

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class TraceStore {
  private readonly maxSpans: number;
  private readonly maxMessages: number;
  private readonly ring: (TraceSpan | undefined)[];
  private head = 0;
  private count = 0;
  private readonly byTrace = new Map<string, TraceSpan[]>();
  /** Per partition, traced messages in offset order (appends only grow offsets). */
  private readonly messages = new Map<string, MessageContext[]>();
  /** Insertion order of remembered messages, for eviction. */
  private readonly messageOrder: string[] = [];
  private messageHead = 0;

  constructor(opts: TraceStoreOptions = {}) {
    this.maxSpans = opts.maxSpans ?? 10_000;
    this.maxMessages = opts.maxMessages ?? 10_000;
    if (!(this.maxSpans >= 1) || !(this.maxMessages >= 1)) throw new RangeError('trace store sizes must be ≥ 1');
    this.ring = new Array<TraceSpan | undefined>(this.maxSpans);
  }

  get size(): number {
    return this.count;
  }

  add(span: TraceSpan): void {
    const slot = (this.head + this.count) % this.maxSpans;
    if (this.count === this.maxSpans) {
      const evicted = this.ring[this.head]!;
      this.head = (this.head + 1) % this.maxSpans;
      this.count--;
      const list = this.byTrace.get(evicted.traceId);
      if (list !== undefined) {
        const i = list.indexOf(evicted);
        if (i >= 0) list.splice(i, 1);
        if (list.length === 0) this.byTrace.delete(evicted.traceId);
      }
    }
    this.ring[slot] = span;
    this.count++;
    const list = this.byTrace.get(span.traceId);
    if (list === undefined) this.byTrace.set(span.traceId, [span]);
    else list.push(span);
  }

  remember(topic: string, partition: number, ctx: MessageContext): void {
    const key = partitionKey(topic, partition);
    let list = this.messages.get(key);
    if (list === undefined) this.messages.set(key, (list = []));
    // A partition re-created under the same name restarts at 0: drop what it had.
    if (list.length > 0 && list[list.length - 1]!.offset >= ctx.offset) list.length = 0;
    list.push(ctx);
    this.messageOrder.push(key);
    if (this.messageOrder.length - this.messageHead > this.maxMessages) {
      const oldestKey = this.messageOrder[this.messageHead++]!;
      this.messages.get(oldestKey)?.shift();
      if (this.messages.get(oldestKey)?.length === 0) this.messages.delete(oldestKey);
      if (this.messageHead > 4096 && this.messageHead * 2 > this.messageOrder.length) {
        this.messageOrder.splice(0, this.messageHead);
        this.messageHead = 0;
      }
    }
  }

  /** Whether any traced message of the partition is kept (a cheap test before decoding offsets). */
  hasMessages(topic: string, partition: number): boolean {
    return this.messages.has(partitionKey(topic, partition));
  }

  /** Traced messages of a partition with first ≤ offset ≤ last, in offset order. */
  messagesIn(topic: string, partition: number, first: bigint, last: bigint): MessageContext[] {
    const list = this.messages.get(partitionKey(topic, partition));
    if (list === undefined || list.length === 0) return [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.offset < first) lo = mid + 1;
      else hi = mid;
    }
    const out: MessageContext[] = [];
    for (let i = lo; i < list.length && list[i]!.offset <= last; i++) out.push(list[i]!);
    return out;
  }

  /** Every kept span of one trace, in start order. */
  trace(traceId: string): TraceSpan[] {
    return [...(this.byTrace.get(traceId) ?? [])].sort((a, b) => a.startTimeMs - b.startTimeMs);
  }

  /** The trace a stored message belongs to, if it was traced and is still kept. */
  traceOf(topic: string, partition: number, offset: bigint): string | undefined {
    return this.messagesIn(topic, partition, offset, offset)[0]?.traceId;
  }

  /** Traces with a span starting in [fromMs, toMs], newest first. */
  range(fromMs: number, toMs: number, limit = 100): TraceSummary[] {
    const ids = new Set<string>();
    for (let i = this.count - 1; i >= 0 && ids.size < limit; i--) {
      const s = this.ring[(this.head + i) % this.maxSpans]!;
      if (s.startTimeMs >= fromMs && s.startTimeMs <= toMs) ids.add(s.traceId);
    }
    return [...ids].map((id) => this.summary(id));
  }

  /** The newest traces, newest first. */
  recent(limit = 20): TraceSummary[] {
    return this.range(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, limit);
  }

  private summary(traceId: string): TraceSummary {
    const spans = this.trace(traceId);
    return {
      traceId,
      startTimeMs: Math.min(...spans.map((s) => s.startTimeMs)),
      endTimeMs: Math.max(...spans.map((s) => s.endTimeMs)),
      spans: spans.length,
      names: [...new Set(spans.map((s) => s.name))],
    };
  }
}
