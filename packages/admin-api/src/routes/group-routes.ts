// Consumer groups (REST Proxy v3 shapes): list, describe with members and their assignments, lag per
// partition and its summary, reset committed offsets (group must be empty, as kafka-consumer-groups
// --reset-offsets requires), delete. Everything goes through the group coordinator's own operations.
import type { GroupCoordinator } from '@mq/groups';
import { HttpError, type Route } from '@mq/http';
import { ErrorCode } from '@mq/errors';
import { decodeAssignment } from '@mq/protocol';
import type { AdminServices } from '../admin-services';
import { httpErrorForCode } from '../kafka-http-error';
import { bodyInt, nonNegativeLong, objectBody, optionalArray, requiredString } from '../request-input';
import { Answer, CLUSTER_PATH, collection, route } from './admin-route';
import { ledPartition } from './partition-routes';
import { topicImage } from './topic-routes';

const GROUP_PATH = `${CLUSTER_PATH}/consumer-groups/:consumer_group_id`;
const RESET_TARGETS = ['earliest', 'latest', 'offset', 'timestamp'] as const;
type ResetTarget = (typeof RESET_TARGETS)[number];

export interface GroupLagView {
  readonly topic_name: string;
  readonly partition_id: number;
  readonly current_offset: bigint;
  readonly log_end_offset: bigint | null;
  readonly lag: bigint | null;
}

/** Per-partition lag of a group against this broker's high watermarks (the stats stream uses it too). */
export function groupLag(s: AdminServices, g: GroupCoordinator, groupId: string): GroupLagView[] {
  const hw = (topic: string, partition: number) => s.topics.get(topic)?.partitions[partition]?.highWatermark;
  return g.lag(groupId, hw).map((l) => ({
    topic_name: l.topic,
    partition_id: l.partition,
    current_offset: l.committedOffset,
    log_end_offset: l.highWatermark ?? null,
    lag: l.lag ?? null,
  }));
}

export function coordinator(s: AdminServices): GroupCoordinator {
  const g = s.groups();
  if (g === undefined) throw new HttpError(503, 'the group coordinator is still starting');
  return g;
}

