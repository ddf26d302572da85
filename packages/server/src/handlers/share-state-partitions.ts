// The persister APIs (ReadShareGroupState 84, WriteShareGroupState 85, DeleteShareGroupState 86,
// ReadShareGroupStateSummary 87), broker to broker, version 0: COORDINATOR_NOT_AVAILABLE for every
// partition while the broker runs without a share coordinator; else each share-partition answered in
// request order on its own — what a partition's call throws becomes that partition's error code
// and message, never the whole response's.
import { ErrorCode, kafkaErrorCode } from '@mq/protocol';
import type { ShareCoordinator } from '@mq/share';
import { type AnyApiHandler, defineHandler } from '../handler';
import { shareCoordinatorOf } from './share-coordinator-of';

interface StateTopic<P> {
  readonly topicId: string;
  readonly partitions: readonly P[];
}

interface StateRequest<P> {
  readonly groupId: string;
  readonly topics: readonly StateTopic<P>[];
}

export interface PersisterHandler<P extends { partition: number }, R> {
  readonly apiKey: number;
  /** A partition's answer from the share coordinator (it may throw: that partition's error). */
  answer(share: ShareCoordinator, groupId: string, topicId: string, p: P): Promise<R>;
  /** A partition's answer when it failed with `errorCode`. */
  failed(p: P, errorCode: number, errorMessage: string | null): R;
}

export function persisterHandler<P extends { partition: number }, R>(h: PersisterHandler<P, R>): AnyApiHandler {
  type Res = { results: { topicId: string; partitions: R[] }[] };
  return defineHandler<StateRequest<P>, Res>({
    apiKey: h.apiKey,
    minVersion: 0,
    maxVersion: 0,
    async handle(req, ctx) {
      const share = shareCoordinatorOf(ctx);
      if (share === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
      return { results: await eachStatePartition(req.topics, (topicId, p) => h.answer(share, req.groupId, topicId, p), h.failed) };
    },
    errorResponse(req, errorCode) {
      return { results: req.topics.map((t) => ({ topicId: t.topicId, partitions: t.partitions.map((p) => h.failed(p, errorCode, null)) })) };
    },
  });
}

function eachStatePartition<P extends { partition: number }, R>(
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
