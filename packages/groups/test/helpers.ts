// Shared helpers for the coordinator tests: a coordinator on a fake clock and member requests.
import { GroupCoordinator } from '../src/group-coordinator';
import { MemoryRecordLog } from '../src/record-log';
import type { GroupRecordLog } from '../src/record-log';
import type { GroupCoordinatorConfig } from '../src/config';
import { encodeSubscription } from '@mq/protocol';
import type { JoinGroupRequest, RequestMeta } from '../src/types';
import { FakeClock } from './fake-clock';

export async function newCoordinator(config: Partial<GroupCoordinatorConfig> = {}, recordLog: GroupRecordLog = new MemoryRecordLog()) {
  const clock = new FakeClock();
  const coordinator = await GroupCoordinator.open({
    recordLog,
    clock,
    config: { initialRebalanceDelayMs: 0, ...config },
    topicExists: (topic, partition) => topic !== 'missing' && partition >= 0 && partition < 6,
  });
  return { clock, coordinator, recordLog };
}

export const META: RequestMeta = { apiVersion: 5, clientId: 'client', clientHost: '/127.0.0.1' };

export function joinReq(over: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId: 'g',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: encodeSubscription({ topics: ['t'] }) }],
    ...over,
  };
}
