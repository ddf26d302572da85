// Shared helpers for the coordinator tests: a coordinator on a fake clock over a real temp data dir
// (its __consumer_offsets), and member requests.
import type { GroupCoordinatorConfig } from '../src/config';
import { encodeSubscription } from '@mq/protocol';
import type { JoinGroupRequest, RequestMeta } from '../src/group-api';
import { FakeClock } from './fake-clock';
import { OffsetsStore } from './offsets-store';

export async function newCoordinator(config: Partial<GroupCoordinatorConfig> = {}, store?: OffsetsStore) {
  const clock = new FakeClock();
  const recordLog = store ?? (await OffsetsStore.create());
  const coordinator = await recordLog.open({
    clock,
    config: { initialRebalanceDelayMs: 0, ...config },
    topicExists: (topic, partition) => topic !== 'missing' && partition >= 0 && partition < 6,
  });
  // As a broker's first FindCoordinator does: the state-machine tests start with __consumer_offsets loaded.
  await coordinator.prepare();
  clock.settle = () => coordinator.whenIdle();
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
