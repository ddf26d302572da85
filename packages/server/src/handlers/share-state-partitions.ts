// The persister APIs (ReadShareGroupState 84, WriteShareGroupState 85, ReadShareGroupStateSummary 87)
// answer per share-partition in request order, each one on its own: what a partition's call throws
// becomes that partition's error code and message, never the whole response's.
import { kafkaErrorCode } from '@mq/protocol';

interface StateTopic<P> {
  readonly topicId: string;
  readonly partitions: readonly P[];
}

export function eachStatePartition<P extends { partition: number }, R>(
  topics: readonly StateTopic<P>[],
  answer: (topicId: string, p: P) => Promise<R>,
  failed: (p: P, errorCode: number, errorMessage: string | null) => R,
): Promise<{ topicId: string; partitions: R[] }[]> {
  return Promise.all(
    topics.map(async (t) => ({
      topicId: t.topicId,
      partitions: await Promise.all(
        t.partitions.map(async (p) => {
          try {
            return await answer(t.topicId, p);
          } catch (err) {
            return failed(p, kafkaErrorCode(err), err instanceof Error ? err.message : null);
          }
        }),
      ),
    })),
  );
}
