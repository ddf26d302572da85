// The share-group offsets admin APIs over a ShareCoordinator: describe each share-partition's start
// offset (SPSO), move it (AlterShareGroupOffsets; the group must be empty) and delete a group's
// state for whole topics (DeleteShareGroupOffsets; the group must be empty). In a cluster the
// group's coordinator checks the membership and each share-partition's leader applies the change
// (alterLed / deleteLed, reached through the ShareLeaderOffsets route).
import type { TopicManager } from '@mq/partition';
import { ErrorCode as E, kafkaErrorCode } from '@mq/protocol';
import type { ShareCoordinator } from './share-coordinator';
import type { SharePartitionRef } from './share-persister';
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

  /**
   * Start offsets per topic-partition; topics null = every topic the group has state for. In a
   * cluster the state lives at each share-partition's share coordinator, so which share-partitions
   * have state is known only there: for topics null every partition of every topic is asked about
   * (one ReadShareGroupStateSummary per coordinator) and those without state are left out; a group
   * unknown to this broker exists when some share-partition of it has state.
   */
  async describe(groupId: string, topics: readonly ShareOffsetsQuery[] | null): Promise<{ errorCode: number; errorMessage: string | null; topics: ShareOffsetTopic[] }> {
    const notFound = { errorCode: E.GROUP_ID_NOT_FOUND, errorMessage: `Group ${groupId} not found.`, topics: [] };
    const known = this.share.hasGroup(groupId);
    if (!known && !this.share.clustered) return notFound;
    const everyTopic = topics === null;
    const queries = topics ?? (this.share.clustered ? this.everyPartition() : await this.withState(groupId));
    const refs: SharePartitionRef[] = [];
    for (const q of queries) {
      const t = this.topics.get(q.topicName);
      if (t !== undefined) for (const partition of q.partitions) if (hasPartition(t.partitions.length, partition)) refs.push({ topicId: t.topicId, partition });
    }
    const summaries = new Map((await this.share.startOffsets(groupId, refs)).map((s) => [`${s.topicId}:${s.partition}`, s]));
    if (!known && ![...summaries.values()].some((s) => s.startOffset >= 0n)) return notFound;
    const out: ShareOffsetTopic[] = [];
    for (const q of queries) {
      const t = this.topics.get(q.topicName);
      const partitions = q.partitions.flatMap((partitionIndex) => {
        const s = t === undefined ? undefined : summaries.get(`${t.topicId}:${partitionIndex}`);
        if (s === undefined) return [{ partitionIndex, startOffset: -1n, errorCode: E.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'This server does not host this topic-partition.' }];
        // Asked about every partition: the ones without state are not the group's.
        if (everyTopic && s.errorCode === E.NONE && s.startOffset < 0n) return [];
        return [{ partitionIndex, startOffset: s.startOffset, errorCode: s.errorCode, errorMessage: s.errorMessage }];
      });
      if (!everyTopic || partitions.length > 0) out.push({ topicName: q.topicName, topicId: t?.topicId ?? ZERO_UUID, partitions });
    }
    return { errorCode: E.NONE, errorMessage: null, topics: out };
  }

  /** One node: the topic-partitions the group has state for. */
  private async withState(groupId: string): Promise<ShareOffsetsQuery[]> {
    const keys = await this.share.stateKeys(groupId);
    return [...new Set(keys.map((k) => k.topicId))].flatMap((topicId) => {
      const name = this.topics.getById(topicId)?.name;
      return name === undefined ? [] : [{ topicName: name, partitions: keys.filter((k) => k.topicId === topicId).map((k) => k.partition).sort((a, b) => a - b) }];
    });
  }

  /** A cluster: every partition of every topic a share group may consume (not the internal ones). */
  private everyPartition(): ShareOffsetsQuery[] {
    return this.share.consumableTopics().map((t) => ({ topicName: t.name, partitions: Array.from({ length: t.partitions.length }, (_, i) => i) }));
  }

  /**
   * Moves start offsets of an empty (or not yet existing) group; records below are never delivered,
   * from it on all are available. In a cluster each share-partition's leader applies its change
   * (alterLed, here or forwarded there): it holds the share-partition and writes its state.
   */
  async alter(groupId: string, topics: readonly ShareOffsetsChange[]): Promise<{ errorCode: number; errorMessage: string | null; topics: AlteredTopic[] }> {
    const status = this.share.emptyGroupStatus(groupId, false);
    if (status !== E.NONE) return { errorCode: status, errorMessage: 'The group has members: stop its consumers first.', topics: [] };
    this.share.groupOf(groupId);
    const atLeaders = this.share.leaderOffsets;
    if (atLeaders === undefined) return this.alterLed(groupId, topics);
    const out: AlteredTopic[] = [];
    for (const q of topics) {
      const t = this.topics.get(q.topicName);
      const partitions = t === undefined ? q.partitions.map(({ partitionIndex }) => unknownPartition(partitionIndex)) : await atLeaders.alter(groupId, q.topicName, q.partitions);
      out.push({ topicName: q.topicName, topicId: t?.topicId ?? ZERO_UUID, partitions });
    }
    return { errorCode: E.NONE, errorMessage: null, topics: out };
  }

  /**
   * The share-partitions' side of alter(), without the membership check (one node: after it; a
   * cluster: the coordinator made it and forwarded the partitions led here). Offsets outside
   * 0..high watermark are INVALID_REQUEST; a partition not led here NOT_LEADER_OR_FOLLOWER.
   */
  async alterLed(groupId: string, topics: readonly ShareOffsetsChange[]): Promise<{ errorCode: number; errorMessage: string | null; topics: AlteredTopic[] }> {
    const out: AlteredTopic[] = [];
    for (const q of topics) {
      const t = this.topics.get(q.topicName);
      const partitions = [];
      for (const { partitionIndex, startOffset } of q.partitions) {
        const p = t?.partition(partitionIndex);
        if (t === undefined || p === undefined) {
          partitions.push(unknownPartition(partitionIndex));
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

  /** Deletes an empty group's state for whole topics; in a cluster at each partition's leader (deleteLed). */
  async delete(groupId: string, topicNames: readonly string[]): Promise<{ errorCode: number; errorMessage: string | null; topics: DeletedTopic[] }> {
    const status = this.share.emptyGroupStatus(groupId, true);
    if (status !== E.NONE) return { errorCode: status, errorMessage: status === E.NON_EMPTY_GROUP ? 'The group has members: stop its consumers first.' : `Group ${groupId} not found.`, topics: [] };
    const atLeaders = this.share.leaderOffsets;
    const out: DeletedTopic[] = [];
    for (const topicName of topicNames) {
      const t = this.topics.get(topicName);
      if (t === undefined) out.push(unknownTopic(topicName));
      else if (atLeaders !== undefined) out.push({ topicName, topicId: t.topicId, ...(await atLeaders.delete(groupId, topicName)) });
      else out.push(await this.deleteTopicState(topicName, t.topicId, () => this.share.deleteState(groupId, (k) => k.topicId === t.topicId)));
    }
    return { errorCode: E.NONE, errorMessage: null, topics: out };
  }

  /** Cluster: the topics' share-partitions led here are dropped, without the membership check (the coordinator made it). */
  async deleteLed(groupId: string, topicNames: readonly string[]): Promise<{ errorCode: number; errorMessage: string | null; topics: DeletedTopic[] }> {
    const out: DeletedTopic[] = [];
    for (const topicName of topicNames) {
      const t = this.topics.get(topicName);
      out.push(t === undefined ? unknownTopic(topicName) : await this.deleteTopicState(topicName, t.topicId, () => this.share.deleteLedState(groupId, t.topicId)));
    }
    return { errorCode: E.NONE, errorMessage: null, topics: out };
  }

  private async deleteTopicState(topicName: string, topicId: string, drop: () => Promise<void>): Promise<DeletedTopic> {
    try {
      await drop();
      return { topicName, topicId, errorCode: E.NONE, errorMessage: null };
    } catch (err) {
      return { topicName, topicId, errorCode: kafkaErrorCode(err), errorMessage: err instanceof Error ? err.message : String(err) };
    }
  }
}

interface AlteredTopic {
  topicName: string;
  topicId: string;
  partitions: { partitionIndex: number; errorCode: number; errorMessage: string | null }[];
}

interface DeletedTopic {
  topicName: string;
  topicId: string;
  errorCode: number;
  errorMessage: string | null;
}

const unknownPartition = (partitionIndex: number) => ({ partitionIndex, errorCode: E.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'This server does not host this topic-partition.' });

const unknownTopic = (topicName: string): DeletedTopic => ({ topicName, topicId: ZERO_UUID, errorCode: E.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'This server does not host this topic.' });

/** Whether a topic of `count` partitions has partition `index` (in a cluster not every one is hosted here). */
const hasPartition = (count: number, index: number): boolean => Number.isInteger(index) && index >= 0 && index < count;

/** Kafka's Uuid.ZERO_UUID in our 22-character form. */
const ZERO_UUID = Buffer.alloc(16).toString('base64url');
