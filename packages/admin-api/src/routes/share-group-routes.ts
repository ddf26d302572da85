// Share groups (KIP-932 queues) for the console and operators, in the REST v3 style of the
// consumer-group routes: list, describe (members with their assignments; each share partition's
// start offset, end offset, in-flight records and backlog; each topic's dead-letter topic and its
// depth), delete (the group must be empty, as kafka-share-groups --delete requires). Everything
// goes through the share coordinator.
import { HttpError, type Route } from '@mq/http';
import { ErrorCode } from '@mq/errors';
import { type ShareCoordinator, ShareOffsetsAdmin, deadLetterTopicName } from '@mq/share';
import type { AdminServices } from '../admin-services';
import { httpErrorForCode } from '../kafka-http-error';
import { Answer, CLUSTER_PATH, collection, route } from './admin-route';

const SHARE_GROUP_PATH = `${CLUSTER_PATH}/share-groups/:share_group_id`;

export interface SharePartitionView {
  readonly topic_name: string;
  readonly partition_id: number;
  /** SPSO: every record below it is finished (acknowledged, archived or skipped). */
  readonly start_offset: bigint;
  /** SPEO: the next offset the group would acquire; null while the share partition is not loaded here. */
  readonly end_offset: bigint | null;
  /** Records acquired by a member and not yet acknowledged; null while not loaded here. */
  readonly in_flight: number | null;
  readonly high_watermark: bigint | null;
  /** Records from the start offset to the high watermark: not yet finished by the group. */
  readonly backlog: bigint | null;
}

function shareCoordinator(s: AdminServices): ShareCoordinator {
  const share = s.share?.();
  if (share === undefined) throw new HttpError(503, 'the share coordinator is not running on this broker');
  return share;
}

/** Each share partition the group has state for, with what this broker knows of its window. */
async function sharePartitions(s: AdminServices, share: ShareCoordinator, groupId: string): Promise<SharePartitionView[]> {
  const described = await new ShareOffsetsAdmin(share, s.topics).describe(groupId, null);
  if (described.errorCode !== ErrorCode.NONE) throw httpErrorForCode(described.errorCode, `describing share group ${groupId}`);
  return described.topics.flatMap((t) =>
    t.partitions
      .filter((p) => p.errorCode === ErrorCode.NONE)
      .map((p) => {
        const sp = share.sharePartitionOf(groupId, t.topicId, p.partitionIndex);
        const hw = s.topics.get(t.topicName)?.partitions[p.partitionIndex]?.highWatermark;
        const finishedBelow = sp?.startOffset ?? p.startOffset;
        return {
          topic_name: t.topicName,
          partition_id: p.partitionIndex,
          start_offset: finishedBelow,
          end_offset: sp?.endOffset ?? null,
          in_flight: sp?.acquiredRecordCount ?? null,
          high_watermark: hw ?? null,
          backlog: hw === undefined || finishedBelow < 0n ? null : hw > finishedBelow ? hw - finishedBelow : 0n,
        };
      }),
  );
}

export interface DeadLetterTopicView {
  /** The share group's topic whose rejected / undeliverable records go there. */
  readonly topic_name: string;
  readonly dead_letter_topic: string;
  /** Records in it (high watermark − log start, over its partitions hosted here); 0 before the first; null: none hosted here. */
  readonly records: bigint | null;
}

/** The dead-letter topic of each of the group's topics with mq.dlq.enable, and its depth. */
function deadLetterTopics(s: AdminServices, groupId: string, topicNames: Iterable<string>): DeadLetterTopicView[] {
  const out: DeadLetterTopicView[] = [];
  for (const name of new Set(topicNames)) {
    const share = s.topics.get(name)?.config.share;
    if (share === undefined || !share.dlqEnable) continue;
    const dead_letter_topic = deadLetterTopicName(share.dlqTopic, name, groupId);
    const dlq = s.topics.get(dead_letter_topic);
    let records: bigint | null = dlq === undefined ? 0n : null;
    for (const p of dlq?.partitions ?? []) if (p !== undefined) records = (records ?? 0n) + (p.highWatermark - p.logStartOffset);
    out.push({ topic_name: name, dead_letter_topic, records });
  }
  return out;
}

export function shareGroupRoutes(s: AdminServices): Route[] {
  const base = `/v3/clusters/${s.cluster.clusterId}/share-groups`;
  const describe = (share: ShareCoordinator, groupId: string) => {
    const [d] = share.describeGroups([groupId]);
    if (d === undefined || d.errorCode !== ErrorCode.NONE) {
      if (d?.errorCode === ErrorCode.GROUP_ID_NOT_FOUND) throw HttpError.notFound(`share group ${groupId} not found`);
      throw httpErrorForCode(d?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR, `describing share group ${groupId}`);
    }
    return d;
  };
  return [
    route(s, 'GET', `${CLUSTER_PATH}/share-groups`, () => {
      const share = shareCoordinator(s);
      const ids = share.listGroups().map((g) => g.groupId).sort((a, b) => a.localeCompare(b));
      const data = share.describeGroups(ids).map((d) => ({
        kind: 'KafkaShareGroup',
        cluster_id: s.cluster.clusterId,
        share_group_id: d.groupId,
        state: d.groupState,
        member_count: d.members.length,
      }));
      return collection('ShareGroup', base, data);
    }),
    route(s, 'GET', SHARE_GROUP_PATH, async (_req, p) => {
      const share = shareCoordinator(s);
      const d = describe(share, p.share_group_id!);
      const partitions = await sharePartitions(s, share, d.groupId);
      return {
        kind: 'KafkaShareGroup',
        cluster_id: s.cluster.clusterId,
        share_group_id: d.groupId,
        state: d.groupState,
        group_epoch: d.groupEpoch,
        assignment_epoch: d.assignmentEpoch,
        assignor: d.assignorName,
        members: d.members.map((m) => ({
          member_id: m.memberId,
          member_epoch: m.memberEpoch,
          client_id: m.clientId,
          host: m.clientHost,
          rack_id: m.rackId,
          subscribed_topics: m.subscribedTopicNames,
          assignments: m.assignment.topicPartitions.flatMap((tp) => tp.partitions.map((partition_id) => ({ topic_name: tp.topicName, partition_id }))),
        })),
        partitions,
        total_backlog: partitions.reduce((n, x) => n + (x.backlog ?? 0n), 0n),
        total_in_flight: partitions.reduce((n, x) => n + (x.in_flight ?? 0), 0),
        dead_letter_topics: deadLetterTopics(s, d.groupId, partitions.map((x) => x.topic_name)),
      };
    }),
    route(s, 'DELETE', SHARE_GROUP_PATH, async (_req, p) => {
      const share = shareCoordinator(s);
      describe(share, p.share_group_id!);
      const errorCode = await share.deleteGroup(p.share_group_id!);
      if (errorCode !== ErrorCode.NONE) throw httpErrorForCode(errorCode, `deleting share group ${p.share_group_id}`);
      return Answer.noContent();
    }),
  ];
}
