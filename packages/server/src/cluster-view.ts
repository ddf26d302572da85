// What Metadata, DescribeCluster and FindCoordinator say about the cluster, from the metadata image
// the TopicManager applies: the registered brokers and the controller in a cluster; on one node
// (an image without brokers) this broker alone, as its own controller.
import { offlineReplicas, type MetadataImage, type PartitionState } from '@mq/metadata';
import type { BrokerServices } from './handler';

export interface BrokerEndpoint {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export function clusterImage(b: BrokerServices): MetadataImage {
  return b.topics.image;
}

/** Live brokers by node id; this broker alone when the image has none (one node). */
export function clusterBrokers(b: BrokerServices): BrokerEndpoint[] {
  const image = clusterImage(b);
  if (image.brokers.size === 0) return [{ nodeId: b.nodeId, host: b.advertisedHost, port: b.advertisedPort, rack: null }];
  return [...image.brokers.values()]
    .sort((x, y) => x.nodeId - y.nodeId)
    .map((r) => ({ nodeId: r.nodeId, host: r.host, port: r.port, rack: r.rack ?? null }));
}

/** The controller's node id; -1 while a cluster has none elected; this node on one node. */
export function controllerId(b: BrokerServices): number {
  const image = clusterImage(b);
  if (image.brokers.size === 0) return b.nodeId;
  return image.controller?.nodeId ?? -1;
}

export function brokerEndpoint(b: BrokerServices, nodeId: number): BrokerEndpoint | undefined {
  return clusterBrokers(b).find((e) => e.nodeId === nodeId);
}

/** Replicas whose broker is not registered (empty on one node). */
export function offlineOf(b: BrokerServices, s: PartitionState): number[] {
  return offlineReplicas(clusterImage(b), s);
}
