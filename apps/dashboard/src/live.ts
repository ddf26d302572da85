// The live side: the stats WebSocket (reconnecting), turned into rate series the charts draw —
// messages/s and bytes/s per topic from the differences of successive snapshots, lag per group.
import type { AdminClient, StatsSnapshot } from './api';
import { socketProtocols } from './credentials';

const HISTORY = 180;

export interface Series {
  /** Seconds since the epoch (uPlot's x unit). */
  readonly times: number[];
  readonly values: Map<string, number[]>;
}

/** Appends one point per named value (a name missing this time gets a gap), keeping the last HISTORY. */
export function push(series: Series, time: number, values: ReadonlyMap<string, number>): void {
  series.times.push(time);
  for (const [name, v] of values) {
    let arr = series.values.get(name);
    if (arr === undefined) {
      // A series that starts late is padded so every array stays as long as `times`.
      arr = new Array<number>(series.times.length - 1).fill(Number.NaN);
      series.values.set(name, arr);
    }
    arr.push(v);
  }
  for (const [name, arr] of series.values) if (!values.has(name)) arr.push(Number.NaN);
  if (series.times.length > HISTORY) {
    series.times.shift();
    for (const arr of series.values.values()) arr.shift();
  }
}

export class LiveStats {
  readonly messageRate: Series = { times: [], values: new Map() };
  readonly byteRate: Series = { times: [], values: new Map() };
  readonly lag: Series = { times: [], values: new Map() };
  latest: StatsSnapshot | undefined;
  connected = false;
  private previous: StatsSnapshot | undefined;
  private socket: WebSocket | undefined;
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly client: AdminClient) {
    this.open();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }

  private open(): void {
    const ws = new WebSocket(this.client.socketUrl('/streams/stats'), socketProtocols());
    this.socket = ws;
    ws.onopen = () => {
      this.connected = true;
      this.emit();
    };
    ws.onmessage = (e) => this.onSnapshot(JSON.parse(String(e.data)) as StatsSnapshot);
    ws.onclose = () => {
      this.connected = false;
      this.emit();
      if (!this.closed) setTimeout(() => this.open(), 1000);
    };
  }

  private onSnapshot(s: StatsSnapshot): void {
    const prev = this.previous;
    const t = s.time / 1000;
    if (prev !== undefined && s.time > prev.time) {
      const dt = (s.time - prev.time) / 1000;
      const msgs = new Map<string, number>();
      const bytes = new Map<string, number>();
      let totalMsgs = 0;
      let totalBytes = 0;
      for (const topic of s.topics) {
        const before = prev.topics.find((x) => x.topic_name === topic.topic_name);
        // A topic deleted and re-created restarts its counters: no negative rate.
        const m = before === undefined ? 0 : Math.max(0, topic.end_offset_total - before.end_offset_total) / dt;
        const b = before === undefined ? 0 : Math.max(0, topic.appended_bytes - before.appended_bytes) / dt;
        msgs.set(topic.topic_name, m);
        bytes.set(topic.topic_name, b);
        if (!topic.topic_name.startsWith('_')) {
          totalMsgs += m;
          totalBytes += b;
        }
      }
      msgs.set('all topics', totalMsgs);
      bytes.set('all topics', totalBytes);
      push(this.messageRate, t, msgs);
      push(this.byteRate, t, bytes);
    }
    push(this.lag, t, new Map(s.groups.map((g) => [g.consumer_group_id, g.total_lag])));
    this.previous = s;
    this.latest = s;
    this.emit();
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}
