// A cluster member's view of the delay store's other partitions for /v1/delayed: each partition's
// leader from the metadata image, requests over the HTTP forwarding the schema registry uses.
import type { DelayedPeers } from '@mq/admin-api';
import { DELAYED_TOPIC } from '@mq/delay';
import type { TopicManager } from '@mq/partition';
import type { RegistryForwarder } from '@mq/schema-registry';

export function delayedPeersOf(topics: TopicManager, nodeId: number, http: Pick<RegistryForwarder, 'forward'>): DelayedPeers {
  const leaders = () => (topics.image.topics.get(DELAYED_TOPIC)?.partitions ?? []).map((p) => p.leader);
  return {
    leaderOf: (p) => {
      const l = leaders()[p];
      return l === undefined || l < 0 ? undefined : l;
    },
    otherLeaders: () => [...new Set(leaders().filter((l) => l >= 0 && l !== nodeId))],
    forward: (to, req) => http.forward(to, req),
  };
}
