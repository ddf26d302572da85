// Queue metrics from the queues' own events: share-group steps (the ShareCoordinator's observer)
// and delayed deliveries (the DelayStore's onDelivered) move the counters; in-flight records,
// priority-lane depths, DLQ depths and pending delayed messages are read from live state at scrape time.
import type { Delivery } from '@mq/delay';
import type { DeadLetterDepth, PriorityLaneDepth, QueueMetrics, ShareInFlight } from '@mq/metrics';
import type { TopicManager } from '@mq/partition';
import { type ShareCoordinator, type SharePartitionKey, type ShareStep, deadLetterTopicName } from '@mq/share';

const RELEASED = { 'lock-timeout': 'lock_timeout', 'member-released': 'member_left' } as const;
const ACKNOWLEDGED = { accepted: 'accept', released: 'release', rejected: 'reject' } as const;

export class QueueMetricsFeed {
  /** Dead-letter topics written since start (a `{group}` template names one per group). */
  private readonly deadLetterTopics = new Set<string>();

  constructor(
    private readonly topics: TopicManager,
    private readonly metrics: QueueMetrics,
  ) {}

  shareStep(key: SharePartitionKey, step: ShareStep): void {
    const m = this.metrics;
    const topic = this.topics.getById(key.topicId)?.name;
    if (topic === undefined) return;
    const group = key.groupId;
    switch (step.kind) {
      case 'acquired': {
        let n = 0;
        for (const r of step.records) n += Number(r.lastOffset - r.firstOffset + 1n);
        m.acquired(group, topic, n);
        return;
      }
      case 'accepted':
      case 'released':
      case 'rejected':
        m.acknowledged(group, topic, ACKNOWLEDGED[step.kind], step.offsets.length);
        return;
      case 'lock-timeout':
      case 'member-released':
        m.released(group, topic, RELEASED[step.kind], step.offsets.length);
        return;
      case 'archived': {
        const byReason = new Map<string, number>();
        for (const r of step.records) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
        for (const [reason, n] of byReason) m.archived(group, topic, reason, n);
        return;
      }
      case 'dead-lettered':
        this.deadLetterTopics.add(step.dlqTopic);
        m.deadLettered(group, topic, step.records.length);
        return;
    }
  }

  delivered(deliveries: readonly Delivery[]): void {
    for (const d of deliveries) this.metrics.delayedDelivered(d.topic, d.deliveredAt - d.dueAt);
  }

  /** Records acquired now in each share-partition loaded here. */
  *inFlight(share: ShareCoordinator | undefined): Iterable<ShareInFlight> {
    if (share === undefined) return;
    for (const sp of share.loadedSharePartitions()) {
      const topic = this.topics.getById(sp.topicId)?.name;
      if (topic !== undefined) yield { group: sp.groupId, topic, partition: sp.partition, records: sp.acquiredRecordCount };
    }
  }

  /** Available records per priority lane of each prioritised share-partition loaded here. */
  async laneDepths(share: ShareCoordinator | undefined): Promise<PriorityLaneDepth[]> {
    if (share === undefined) return [];
    const out: PriorityLaneDepth[] = [];
    for (const d of await share.laneDepths()) {
      const topic = this.topics.getById(d.topicId)?.name;
      if (topic !== undefined) out.push({ group: d.groupId, topic, partition: d.partition, available: d.available });
    }
    return out;
  }

  /**
   * The records in each dead-letter topic: those written since start, and every `<topic>.dlq` of an
   * existing topic with the default mq.dlq.topic (so a restart still shows the depth).
   */
  *deadLetterDepths(): Iterable<DeadLetterDepth> {
    const names = new Set(this.deadLetterTopics);
    for (const t of this.topics.list()) {
      if (!t.isInternal && t.config.share.dlqEnable && t.config.share.dlqTopic === '') names.add(deadLetterTopicName('', t.name, ''));
    }
    for (const name of names) {
      const t = this.topics.get(name);
      if (t === undefined) continue;
      let records = 0;
      for (const p of t.partitions) if (p !== undefined) records += Number(p.highWatermark - p.logStartOffset);
      yield { topic: name, records };
    }
  }
}
