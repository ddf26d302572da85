// The share-group offsets admin APIs over a ShareCoordinator: describe each share-partition's start
// offset (SPSO), move it (AlterShareGroupOffsets; the group must be empty) and delete a group's
// state for whole topics (DeleteShareGroupOffsets; the group must be empty).
import type { TopicManager } from '@mq/partition';
import { ErrorCode as E, kafkaErrorCode } from '@mq/protocol';
import type { ShareCoordinator } from './share-coordinator';
import type { ShareOffsetTopic } from './share-protocol';

export interface ShareOffsetsQuery {
  readonly topicName: string;
  readonly partitions: readonly number[];
}

export interface ShareOffsetsChange {
  readonly topicName: string;
  readonly partitions: readonly { readonly partitionIndex: number; readonly startOffset: bigint }[];
}

export class ShareOffsetsAdmin {
  constructor(
    private readonly share: ShareCoordinator,
    private readonly topics: TopicManager,
  ) {}

  /** Start offsets per topic-partition; topics null = every topic the group has state for. */
  async describe(groupId: string, topics: readonly ShareOffsetsQuery[] | null): Promise<{ errorCode: number; errorMessage: string | null; topics: ShareOffsetTopic[] }> {
    if (!this.share.hasGroup(groupId)) return { errorCode: E.GROUP_ID_NOT_FOUND, errorMessage: `Group ${groupId} not found.`, topics: [] };
    const keys = await this.share.stateKeys(groupId);
    const queries: ShareOffsetsQuery[] =
      topics === null
        ? [...new Set(keys.map((k) => k.topicId))].flatMap((topicId) => {
            const name = this.topics.getById(topicId)?.name;
            return name === undefined ? [] : [{ topicName: name, partitions: keys.filter((k) => k.topicId === topicId).map((k) => k.partition).sort((a, b) => a - b) }];
          })
        : [...topics];
    return {
      errorCode: E.NONE,
      errorMessage: null,
      topics: queries.map((q) => {
        const t = this.topics.get(q.topicName);
        return {
          topicName: q.topicName,
          topicId: t?.topicId ?? ZERO_UUID,
          partitions: q.partitions.map((partitionIndex) =>
            t === undefined || t.partition(partitionIndex) === undefined
              ? { partitionIndex, startOffset: -1n, errorCode: E.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'This server does not host this topic-partition.' }
              : { partitionIndex, startOffset: this.share.startOffsetOf({ groupId, topicId: t.topicId, partition: partitionIndex }), errorCode: E.NONE, errorMessage: null },
          ),
        };
      }),
    };
  }

  /** Moves start offsets of an empty (or not yet existing) group; records below are never delivered, from it on all are available. */
  async alter(groupId: string, topics: readonly ShareOffsetsChange[]): Promise<{ errorCode: number; errorMessage: string | null; topics: { topicName: string; topicId: string; partitions: { partitionIndex: number; errorCode: number; errorMessage: string | null }[] }[] }> {
    const status = this.share.emptyGroupStatus(groupId, false);
    if (status !== E.NONE) return { errorCode: status, errorMessage: 'The group has members: stop its consumers first.', topics: [] };
    this.share.groupOf(groupId);
    const out = [];
    for (const q of topics) {
      const t = this.topics.get(q.topicName);
      const partitions = [];
      for (const { partitionIndex, startOffset } of q.partitions) {
        const p = t?.partition(partitionIndex);
        if (t === undefined || p === undefined) {
          partitions.push({ partitionIndex, errorCode: E.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'This server does not host this topic-partition.' });
          continue;
        }
        if (startOffset < 0n || startOffset > p.highWatermark) {
          partitions.push({ partitionIndex, errorCode: E.INVALID_REQUEST, errorMessage: `start offset ${startOffset} is outside 0..${p.highWatermark}` });
          continue;
        }
        try {
          const sp = await this.share.sharePartition(groupId, t.topicId, p);
          sp.resetTo(startOffset < p.logStartOffset ? p.logStartOffset : startOffset);
          await this.share.persistSnapshot(sp);
          partitions.push({ partitionIndex, errorCode: E.NONE, errorMessage: null });
        } catch (err) {
          partitions.push({ partitionIndex, errorCode: kafkaErrorCode(err), errorMessage: err instanceof Error ? err.message : String(err) });
        }
      }
      out.push({ topicName: q.topicName, topicId: t?.topicId ?? ZERO_UUID, partitions });
    }
    return { errorCode: E.NONE, errorMessage: null, topics: out };
  }

  /** Deletes an empty group's state for whole topics. */
  async delete(groupId: string, topicNames: readonly string[]): Promise<{ errorCode: number; errorMessage: string | null; topics: { topicName: string; topicId: string; errorCode: number; errorMessage: string | null }[] }> {
    const status = this.share.emptyGroupStatus(groupId, true);
    if (status !== E.NONE) return { errorCode: status, errorMessage: status === E.NON_EMPTY_GROUP ? 'The group has members: stop its consumers first.' : `Group ${groupId} not found.`, topics: [] };
    const out = [];
    for (const topicName of topicNames) {
      const t = this.topics.get(topicName);
      if (t === undefined) {
        out.push({ topicName, topicId: ZERO_UUID, errorCode: E.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'This server does not host this topic.' });
        continue;
      }
      try {
        await this.share.deleteState(groupId, (k) => k.topicId === t.topicId);
        out.push({ topicName, topicId: t.topicId, errorCode: E.NONE, errorMessage: null });
      } catch (err) {
        out.push({ topicName, topicId: t.topicId, errorCode: kafkaErrorCode(err), errorMessage: err instanceof Error ? err.message : String(err) });
      }
    }
    return { errorCode: E.NONE, errorMessage: null, topics: out };
  }
}

/** Kafka's Uuid.ZERO_UUID in our 22-character form. */
const ZERO_UUID = Buffer.alloc(16).toString('base64url');
