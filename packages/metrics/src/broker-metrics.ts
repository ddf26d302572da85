// The broker's Prometheus metrics (prom-client, one Registry per broker, no global state).
// Counters move on the request path (fed by the dispatcher middleware and the mq:append / mq:fetch
// tracing channels); gauges are sampled from live state at scrape time.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { countRecords } from './batch-headers';
import { forEachErrorCode } from './error-codes';
import type { DiskSpace, MetricNames, MetricSources } from './metric-sources';
import { QueueMetrics } from './queue-metrics';
import { registerQuotaMetrics } from './quota-metrics';
import { registerReplicationMetrics } from './replication-metrics';

/** Request latencies are sub-millisecond to a long poll's max_wait_ms (seconds). */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** fsync on a page-cache-only tmpfs is ~10 µs, on an SSD ~0.1–2 ms, on a loaded or failing disk seconds. */
const FSYNC_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export interface BrokerMetricsOptions {
  readonly names: MetricNames;
  readonly sources: MetricSources;
  /** process_* and nodejs_* metrics (event-loop lag, GC, heap); default true. */
  readonly defaultMetrics?: boolean;
  /** Constant labels on every series (e.g. { node_id: '1' }). */
  readonly labels?: Readonly<Record<string, string>>;
}

interface FetchedTopic {
  readonly topic?: string;
  readonly topicId?: string;
  readonly partitions: readonly { readonly records?: Buffer | null }[];
}

export class BrokerMetrics {
  readonly registry = new Registry();
  /** Share groups, dead-letter topics, delayed messages (fed by the broker's queue observers). */
  readonly queues: QueueMetrics;
  private readonly names: MetricNames;
  private readonly requests: Counter<'api' | 'version'>;
  private readonly requestErrors: Counter<'api' | 'error'>;
  private readonly requestFailures: Counter<'api'>;
  private readonly latency: Histogram<'api' | 'version'>;
  private readonly bytesIn: Counter<'topic'>;
  private readonly messagesIn: Counter<'topic'>;
  private readonly bytesOut: Counter<'topic'>;
  private readonly messagesOut: Counter<'topic'>;
  private readonly fsync: Histogram;
  private producePending = 0;

