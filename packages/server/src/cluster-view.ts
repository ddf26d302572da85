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

/**
 * Live brokers by node id; this broker alone when the image has none (one node), at the advertised
 * address of `listenerName` (the listener the client connected to, as Kafka answers). A registration
 * without that listener (an older broker's) gives its one address.
 */
export function clusterBrokers(b: BrokerServices, listenerName?: string): BrokerEndpoint[] {
  const image = clusterImage(b);
  if (image.brokers.size === 0) {
    return [{ nodeId: b.nodeId, ...ownEndpoint(b, listenerName), rack: null }];
  }
  return [...image.brokers.values()]
    .sort((x, y) => x.nodeId - y.nodeId)
    .map((r) => {
      const l = listenerName === undefined ? undefined : r.listeners?.[listenerName];
      return { nodeId: r.nodeId, host: l?.host ?? r.host, port: l?.port ?? r.port, rack: r.rack ?? null };
    });
}

/** The controller's node id; -1 while a cluster has none elected; this node on one node. */
export function controllerId(b: BrokerServices): number {
  const image = clusterImage(b);
  if (image.brokers.size === 0) return b.nodeId;
  return image.controller?.nodeId ?? -1;
}

/** This broker's advertised host/port on `listenerName` (the first listener's when unknown). */
export function ownEndpoint(b: BrokerServices, listenerName?: string): { host: string; port: number } {
  const l = listenerName === undefined ? undefined : b.listeners.find((x) => x.name === listenerName);
  return { host: l?.advertisedHost ?? b.advertisedHost, port: l?.advertisedPort ?? b.advertisedPort };
}

export function brokerEndpoint(b: BrokerServices, nodeId: number, listenerName?: string): BrokerEndpoint | undefined {
  return clusterBrokers(b, listenerName).find((e) => e.nodeId === nodeId);
}

/** Replicas whose broker is not registered (empty on one node). */
export function offlineOf(b: BrokerServices, s: PartitionState): number[] {
  return offlineReplicas(clusterImage(b), s);
}