export function groupRoutes(s: AdminServices): Route[] {
  const base = `/v3/clusters/${s.cluster.clusterId}/consumer-groups`;
  const describe = (g: GroupCoordinator, groupId: string) => {
    const [d] = g.describeGroups([groupId]);
    if (d === undefined || d.errorCode !== ErrorCode.NONE) throw httpErrorForCode(d?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR, `describing group ${groupId}`);
    if (d.groupState === 'Dead' && d.members.length === 0 && g.lag(groupId, () => undefined).length === 0) {
      throw HttpError.notFound(`consumer group ${groupId} not found`);
    }
    return d;
  };
  return [
    route(s, 'GET', `${CLUSTER_PATH}/consumer-groups`, () => {
      const listed = coordinator(s).listGroups();
      if (listed.errorCode !== ErrorCode.NONE) throw httpErrorForCode(listed.errorCode, 'listing groups');
      const data = listed.groups
        .sort((a, b) => a.groupId.localeCompare(b.groupId))
        .map((l) => ({ kind: 'KafkaConsumerGroup', cluster_id: s.cluster.clusterId, consumer_group_id: l.groupId, state: l.groupState, type: l.groupType, protocol_type: l.protocolType }));
      return collection('ConsumerGroup', base, data);
    }),
    route(s, 'GET', GROUP_PATH, (_req, p) => {
      const g = coordinator(s);
      const d = describe(g, p.consumer_group_id!);
      const lags = groupLag(s, g, d.groupId);
      return {
        kind: 'KafkaConsumerGroup',
        cluster_id: s.cluster.clusterId,
        consumer_group_id: d.groupId,
        state: d.groupState,
        protocol_type: d.protocolType,
        partition_assignor: d.protocolData,
        members: d.members.map((m) => ({
          consumer_id: m.memberId,
          instance_id: m.groupInstanceId,
          client_id: m.clientId,
          host: m.clientHost,
          assignments: assignmentOf(d.protocolType, m.memberAssignment),
        })),
        total_lag: lags.reduce((n, l) => n + (l.lag ?? 0n), 0n),
      };
    }),
    route(s, 'DELETE', GROUP_PATH, async (_req, p) => {
      const g = coordinator(s);
      describe(g, p.consumer_group_id!);
      const [r] = await g.deleteGroups([p.consumer_group_id!]);
      if (r !== undefined && r.errorCode !== ErrorCode.NONE) throw httpErrorForCode(r.errorCode, `deleting group ${p.consumer_group_id}`);
      return Answer.noContent();
    }),
    route(s, 'GET', `${GROUP_PATH}/lags`, (_req, p) => {
      const g = coordinator(s);
      const d = describe(g, p.consumer_group_id!);
      return collection('ConsumerLag', `${base}/${d.groupId}/lags`, groupLag(s, g, d.groupId).map((l) => ({ kind: 'KafkaConsumerLag', consumer_group_id: d.groupId, ...l })));
    }),
    route(s, 'GET', `${GROUP_PATH}/lag-summary`, (_req, p) => {
      const g = coordinator(s);
      const d = describe(g, p.consumer_group_id!);
      const lags = groupLag(s, g, d.groupId);
      const max = lags.reduce<GroupLagView | undefined>((m, l) => ((l.lag ?? 0n) > (m?.lag ?? -1n) ? l : m), undefined);
      return {
        kind: 'KafkaConsumerGroupLagSummary',
        consumer_group_id: d.groupId,
        total_lag: lags.reduce((n, l) => n + (l.lag ?? 0n), 0n),
        max_lag: max?.lag ?? 0n,
        max_lag_topic_name: max?.topic_name ?? null,
        max_lag_partition_id: max?.partition_id ?? null,
      };
    }),
    // `{ topic_name, partition_ids?, to: earliest|latest|offset|timestamp, offset?, timestamp? }`.
    route(s, 'POST', `${GROUP_PATH}/offsets:reset`, async (req, p) => {
      const g = coordinator(s);
      const groupId = p.consumer_group_id!;
      const body = objectBody(req);
      const topic = topicImage(s, requiredString(body.topic_name, 'topic_name'));
      const to = requiredString(body.to, 'to') as ResetTarget;
      if (!RESET_TARGETS.includes(to)) throw HttpError.badRequest(`to must be one of ${RESET_TARGETS.join(', ')}`);
      const target = to === 'offset' ? nonNegativeLong(body.offset, 'offset') : to === 'timestamp' ? nonNegativeLong(body.timestamp, 'timestamp') : undefined;
      const ids = body.partition_ids === undefined ? topic.partitions.map((_, i) => i) : optionalArray(body.partition_ids, 'partition_ids').map((x, i) => bodyInt(x, `partition_ids[${i}]`));
      const [d] = g.describeGroups([groupId]);
      if (d !== undefined && d.members.length > 0) throw new HttpError(409, `consumer group ${groupId} has ${d.members.length} active members: stop them before resetting offsets`);
      const offsets: { partitionIndex: number; committedOffset: bigint }[] = [];
      for (const id of ids) {
        const state = topic.partitions[id];
        if (state === undefined) throw HttpError.notFound(`partition ${topic.name}-${id} not found`);
        const part = ledPartition(s, state);
        let offset: bigint;
        if (to === 'earliest') offset = part.logStartOffset;
        else if (to === 'latest') offset = part.highWatermark;
        else if (to === 'timestamp') offset = (await part.offsetForTimestamp(target!))?.offset ?? part.highWatermark;
        else {
          offset = target!;
          if (offset < part.logStartOffset || offset > part.highWatermark) {
            throw new HttpError(416, `offset ${offset} is outside ${topic.name}-${id}'s range [${part.logStartOffset}, ${part.highWatermark}]`);
          }
        }
        offsets.push({ partitionIndex: id, committedOffset: offset });
      }
      const res = await g.commitOffsets({
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: topic.name, partitions: offsets.map((o) => ({ ...o, committedLeaderEpoch: -1, committedMetadata: null })) }],
      });
      for (const t of res.topics) {
        for (const r of t.partitions) if (r.errorCode !== ErrorCode.NONE) throw httpErrorForCode(r.errorCode, `resetting ${t.name}-${r.partitionIndex} of group ${groupId}`);
      }
      return { kind: 'KafkaConsumerGroupOffsets', consumer_group_id: groupId, data: offsets.map((o) => ({ topic_name: topic.name, partition_id: o.partitionIndex, offset: o.committedOffset })) };
    }),
  ];
}

/** A classic consumer's assignment bytes as topic-partitions (other protocols' bytes are opaque: none shown). */
function assignmentOf(protocolType: string, bytes: Buffer): { topic_name: string; partition_id: number }[] {
  if (protocolType !== 'consumer' || bytes.length === 0) return [];
  try {
    return decodeAssignment(bytes).assignedPartitions.flatMap((tp) => tp.partitions.map((partition_id) => ({ topic_name: tp.topic, partition_id })));
  } catch {
    return [];
  }
}
