// The broker's fetch sessions (KIP-227), at most max.incremental.fetch.session.cache.slots of them.
// When full, a new session takes the slot of one idle for over two minutes (least recently used
// first) or else of the smallest session if it is smaller than the new one (Kafka's rule: a session
// of more partitions saves more per fetch); failing both, the fetch is answered without a session.
import { randomInt } from 'node:crypto';
import type { Clock } from '@mq/timerwheel';
import { FetchSession } from './fetch-session';

/** Kafka's MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS. */
export const FETCH_SESSION_IDLE_EVICTION_MS = 120_000;

export interface FetchSessionCacheOptions {
  readonly maxSlots: number;
  readonly clock: Clock;
  /** Session ids in 1..2^31-1; injectable for tests. */
  readonly newId?: () => number;
}

export class FetchSessionCache {
  /** Insertion order is last-use order: touch() moves a session to the end. */
  private readonly sessions = new Map<number, FetchSession>();
  private readonly maxSlots: number;
  private readonly clock: Clock;
  private readonly newId: () => number;
  /** Sessions evicted to make room (for tests and metrics). */
  evictions = 0;

  constructor(opts: FetchSessionCacheOptions) {
    this.maxSlots = opts.maxSlots;
    this.clock = opts.clock;
    this.newId = opts.newId ?? (() => randomInt(1, 0x7fffffff));
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The session (marked used now), or undefined when it never existed or was evicted. */
  get(id: number): FetchSession | undefined {
    const s = this.sessions.get(id);
    if (s === undefined) return undefined;
    this.sessions.delete(id);
    this.sessions.set(id, s);
    s.lastUsedMs = this.clock.monotonic();
    return s;
  }

  remove(id: number): void {
    this.sessions.delete(id);
  }

  /** A new empty session expected to hold `partitionCount` partitions, or undefined when there is no slot for it. */
  create(usesTopicIds: boolean, partitionCount: number): FetchSession | undefined {
    if (this.maxSlots <= 0) return undefined;
    if (this.sessions.size >= this.maxSlots && !this.evictFor(partitionCount)) return undefined;
    let id = this.newId();
    while (this.sessions.has(id)) id = this.newId();
    const s = new FetchSession(id, usesTopicIds, this.clock.monotonic());
    this.sessions.set(id, s);
    return s;
  }

  private evictFor(partitionCount: number): boolean {
    const now = this.clock.monotonic();
    let smallest: FetchSession | undefined;
    for (const s of this.sessions.values()) {
      // The oldest-used come first: the first idle one is the least recently used idle one.
      if (now - s.lastUsedMs >= FETCH_SESSION_IDLE_EVICTION_MS) return this.evict(s);
      if (smallest === undefined || s.size < smallest.size) smallest = s;
    }
    return smallest !== undefined && smallest.size < partitionCount && this.evict(smallest);
  }

  private evict(s: FetchSession): true {
    this.sessions.delete(s.id);
    this.evictions++;
    return true;
  }
}
