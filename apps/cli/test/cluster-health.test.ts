// The rules of `mq cluster health` / `brokers` on plain metadata: a leader that is not a live broker
// is offline like no leader at all, a short ISR is under-replicated, no controller is unhealthy, and
// a broker only named as a replica is listed offline with what it should hold.
import { describe, expect, it } from 'vitest';
import type { BrokerInfo, TopicDescription } from '@mq/client';
import { brokerLoads, clusterHealth } from '../src/cluster-health';

const broker = (nodeId: number): BrokerInfo => ({ nodeId, host: '127.0.0.1', port: 9090 + nodeId, rack: null });
const partition = (p: number, leaderId: number, replicas: number[], isr: number[]) => ({ partition: p, errorCode: 0, leaderId, leaderEpoch: 1, replicas, isr, offlineReplicas: [] });
const topics: TopicDescription[] = [
  {
    name: 't',
    topicId: null,
    isInternal: false,
    partitions: [partition(0, 1, [1, 2, 3], [1, 2, 3]), partition(1, 2, [2, 3, 1], [2, 1]), partition(2, 3, [3, 1, 2], [3]), partition(3, -1, [3], [3])],
  },
];

describe('clusterHealth', () => {
  it('offline: no leader or a dead leader; under-replicated: a short ISR; each reason named', () => {
    const h = clusterHealth(1, [broker(1), broker(2)], topics);
    expect(h.healthy).toBe(false);
    expect(h.offline.map((p) => [p.partition, p.offlineReplicas])).toEqual([
      [2, [3]],
      [3, [3]],
    ]);
    expect(h.underReplicated.map((p) => [p.partition, p.offlineReplicas])).toEqual([[1, [3]]]);
    expect(h.reasons).toEqual(['2 offline partition(s)', '1 under-replicated partition(s)']);
    expect(h).toMatchObject({ controllerId: 1, brokers: [1, 2], topics: 1, partitions: 4 });
  });

  it('healthy only with a controller and every partition fully in sync', () => {
    const whole: TopicDescription[] = [{ name: 't', topicId: null, isInternal: false, partitions: [partition(0, 1, [1, 2], [2, 1])] }];
    expect(clusterHealth(2, [broker(1), broker(2)], whole).healthy).toBe(true);
    expect(clusterHealth(-1, [broker(1), broker(2)], whole).reasons).toEqual(['no controller']);
  });
});

describe('brokerLoads', () => {
  it('counts leaders, preferred, replicas and out-of-sync per broker; a replica-only broker is offline', () => {
    expect(brokerLoads(1, [broker(1), broker(2)], topics)).toEqual([
      { nodeId: 1, host: '127.0.0.1', port: 9091, rack: null, status: 'online', controller: true, leaders: 1, preferred: 1, replicas: 3, outOfSync: 1 },
      { nodeId: 2, host: '127.0.0.1', port: 9092, rack: null, status: 'online', controller: false, leaders: 1, preferred: 1, replicas: 3, outOfSync: 1 },
      { nodeId: 3, host: null, port: null, rack: null, status: 'offline', controller: false, leaders: 1, preferred: 2, replicas: 4, outOfSync: 1 },
    ]);
  });
});
