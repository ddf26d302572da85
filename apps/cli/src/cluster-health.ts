// What `mq cluster health` and `mq cluster brokers` conclude from one Metadata view: partitions
// without a live leader (offline), partitions whose ISR is smaller than their replica set
// (under-replicated), replicas on brokers Metadata does not list, and per broker what it leads,
// holds and lags behind on. Pure, so the rules are unit-tested without a cluster.
import type { BrokerInfo, TopicDescription } from '@mq/client';

export interface PartitionProblem {
  readonly topic: string;
  readonly partition: number;
  readonly leader: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** Replicas on brokers that are not live. */
  readonly offlineReplicas: readonly number[];
  readonly problem: 'offline' | 'under-replicated';
}

export interface ClusterHealth {
  readonly healthy: boolean;
  readonly controllerId: number;
  readonly brokers: readonly number[];
  readonly topics: number;
  readonly partitions: number;
  /** No leader, or a leader that is not a live broker. */
  readonly offline: readonly PartitionProblem[];
  /** A leader, but an ISR smaller than the replica set (a reassignment adding replicas counts, as in Kafka). */
  readonly underReplicated: readonly PartitionProblem[];
  /** Why unhealthy, one phrase each (empty when healthy). */
  readonly reasons: readonly string[];
}

export function clusterHealth(controllerId: number, brokers: readonly BrokerInfo[], topics: readonly TopicDescription[]): ClusterHealth {
  const live = new Set(brokers.map((b) => b.nodeId));
  const offline: PartitionProblem[] = [];
  const underReplicated: PartitionProblem[] = [];
  let partitions = 0;
  for (const t of topics) {
    for (const p of t.partitions) {
      partitions++;
      const base = { topic: t.name, partition: p.partition, leader: p.leaderId, replicas: p.replicas, isr: p.isr, offlineReplicas: p.replicas.filter((r) => !live.has(r)) };
      if (p.leaderId < 0 || !live.has(p.leaderId)) offline.push({ ...base, problem: 'offline' });
      else if (p.isr.length < p.replicas.length) underReplicated.push({ ...base, problem: 'under-replicated' });
    }
  }
  const reasons: string[] = [];
  if (controllerId < 0) reasons.push('no controller');
  if (offline.length > 0) reasons.push(`${offline.length} offline partition(s)`);
  if (underReplicated.length > 0) reasons.push(`${underReplicated.length} under-replicated partition(s)`);
  return {
    healthy: reasons.length === 0,
    controllerId,
    brokers: [...live].sort((a, b) => a - b),
    topics: topics.length,
    partitions,
    offline,
    underReplicated,
    reasons,
  };
}

export interface BrokerLoad {
  readonly nodeId: number;
  readonly host: string | null;
  readonly port: number | null;
  readonly rack: string | null;
  /** online: Metadata lists it; offline: only named as a replica. */
  readonly status: 'online' | 'offline';
  readonly controller: boolean;
  readonly leaders: number;
  /** Partitions it is the first (preferred) replica of. */
  readonly preferred: number;
  readonly replicas: number;
  /** Partitions it is a replica of but not in the ISR of. */
  readonly outOfSync: number;
}

export function brokerLoads(controllerId: number, brokers: readonly BrokerInfo[], topics: readonly TopicDescription[]): BrokerLoad[] {
  const rows = new Map<number, { info: BrokerInfo | undefined; leaders: number; preferred: number; replicas: number; outOfSync: number }>();
  const row = (id: number, info?: BrokerInfo) => {
    let r = rows.get(id);
    if (r === undefined) rows.set(id, (r = { info, leaders: 0, preferred: 0, replicas: 0, outOfSync: 0 }));
    return r;
  };
  for (const b of brokers) row(b.nodeId, b);
  for (const t of topics) {
    for (const p of t.partitions) {
      if (p.leaderId >= 0) row(p.leaderId).leaders++;
      if (p.replicas[0] !== undefined) row(p.replicas[0]).preferred++;
      for (const r of p.replicas) {
        const x = row(r);
        x.replicas++;
        if (!p.isr.includes(r)) x.outOfSync++;
      }
    }
  }
  return [...rows]
    .sort(([a], [b]) => a - b)
    .map(([nodeId, r]) => ({
      nodeId,
      host: r.info?.host ?? null,
      port: r.info?.port ?? null,
      rack: r.info?.rack ?? null,
      status: r.info === undefined ? 'offline' : 'online',
      controller: nodeId === controllerId,
      leaders: r.leaders,
      preferred: r.preferred,
      replicas: r.replicas,
      outOfSync: r.outOfSync,
    }));
}