  constructor(opts: BrokerMetricsOptions) {
    this.names = opts.names;
    const registers = [this.registry];
    if (opts.labels !== undefined) this.registry.setDefaultLabels({ ...opts.labels });
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'mq_requests_total', help: 'Kafka requests received, by API and version', labelNames: ['api', 'version'], registers });
    this.requestErrors = new Counter({
      name: 'mq_request_errors_total',
      help: 'Non-zero error codes in responses (top level, per topic, per partition), by API and Kafka error name',
      labelNames: ['api', 'error'],
      registers,
    });
    this.requestFailures = new Counter({
      name: 'mq_request_failures_total',
      help: 'Requests whose handler threw (answered UNKNOWN_SERVER_ERROR)',
      labelNames: ['api'],
      registers,
    });
    this.latency = new Histogram({
      name: 'mq_request_duration_seconds',
      help: 'Time from dispatch to response (a Fetch long poll included), by API and version',
      labelNames: ['api', 'version'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.bytesIn = new Counter({ name: 'mq_topic_bytes_in_total', help: 'RecordBatch bytes appended by Produce, by topic', labelNames: ['topic'], registers });
    this.messagesIn = new Counter({ name: 'mq_topic_messages_in_total', help: 'Records appended by Produce, by topic', labelNames: ['topic'], registers });
    this.bytesOut = new Counter({ name: 'mq_topic_bytes_out_total', help: 'Record bytes returned by Fetch, by topic', labelNames: ['topic'], registers });
    this.messagesOut = new Counter({ name: 'mq_topic_messages_out_total', help: 'Records returned by Fetch (whole batches), by topic', labelNames: ['topic'], registers });
    this.fsync = new Histogram({
      name: 'mq_log_fsync_duration_seconds',
      help: 'Time of each fsync / fdatasync of a log file (segments, indexes) through the storage seam',
      buckets: FSYNC_BUCKETS,
      registers,
    });
    this.defineGauges(opts.sources, registers);
    this.defineReplicaGauges(opts.sources, registers);
    this.queues = new QueueMetrics(this.registry, opts.sources);
    registerQuotaMetrics(this.registry, opts.sources);
    registerReplicationMetrics(this.registry, opts.sources);
  }

  /** One fsync or fdatasync took this long (seconds); failed ones count too (a dying disk is slow first). */
  fsyncObserved(seconds: number): void {
    this.fsync.observe(seconds);
  }

  /** Prometheus text exposition format. */
  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** A request was dispatched; call the returned function once its response settled. */
  requestStarted(apiKey: number, apiVersion: number, waitsForAcks: boolean): (response: unknown, failed: boolean) => void {
    const started = process.hrtime.bigint();
    if (waitsForAcks) this.producePending++;
    return (response, failed) => {
      if (waitsForAcks) this.producePending--;
      const api = this.names.apiName(apiKey);
      const version = String(apiVersion);
      this.requests.inc({ api, version });
      this.latency.observe({ api, version }, Number(process.hrtime.bigint() - started) / 1e9);
      if (failed) this.requestFailures.inc({ api });
      else forEachErrorCode(response, (code) => this.requestErrors.inc({ api, error: this.names.errorName(code) }));
    };
  }

  /** One batch appended by Produce (a recognised idempotent retry appends nothing). */
  appended(topic: string, bytes: number, records: number): void {
    this.bytesIn.inc({ topic }, bytes);
    this.messagesIn.inc({ topic }, records);
  }

  /** A Fetch response: bytes and records per topic. */
  fetched(responses: readonly FetchedTopic[]): void {
    for (const t of responses) {
      const topic = t.topic ?? (t.topicId !== undefined ? this.names.topicNameOf(t.topicId) : undefined);
      if (topic === undefined) continue;
      let bytes = 0;
      let records = 0;
      for (const p of t.partitions) {
        if (p.records == null || p.records.length === 0) continue;
        bytes += p.records.length;
        records += countRecords(p.records);
      }
      if (bytes === 0) continue;
      this.bytesOut.inc({ topic }, bytes);
      this.messagesOut.inc({ topic }, records);
    }
  }

  private defineReplicaGauges(sources: MetricSources, registers: Registry[]): void {
    // As mq_partitions: one walk from the first gauge's collect (registered first, so it runs before
    // the others are read) fills them.
    new Gauge({
      name: 'mq_leader_partitions',
      help: 'Partitions this broker is the leader of',
      registers,
      collect() {
        replicas.reset();
        isr.reset();
        let led = 0;
        let short = 0;
        for (const p of sources.ledPartitions()) {
          led++;
          if (p.isr < p.replicas) short++;
          const labels = { topic: p.topic, partition: String(p.partition) };
          replicas.set(labels, p.replicas);
          isr.set(labels, p.isr);
        }
        this.set(led);
        under.set(short);
      },
    });
    const labelNames = ['topic', 'partition'] as const;
    const replicas = new Gauge({ name: 'mq_partition_replicas', help: 'Replicas of a partition this broker leads', labelNames, registers });
    const isr = new Gauge({ name: 'mq_partition_isr_size', help: 'In-sync replicas of a partition this broker leads', labelNames, registers });
    const under = new Gauge({ name: 'mq_under_replicated_partitions', help: 'Partitions this broker leads with fewer in-sync replicas than replicas', registers });
    // Async collects run side by side (prom-client awaits them together): each does its own statfs.
    const diskGauge = (name: string, help: string, pick: (space: DiskSpace) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const space = await sources.dataDirSpace();
          if (space !== undefined) this.set(pick(space));
        },
      });
    };
    diskGauge('mq_data_dir_free_bytes', "Bytes available on the data dir's filesystem", (s) => s.freeBytes);
    diskGauge('mq_data_dir_capacity_bytes', "Size of the data dir's filesystem", (s) => s.capacityBytes);
    new Gauge({
      name: 'mq_offline_partitions',
      help: "Partitions of the cluster without a leader in this broker's metadata image (every broker reports the cluster's count: aggregate with max)",
      registers,
      collect() {
        this.set(sources.offlinePartitions());
      },
    });
  }

  private defineGauges(sources: MetricSources, registers: Registry[]): void {
    const pending = (): number => this.producePending;
    new Gauge({ name: 'mq_connections', help: 'Open Kafka client connections', registers, collect() { this.set(sources.connections()); } });
    new Gauge({
      name: 'mq_connections_rejected',
      help: 'Connections closed on accept by max.connections, listener.name.<listener>.max.connections or max.connections.per.ip since start',
      registers,
      collect() { this.set(sources.rejectedConnections()); },
    });
    new Gauge({
      name: 'mq_listener_connections',
      help: 'Open Kafka client connections per listener',
      labelNames: ['listener'],
      registers,
      collect() {
        this.reset();
        for (const l of sources.listenerConnections()) this.set({ listener: l.listener }, l.open);
      },
    });
    new Gauge({
      name: 'mq_listener_connections_rejected',
      help: 'Connections closed on accept by the listener’s listener.name.<listener>.max.connections since start',
      labelNames: ['listener'],
      registers,
      collect() {
        this.reset();
        for (const l of sources.listenerConnections()) this.set({ listener: l.listener }, l.rejected);
      },
    });
    new Gauge({ name: 'mq_fetch_purgatory_size', help: 'Fetch requests parked waiting for min_bytes or max_wait_ms', registers, collect() { this.set(sources.fetchPurgatorySize()); } });
    new Gauge({
      name: 'mq_produce_purgatory_size',
      help: 'Produce requests dispatched and waiting for their acknowledgement (fsync under the flush policy)',
      registers,
      collect() { this.set(pending()); },
    });
    // One walk of the partitions fills every per-partition gauge, from mq_partitions' collect,
    // which is registered first so it runs before the others are read; reset() drops deleted ones.
    new Gauge({
      name: 'mq_partitions',
      help: 'Partitions hosted (internal topics included)',
      registers,
      collect() {
        for (const g of perPartition) g.reset();
        let n = 0;
        for (const p of sources.partitions()) {
          n++;
          const labels = { topic: p.topic, partition: String(p.partition) };
          size.set(labels, p.sizeBytes);
          segments.set(labels, p.segments);
          start.set(labels, Number(p.logStartOffset));
          end.set(labels, Number(p.logEndOffset));
          hw.set(labels, Number(p.highWatermark));
        }
        this.set(n);
      },
    });
    const labelNames = ['topic', 'partition'] as const;
    const size = new Gauge({ name: 'mq_log_size_bytes', help: "Bytes in a partition's segment files", labelNames, registers });
    const segments = new Gauge({ name: 'mq_log_segments', help: 'Segments of a partition', labelNames, registers });
    const start = new Gauge({ name: 'mq_log_start_offset', help: 'Log start offset of a partition', labelNames, registers });
    const end = new Gauge({ name: 'mq_log_end_offset', help: 'Log end offset of a partition', labelNames, registers });
    const hw = new Gauge({ name: 'mq_high_watermark', help: 'High watermark of a partition', labelNames, registers });
    const perPartition = [size, segments, start, end, hw];
    new Gauge({
      name: 'mq_consumer_group_lag',
      help: 'High watermark minus committed offset, by group, topic and partition',
      labelNames: ['group', 'topic', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const l of sources.groupLag()) this.set({ group: l.group, topic: l.topic, partition: String(l.partition) }, Number(l.lag));
      },
    });
  }
}
