// Share sessions (KIP-932): per (group, member) the partitions a member fetches from, so that a
// ShareFetch names only what changed. Epoch 0 opens a session (replacing one the member had), -1
// closes it, anything else must be the previous epoch + 1 (wrapping to 1 past int32 max).
import { ErrorCode } from '@mq/protocol';

export const FINAL_SHARE_SESSION_EPOCH = -1;
export const INITIAL_SHARE_SESSION_EPOCH = 0;

export interface SessionPartition {
  readonly topicId: string;
  readonly partition: number;
}

export class ShareSession {
  epoch = INITIAL_SHARE_SESSION_EPOCH;
  /** `${topicId}:${partition}` → the partition, in the order added. */
  readonly partitions = new Map<string, SessionPartition>();

  add(topicId: string, partition: number): void {
    this.partitions.set(`${topicId}:${partition}`, { topicId, partition });
  }

  forget(topicId: string, partition: number): void {
    this.partitions.delete(`${topicId}:${partition}`);
  }
}

const nextEpoch = (epoch: number): number => (epoch === 0x7fffffff ? 1 : epoch + 1);

export class ShareSessionCache {
  private readonly sessions = new Map<string, ShareSession>();

  constructor(private readonly maxSessions: number) {}

  get size(): number {
    return this.sessions.size;
  }

  get(groupId: string, memberId: string): ShareSession | undefined {
    return this.sessions.get(sessionKey(groupId, memberId));
  }

  /**
   * The session a request with `epoch` runs in: a new one for 0, the existing one moved to `epoch`
   * otherwise (-1: the existing one, to be closed after the request). A Kafka error code when the
   * session is missing (SHARE_SESSION_NOT_FOUND), the epoch is not the next one
   * (INVALID_SHARE_SESSION_EPOCH) or too many sessions are open (SHARE_SESSION_LIMIT_REACHED).
   */
  begin(groupId: string, memberId: string, epoch: number): ShareSession | number {
    const key = sessionKey(groupId, memberId);
    const existing = this.sessions.get(key);
    if (epoch === INITIAL_SHARE_SESSION_EPOCH) {
      if (existing === undefined && this.sessions.size >= this.maxSessions) return ErrorCode.SHARE_SESSION_LIMIT_REACHED;
      const session = new ShareSession();
      this.sessions.set(key, session);
      return session;
    }
    if (existing === undefined) return ErrorCode.SHARE_SESSION_NOT_FOUND;
    if (epoch === FINAL_SHARE_SESSION_EPOCH) return existing;
    if (epoch !== nextEpoch(existing.epoch)) return ErrorCode.INVALID_SHARE_SESSION_EPOCH;
    existing.epoch = epoch;
    return existing;
  }

  close(groupId: string, memberId: string): void {
    this.sessions.delete(sessionKey(groupId, memberId));
  }

  /** Every member of a group with a session (the group is deleted). */
  closeGroup(groupId: string): void {
    for (const key of [...this.sessions.keys()]) if (key.startsWith(`${groupId}\u0000`)) this.sessions.delete(key);
  }
}

const sessionKey = (groupId: string, memberId: string): string => `${groupId}\u0000${memberId}`;
