// Consumer lag: per partition, highWatermark − committed offset (never negative), for the admin
// HTTP endpoint and the CLI. The high watermark comes from a callback so groups stays storage-free.
import type { CommittedOffset } from './records/group-record';

export interface PartitionLag {
  groupId: string;
  topic: string;
  partition: number;
  committedOffset: bigint;
  /** undefined when the partition no longer exists. */
  highWatermark: bigint | undefined;
  lag: bigint | undefined;
}

export function computeLag(
  groupId: string,
  offsets: ReadonlyMap<string, ReadonlyMap<number, CommittedOffset>>,
  highWatermark: (topic: string, partition: number) => bigint | undefined,
): PartitionLag[] {
  const out: PartitionLag[] = [];
  for (const topic of [...offsets.keys()].sort()) {
    const byPartition = offsets.get(topic)!;
    for (const partition of [...byPartition.keys()].sort((a, b) => a - b)) {
      const committedOffset = byPartition.get(partition)!.committedOffset;
      const hw = highWatermark(topic, partition);
      const lag = hw === undefined ? undefined : hw > committedOffset ? hw - committedOffset : 0n;
      out.push({ groupId, topic, partition, committedOffset, highWatermark: hw, lag });
    }
  }
  return out;
}

/** Sum of the known per-partition lags. */
export function totalLag(lags: readonly PartitionLag[]): bigint {
  let sum = 0n;
  for (const l of lags) if (l.lag !== undefined) sum += l.lag;
  return sum;
}
