// Response builders shared by the membership and rebalance code: error answers, and the JoinGroup
// answer of the current generation (the leader alone gets every member's metadata).
import type { ClassicGroup } from './classic-group';
import { ErrorCode as E } from '@mq/protocol';
import type { GroupMember } from './group-member';
import type { JoinGroupResponse, SyncGroupResponse } from './group-api';

export function joinError(errorCode: number, memberId: string): JoinGroupResponse {
  return {
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export function syncError(errorCode: number): SyncGroupResponse {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}

export function currentJoinResponse(group: ClassicGroup, member: GroupMember): JoinGroupResponse {
  const isLeader = group.isLeader(member.memberId);
  return {
    errorCode: E.NONE,
    generationId: group.generationId,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    leader: group.leaderId ?? '',
    skipAssignment: false,
    memberId: member.memberId,
    members: isLeader ? memberMetadata(group) : [],
  };
}

function memberMetadata(group: ClassicGroup): JoinGroupResponse['members'] {
  const protocol = group.protocolName ?? '';
  return [...group.members.values()].map((m) => ({
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId,
    metadata: m.metadataFor(protocol),
  }));
}
