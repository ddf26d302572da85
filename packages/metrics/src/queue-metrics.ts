// Queue metrics on the broker's registry: share groups (KIP-932) — records acquired, acknowledged
// by type, given back without an acknowledgement, archived, dead-lettered (counters per group and
// topic, fed from the share coordinator's observer) and in flight (a gauge per share-partition,
// sampled at scrape time), available records per priority lane — dead-letter topic depths, and
// delayed messages pending and late.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MetricSources } from './metric-sources';

/** A delayed message is due at a millisecond; its append lands a few ms later, seconds when the broker was busy or down. */
const LATENESS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

export type AcknowledgeKind = 'accept' | 'release' | 'reject';
/** Why acquired records came back without an acknowledgement. */
export type ReleaseReason = 'lock_timeout' | 'member_left';

type GroupTopic = 'group' | 'topic';

export class QueueMetrics {
  private readonly acquiredTotal: Counter<GroupTopic>;
  private readonly acknowledgedTotal: Counter<GroupTopic | 'type'>;
  private readonly releasedTotal: Counter<GroupTopic | 'reason'>;
  private readonly archivedTotal: Counter<GroupTopic | 'reason'>;
  private readonly deadLetteredTotal: Counter<GroupTopic>;
  private readonly deliveredTotal: Counter<'topic'>;
  private readonly lateness: Histogram;

  constructor(registry: Registry, sources: Pick<MetricSources, 'shareInFlight' | 'deadLetterDepths' | 'delayedPending' | 'priorityLaneDepths'>) {
    const registers = [registry];
    const labelNames = ['group', 'topic'] as const;
    this.acquiredTotal = new Counter({ name: 'mq_share_records_acquired_total', help: 'Records acquired by share consumers (each delivery counts), by share group and topic', labelNames, registers });
    this.acknowledgedTotal = new Counter({
      name: 'mq_share_records_acknowledged_total',
      help: 'Records acknowledged by share consumers, by share group, topic and type (accept, release, reject)',
      labelNames: ['group', 'topic', 'type'],
      registers,
    });
    this.releasedTotal = new Counter({
      name: 'mq_share_records_released_total',
      help: 'Acquired records given back without an acknowledgement, by share group, topic and reason (lock_timeout, member_left)',
      labelNames: ['group', 'topic', 'reason'],
      registers,
    });
    this.archivedTotal = new Counter({
      name: 'mq_share_records_archived_total',
      help: 'Records done without being accepted, by share group, topic and reason (rejected, delivery-limit, expired)',
      labelNames: ['group', 'topic', 'reason'],
      registers,
    });
    this.deadLetteredTotal = new Counter({ name: 'mq_share_records_dead_lettered_total', help: 'Records appended to a dead-letter topic, by share group and source topic', labelNames, registers });
    new Gauge({
      name: 'mq_share_records_in_flight',
      help: 'Records acquired and not yet acknowledged, by share group, topic and partition (share-partitions loaded here)',
      labelNames: ['group', 'topic', 'partition'],
      registers,
      collect() {
        this.reset();
        for (const s of sources.shareInFlight()) this.set({ group: s.group, topic: s.topic, partition: String(s.partition) }, s.records);
      },
    });
    // Five lanes per prioritised share-partition: bounded like mq_share_records_in_flight.
    new Gauge({
      name: 'mq_share_priority_lane_records',
      help: 'Available records per priority lane (0 critical … 4 background) of a share-partition that has seen mq-priority headers, within its look-ahead window (mq.priority.window.records), by share group, topic and partition',
      labelNames: ['group', 'topic', 'partition', 'lane'],
      registers,
      async collect() {
        this.reset();
        for (const d of await sources.priorityLaneDepths()) {
          const labels = { group: d.group, topic: d.topic, partition: String(d.partition) };
          for (const [lane, records] of d.available.entries()) this.set({ ...labels, lane: String(lane) }, records);
        }
      },
    });
    new Gauge({
      name: 'mq_dlq_records',
      help: 'Records in a dead-letter topic (high watermark minus log start offset, summed over its partitions hosted here)',
      labelNames: ['topic'],
      registers,
      collect() {
        this.reset();
        for (const d of sources.deadLetterDepths()) this.set({ topic: d.topic }, d.records);
      },
    });
    new Gauge({ name: 'mq_delayed_messages', help: 'Delayed messages pending in the delay store (scheduled, not yet delivered or cancelled)', registers, collect() { this.set(sources.delayedPending()); } });
    this.deliveredTotal = new Counter({ name: 'mq_delayed_messages_delivered_total', help: 'Delayed messages appended to their topic when due, by topic', labelNames: ['topic'], registers });
    this.lateness = new Histogram({
      name: 'mq_delayed_delivery_lateness_seconds',
      help: 'How long after its due time a delayed message was appended to its topic',
      buckets: LATENESS_BUCKETS,
      registers,
    });
  }

  acquired(group: string, topic: string, records: number): void {
    this.acquiredTotal.inc({ group, topic }, records);
  }

  acknowledged(group: string, topic: string, type: AcknowledgeKind, records: number): void {
    this.acknowledgedTotal.inc({ group, topic, type }, records);
  }

  released(group: string, topic: string, reason: ReleaseReason, records: number): void {
    this.releasedTotal.inc({ group, topic, reason }, records);
  }

  archived(group: string, topic: string, reason: string, records: number): void {
    this.archivedTotal.inc({ group, topic, reason }, records);
  }

  deadLettered(group: string, topic: string, records: number): void {
    this.deadLetteredTotal.inc({ group, topic }, records);
  }

  /** A delayed message appended `latenessMs` after it was due (never negative: a clock step back counts 0). */
  delayedDelivered(topic: string, latenessMs: number): void {
    this.deliveredTotal.inc({ topic });
    this.lateness.observe(Math.max(0, latenessMs) / 1000);
  }
}
