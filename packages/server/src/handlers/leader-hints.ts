// KIP-951 leader hints for a client that asked a broker which does not lead the partition: the
// current leader and epoch per partition (Produce v10+, Fetch v12+) and the endpoints of the brokers
// named (Produce v10+, Fetch v16+), from the ReplicaManager's partition states.
import { ErrorCode } from '@mq/protocol';
import type { RequestContext } from '../handler';

export interface CurrentLeader {
  leaderId: number;
  leaderEpoch: number;
}

export interface NodeEndpoint {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/** Errors after which a client should move to the leader (what KIP-951 attaches hints to). */
export function wantsLeaderHint(errorCode: number): boolean {
  return errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER || errorCode === ErrorCode.FENCED_LEADER_EPOCH;
}

/** The partition's current leader, or undefined without replication. */
export function currentLeaderOf(ctx: RequestContext, topic: string, partition: number): CurrentLeader | undefined {
  return ctx.broker.replication?.currentLeader(topic, partition);
}

/** The endpoints of the leaders named in `hints` (each once, unknown brokers left out). */
export function nodeEndpointsOf(ctx: RequestContext, hints: Iterable<CurrentLeader>): NodeEndpoint[] {
  const replication = ctx.broker.replication;
  if (replication === undefined) return [];
  const out: NodeEndpoint[] = [];
  const seen = new Set<number>();
  for (const h of hints) {
    if (h.leaderId < 0 || seen.has(h.leaderId)) continue;
    seen.add(h.leaderId);
    const ep = replication.endpoint(h.leaderId);
    if (ep !== undefined) out.push({ nodeId: h.leaderId, host: ep.host, port: ep.port, rack: ep.rack ?? null });
  }
  return out;
}
