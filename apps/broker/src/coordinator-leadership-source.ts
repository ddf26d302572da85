// The data plane's side of a coordinator on a replicated internal topic (@mq/coordinator's
// CoordinatorLeadershipSource) in a cluster: leadership changes come from the ReplicaManager once a
// transition completed, the partition count from the metadata image, and the writer appends as
// leader and answers only once the ISR has the records (acks=all) — so groups, and any later
// coordinator (transactions, share state, schemas), fail over with their partition.
import { type CoordinatorLeadershipSource, type LeadershipChange, PartitionRecordWriter } from '@mq/coordinator';
import type { TopicManager } from '@mq/partition';
import { ErrorCode, KafkaError } from '@mq/protocol';
import type { ReplicaManager } from '@mq/replication';
import type { Clock } from '@mq/timerwheel';

/** How long a coordinator append waits for the ISR (Kafka's offsets.commit.timeout.ms default). */
export const COORDINATOR_APPEND_TIMEOUT_MS = 5_000;

export function replicatedCoordinatorSource(replication: ReplicaManager, topics: TopicManager, clock: Clock): CoordinatorLeadershipSource {
  return {
    watchLeadership(topic: string, fn: (change: LeadershipChange) => void): () => void {
      const unsubscribe = replication.onLeadershipChange((t, partitionIndex, partition, leaderEpoch) => {
        if (t === topic) fn({ partitionIndex, partition, leaderEpoch });
      });
      for (const led of replication.ledPartitions(topic)) fn(led);
      return unsubscribe;
    },
    partitionCount(topic: string): number | undefined {
      return topics.image.topics.get(topic)?.partitions.length;
    },
    writerFor(partition) {
      return new PartitionRecordWriter(partition, () => clock.now(), {
        beforeAppend(p) {
          const code = replication.checkProduce(p.topic, p.index, -1);
          if (code !== ErrorCode.NONE) throw new KafkaError(code, `${p.topic}-${p.index} is not writable here`);
        },
        async afterAppend(p, lastOffset) {
          const code = await replication.awaitIsr(p.topic, p.index, lastOffset, COORDINATOR_APPEND_TIMEOUT_MS);
          if (code !== ErrorCode.NONE) throw new KafkaError(code, `${p.topic}-${p.index}: the ISR did not acknowledge offset ${lastOffset}`);
        },
      });
    },
  };
}
