// The value of leader/follower.replication.throttled.replicas as the replication quota reads it:
// `*` (every replica of every partition of the topic) or `partition:brokerId` pairs. A broker
// throttles partition p of the topic when the list is `*` or names p with this broker's id
// (Kafka's TopicConfigHandler.parseThrottledPartitions).

export interface ThrottledReplicas {
  /** `*`: every partition, on every broker. */
  readonly all: boolean;
  /** partition → the brokers named for it (empty map: nothing throttled unless `all`). */
  readonly byPartition: ReadonlyMap<number, readonly number[]>;
}

export const NO_THROTTLED_REPLICAS: ThrottledReplicas = Object.freeze({ all: false, byPartition: new Map<number, readonly number[]>() });

/** Parses a value the config validator accepted (empty, `*`, or `p:b` pairs). */
export function parseThrottledReplicas(value: string): ThrottledReplicas {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) return NO_THROTTLED_REPLICAS;
  if (items.length === 1 && items[0] === '*') return { all: true, byPartition: new Map() };
  const byPartition = new Map<number, number[]>();
  for (const item of items) {
    const [p, b] = item.split(':');
    const partition = Number(p);
    const broker = Number(b);
    const list = byPartition.get(partition);
    if (list === undefined) byPartition.set(partition, [broker]);
    else if (!list.includes(broker)) list.push(broker);
  }
  return { all: false, byPartition };
}

/** Whether `brokerId` throttles `partition` under `t`. */
export function isReplicaThrottled(t: ThrottledReplicas, partition: number, brokerId: number): boolean {
  return t.all || (t.byPartition.get(partition)?.includes(brokerId) ?? false);
}
