// The WebSocket streams: live stats (a snapshot on connect, then one per interval) and a topic's new
// records (from `?from=latest|earliest|<offset>` on, every partition this broker leads). Both tick on
// the broker's Clock; a client too slow to drain its socket skips ticks instead of queueing them.
import { HttpError, type WebSocketRoute, toJson } from '@mq/http';
import { type Cancel, repeat } from '@mq/timerwheel';
import type { WebSocket } from 'ws';
import type { AdminLogger, AdminServices } from '../admin-services';
import { parseEncoding } from '../record-data';
import { readRecords, recordView } from '../routes/record-routes';
import { TOPIC_PATH, topicImage } from '../routes/topic-routes';
import { nonNegativeLong } from '../request-input';
import { CLUSTER_PATH } from '../routes/admin-route';
import { statsSnapshot } from './stats-snapshot';

export interface StreamOptions {
  /** Stats snapshot period; default 1000 ms. */
  readonly statsIntervalMs?: number;
  /** How often a record stream looks for new records; default 200 ms. */
  readonly recordPollMs?: number;
  readonly logger?: AdminLogger;
}

const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const RECORDS_PER_TICK = 500;

/** Live WebSocket streams; `close()` stops every tick (the listener closes the sockets). */
export class AdminStreams {
  private readonly ticks = new Set<Cancel>();

  constructor(
    private readonly s: AdminServices,
    private readonly opts: StreamOptions = {},
  ) {}

  routes(): WebSocketRoute[] {
    return [
      { path: `${CLUSTER_PATH}/streams/stats`, onConnection: (ws, _req, p) => this.stats(ws, p.cluster_id!) },
      {
        path: `${TOPIC_PATH}/streams/records`,
        onConnection: (ws, req, p) => this.records(ws, p.cluster_id!, p.topic_name!, req.query.get('from') ?? 'latest', parseEncoding(req.query.get('encoding'))),
      },
    ];
  }

  close(): void {
    for (const cancel of this.ticks) cancel();
    this.ticks.clear();
  }

  private checkCluster(id: string): void {
    if (id !== this.s.cluster.clusterId) throw HttpError.notFound(`cluster ${id} not found`);
  }

  private stats(ws: WebSocket, clusterId: string): void {
    this.checkCluster(clusterId);
    const send = () => {
      if (ws.bufferedAmount < MAX_BUFFERED_BYTES) ws.send(toJson(statsSnapshot(this.s)));
    };
    send();
    this.tick(ws, this.opts.statsIntervalMs ?? 1000, send);
  }

  private records(ws: WebSocket, clusterId: string, topic: string, from: string, encoding: ReturnType<typeof parseEncoding>): void {
    this.checkCluster(clusterId);
    const image = topicImage(this.s, topic);
    const start = from === 'latest' || from === 'earliest' ? from : nonNegativeLong(from, 'from');
    const positions = new Map<number, bigint>();
    for (const state of image.partitions) {
      const p = this.s.topics.get(topic)?.partitions[state.partition];
      if (p === undefined || state.leader !== this.s.cluster.nodeId) continue;
      positions.set(state.partition, start === 'latest' ? p.highWatermark : start === 'earliest' ? p.logStartOffset : start);
    }
    ws.send(toJson({ type: 'subscribed', topic_name: topic, partitions: Object.fromEntries(positions) }));
    this.tick(ws, this.opts.recordPollMs ?? 200, async () => {
      if (ws.bufferedAmount >= MAX_BUFFERED_BYTES) return;
      for (const [partition, position] of positions) {
        const p = this.s.topics.get(topic)?.partitions[partition];
        if (p === undefined) {
          ws.close(1001, `topic ${topic} is gone`);
          return;
        }
        if (p.highWatermark <= position) continue;
        const { records, next } = await readRecords(p, position, RECORDS_PER_TICK);
        positions.set(partition, next);
        if (records.length > 0) ws.send(toJson({ type: 'records', data: records.map((r) => recordView(topic, partition, r, encoding)) }));
      }
    });
  }

  private tick(ws: WebSocket, intervalMs: number, fn: () => unknown): void {
    const cancel = repeat(this.s.clock, intervalMs, fn, {
      onError: (err) => {
        this.opts.logger?.warn({ err }, 'admin stream tick failed');
        ws.close(1011, 'stream failed');
      },
    });
    this.ticks.add(cancel);
    ws.on('close', () => {
      cancel();
      this.ticks.delete(cancel);
    });
  }
}
