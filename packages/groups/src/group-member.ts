// One member of a classic group: its subscription protocols, timeouts, assignment, and the
// pending JoinGroup/SyncGroup answers it waits for while the group rebalances.
import type { Cancel } from '@mq/timerwheel';
import type { JoinGroupResponse, SyncGroupResponse } from './group-api';

export interface MemberProtocol {
  name: string;
  metadata: Buffer;
}

export class GroupMember {
  memberId: string;
  readonly groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
  assignment: Buffer = Buffer.alloc(0);
  /** Set while a JoinGroup waits for the join phase to complete. */
  joinWaiter: ((res: JoinGroupResponse) => void) | null = null;
  /** Set while a SyncGroup waits for the leader's assignment. */
  syncWaiter: ((res: SyncGroupResponse) => void) | null = null;
  sessionTimer: Cancel | null = null;
  /** Joined during the current rebalance (counted for the initial rebalance delay). */
  isNew = false;

  constructor(init: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    rebalanceTimeoutMs: number;
    sessionTimeoutMs: number;
    protocolType: string;
    protocols: MemberProtocol[];
  }) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.protocolType = init.protocolType;
    this.protocols = init.protocols;
  }

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  metadataFor(protocolName: string): Buffer {
    const p = this.protocols.find((x) => x.name === protocolName);
    return p?.metadata ?? Buffer.alloc(0);
  }

  /** Same protocol names and metadata in the same order (a rejoin that changes nothing). */
  matches(protocols: readonly MemberProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata));
  }

  /** The member's most preferred protocol among the candidates every member supports. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }

  completeJoin(res: JoinGroupResponse): void {
    const w = this.joinWaiter;
    this.joinWaiter = null;
    w?.(res);
  }

  completeSync(res: SyncGroupResponse): void {
    const w = this.syncWaiter;
    this.syncWaiter = null;
    w?.(res);
  }
}
