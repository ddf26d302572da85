// A classic group as its GroupMetadata record (Kafka's layout, records/record-schemas.ts): written
// where Kafka writes one — the leader's assignment (SyncGroup), the next generation of a group whose
// join phase ended with no member (Empty), a static member taking over in Stable — replayed live
// into the group (GroupMembership.applyGroupRecord), and while loading rebuilt into the group it describes.
import type { ClassicGroup } from './classic-group';
import { GroupMember, type MemberProtocol } from './group-member';
import type { GroupRecord, StoredGroup, StoredMember } from './records/group-record';

/**
 * The group's GroupMetadata record. With `assignments` (the leader's SyncGroup) every member gets
 * its entry, or none when the leader left it out; without, the assignments members hold.
 */
export function classicGroupRecord(g: ClassicGroup, assignments?: ReadonlyMap<string, Buffer>): GroupRecord {
  return { type: 'group', groupId: g.groupId, value: storedGroup(g, assignments) };
}

/** The next generation of a group whose join phase ends with no member left: Empty, no protocol, no leader. */
export function emptyGenerationRecord(g: ClassicGroup, now: number): GroupRecord {
  return {
    type: 'group',
    groupId: g.groupId,
    value: { protocolType: g.protocolType, generationId: g.generationId + 1, protocolName: null, leaderId: null, stateTimestamp: BigInt(now), members: [] },
  };
}

/** The group with a restarted static instance's new member in its old member's place (same generation and assignment). */
export function staticReplacementRecord(g: ClassicGroup, oldMemberId: string, member: StoredMember): GroupRecord {
  const value = storedGroup(g);
  return {
    type: 'group',
    groupId: g.groupId,
    value: {
      ...value,
      leaderId: g.leaderId === oldMemberId ? member.memberId : g.leaderId,
      members: value.members.map((m) => (m.memberId === oldMemberId ? member : m)),
    },
  };
}

function storedGroup(g: ClassicGroup, assignments?: ReadonlyMap<string, Buffer>): StoredGroup {
  return {
    protocolType: g.protocolType,
    generationId: g.generationId,
    protocolName: g.protocolName,
    leaderId: g.leaderId,
    stateTimestamp: BigInt(g.stateTimestamp),
    members: [...g.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      subscription: m.metadataFor(g.protocolName ?? ''),
      assignment: assignments === undefined ? m.assignment : (assignments.get(m.memberId) ?? Buffer.alloc(0)),
    })),
  };
}

/** A member as a GroupMetadata record stored it, subscribed with `protocols` (its assignment is the caller's). */
export function storedMember(sm: StoredMember, protocolType: string, protocols: MemberProtocol[]): GroupMember {
  return new GroupMember({
    memberId: sm.memberId,
    groupInstanceId: sm.groupInstanceId,
    clientId: sm.clientId,
    clientHost: sm.clientHost,
    rebalanceTimeoutMs: sm.rebalanceTimeoutMs,
    sessionTimeoutMs: sm.sessionTimeoutMs,
    protocolType,
    protocols,
  });
}

/** Rebuilds a group from its latest metadata record (loading only): Stable with members, else Empty. */
export function restoreGroup(g: ClassicGroup, s: StoredGroup): void {
  g.protocolType = s.protocolType;
  g.generationId = s.generationId;
  g.protocolName = s.protocolName;
  g.leaderId = s.leaderId;
  g.members.clear();
  g.staticMembers.clear();
  // Members only mean something together with the protocol they were assigned under.
  for (const sm of s.protocolName === null ? [] : s.members) {
    const m = storedMember(sm, s.protocolType ?? '', [{ name: s.protocolName ?? '', metadata: sm.subscription }]);
    m.assignment = sm.assignment;
    g.members.set(m.memberId, m);
    if (m.groupInstanceId !== null) g.staticMembers.set(m.groupInstanceId, m.memberId);
  }
  // Restored directly (not a transition): this is the state the records describe.
  g.state = g.members.size > 0 ? 'Stable' : 'Empty';
  g.stateTimestamp = Number(s.stateTimestamp);
}
