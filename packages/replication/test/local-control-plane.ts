// The control plane's part of the contract for tests without etcd: partition states held in memory,
// AlterPartition as Kafka's rules (fenced leader epoch, CAS on partitionEpoch), every committed
// state pushed to every registered ReplicaManager, as the etcd watch does in the real cluster.
import { FencedLeaderEpochError, InvalidUpdateVersionError } from '@mq/metadata';
import type { AlterPartitionRequest, PartitionState, ReplicaManager } from '../src/index';

export class LocalControlPlane {
  readonly states = new Map<string, PartitionState>();
  readonly managers: ReplicaManager[] = [];
  readonly proposals: AlterPartitionRequest[] = [];
  /** While set, AlterPartition waits for it (a slow or unreachable control plane). */
  hold: Promise<void> | undefined;

  readonly alterPartition = async (req: AlterPartitionRequest): Promise<PartitionState> => {
    this.proposals.push(req);
    if (this.hold !== undefined) await this.hold;
    const key = `${req.topic}-${req.partition}`;
    const cur = this.states.get(key);
    if (cur === undefined) throw new InvalidUpdateVersionError(`no state for ${key}`);
    if (req.leaderEpoch !== cur.leaderEpoch) throw new FencedLeaderEpochError(`leader epoch ${req.leaderEpoch} is not ${cur.leaderEpoch}`);
    if (req.partitionEpoch !== cur.partitionEpoch) throw new InvalidUpdateVersionError(`partition epoch ${req.partitionEpoch} is not ${cur.partitionEpoch}`);
    const next: PartitionState = { ...cur, isr: [...req.isr], partitionEpoch: cur.partitionEpoch + 1 };
    await this.publish(next);
    return next;
  };

  async publish(state: PartitionState): Promise<void> {
    this.states.set(`${state.topic}-${state.partition}`, state);
    await Promise.all(this.managers.map((m) => (state.replicas.includes(m.nodeId) ? m.applyPartitionState(state) : m.removePartition(state.topic, state.partition))));
  }

  /** A new leader (or the same) in the next leader epoch, as the controller elects one. */
  async elect(topic: string, partition: number, leader: number, isr?: readonly number[]): Promise<PartitionState> {
    const cur = this.states.get(`${topic}-${partition}`)!;
    const next: PartitionState = { ...cur, leader, leaderEpoch: cur.leaderEpoch + 1, partitionEpoch: cur.partitionEpoch + 1, isr: isr ?? cur.isr };
    await this.publish(next);
    return next;
  }
}
