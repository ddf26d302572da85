// Resolves an offset spec to exact start (and stop) offsets per partition, from the log start and
// high watermark read once at start, and says when a requested offset lies outside the log.
import type { Admin } from '@mq/client';
import type { OffsetSpec } from './offset-spec';

export interface PartitionPlan {
  partition: number;
  logStartOffset: bigint;
  highWatermark: bigint;
  start: bigint;
  /** Stop before this offset. */
  stopOffset?: bigint;
}

export interface ConsumePlan {
  partitions: PartitionPlan[];
  warnings: string[];
}

async function byTimestamp(admin: Admin, topic: string, ms: bigint, partitions: readonly number[]): Promise<Map<number, bigint>> {
  const found = await admin.listOffsets(topic, { timestamp: ms }, partitions);
  return new Map(found.map((o) => [o.partition, o.offset]));
}

export async function planConsume(admin: Admin, topic: string, partitions: readonly number[], spec: OffsetSpec): Promise<ConsumePlan> {
  const [earliest, latest] = await Promise.all([admin.listOffsets(topic, 'earliest', partitions), admin.listOffsets(topic, 'latest', partitions)]);
  const lo = new Map(earliest.map((o) => [o.partition, o.offset]));
  const hi = new Map(latest.map((o) => [o.partition, o.offset]));
  const startTs = spec.start.kind === 'timestamp' ? await byTimestamp(admin, topic, spec.start.ms, partitions) : undefined;
  const stopTs = spec.stop?.kind === 'timestamp' ? await byTimestamp(admin, topic, spec.stop.ms, partitions) : undefined;
  const warnings: string[] = [];
  const plans = partitions.map((partition) => {
    const logStart = lo.get(partition) ?? 0n;
    const end = hi.get(partition) ?? 0n;
    const s = spec.start;
    let want: bigint;
    switch (s.kind) {
      case 'start':
        want = logStart;
        break;
      case 'end':
        want = end;
        break;
      case 'exact':
        want = s.offset;
        break;
      case 'afterStart':
        want = logStart + s.n;
        break;
      case 'beforeEnd':
        want = end - s.n;
        break;
      case 'timestamp': {
        // No record at or after the time: start at the end, as Kafka's offsetsForTimes users do.
        const o = startTs!.get(partition) ?? -1n;
        want = o < 0n ? end : o;
        break;
      }
    }
    let start = want;
    if (want < logStart || want > end) {
      start = want < logStart ? logStart : end;
      warnings.push(`warning: offset ${want} is outside ${topic}-${partition} (log start ${logStart}, high watermark ${end}); starting at ${start}`);
    }
    const plan: PartitionPlan = { partition, logStartOffset: logStart, highWatermark: end, start };
    const stop = spec.stop;
    if (stop?.kind === 'end') plan.stopOffset = end;
    else if (stop?.kind === 'offset') plan.stopOffset = stop.offset;
    else if (stop?.kind === 'timestamp') {
      // Stop before the first record at or after the time (the broker's time index finds it).
      const o = stopTs!.get(partition) ?? -1n;
      plan.stopOffset = o < 0n ? end : o;
    }
    return plan;
  });
  return { partitions: plans, warnings };
}
