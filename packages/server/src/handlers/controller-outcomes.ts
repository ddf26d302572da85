// Shared by the handlers of the controller's admin operations (ElectLeaders, AlterPartitionReassignments):
// per-partition outcomes grouped by topic in request order, and the timeout they wait for the controller.
import type { PartitionOutcome } from '@mq/controller';

/** Outcomes grouped by topic, topics and partitions in the order they came. */
export function outcomesByTopic(outcomes: readonly PartitionOutcome[]): [string, PartitionOutcome[]][] {
  const byTopic = new Map<string, PartitionOutcome[]>();
  for (const o of outcomes) {
    const list = byTopic.get(o.topic) ?? [];
    list.push(o);
    byTopic.set(o.topic, list);
  }
  return [...byTopic];
}

/** timeout_ms as asked; ≤ 0 still gives the controller a moment (Kafka answers such requests at once, done or not). */
export function requestTimeoutMs(timeoutMs: number): number {
  return Math.max(timeoutMs, 100);
}
