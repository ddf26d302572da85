// Partitions of a topic with their replicas and, where this broker hosts them, offsets and sizes
// (REST Proxy v3 shape plus mq's log fields; null where the partition lives on another broker).
import { HttpError, type Route } from '@mq/http';
import type { PartitionState } from '@mq/metadata';
import type { Partition } from '@mq/partition';
import type { AdminServices } from '../admin-services';
import { nonNegativeInt } from '../request-input';
import { collection, route } from './admin-route';
import { TOPIC_PATH, topicImage } from './topic-routes';

export const PARTITION_PATH = `${TOPIC_PATH}/partitions/:partition_id`;

/** The partition's state in the image (404 when the topic or partition does not exist). */
export function partitionStateOf(s: AdminServices, topic: string, rawPartition: string): PartitionState {
  const id = nonNegativeInt(rawPartition, 'partition_id');
  const state = topicImage(s, topic).partitions[id];
  if (state === undefined) throw HttpError.notFound(`partition ${topic}-${id} not found`);
  return state;
}

/** The local replica this broker leads (421 when another broker leads it: ask that broker's API). */
export function ledPartition(s: AdminServices, state: PartitionState): Partition {
  const p = s.topics.get(state.topic)?.partitions[state.partition];
  if (p === undefined || state.leader !== s.cluster.nodeId) {
    throw new HttpError(421, `partition ${state.topic}-${state.partition} is led by broker ${state.leader}, not ${s.cluster.nodeId}`);
  }
  return p;
}

export function partitionRoutes(s: AdminServices): Route[] {
  const view = (state: PartitionState) => {
    const p = s.topics.get(state.topic)?.partitions[state.partition];
    return {
      kind: 'KafkaPartition',
      cluster_id: s.cluster.clusterId,
      topic_name: state.topic,
      partition_id: state.partition,
      leader_id: state.leader,
      leader_epoch: state.leaderEpoch,
      replicas: state.replicas,
      isr: state.isr,
      log_start_offset: p?.logStartOffset ?? null,
      log_end_offset: p?.logEndOffset ?? null,
      high_watermark: p?.highWatermark ?? null,
      size_bytes: p?.sizeInBytes ?? null,
      segment_count: p?.segmentCount ?? null,
    };
  };
  return [
    route(s, 'GET', `${TOPIC_PATH}/partitions`, (_req, p) => {
      const t = topicImage(s, p.topic_name!);
      return collection('Partition', `/v3/clusters/${s.cluster.clusterId}/topics/${t.name}/partitions`, t.partitions.map(view));
    }),
    route(s, 'GET', PARTITION_PATH, (_req, p) => view(partitionStateOf(s, p.topic_name!, p.partition_id!))),
  ];
}
