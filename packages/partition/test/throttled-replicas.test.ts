// leader/follower.replication.throttled.replicas as the replication quota reads them: `*`, pairs, empty.
import { describe, expect, it } from 'vitest';
import { isReplicaThrottled, parseThrottledReplicas, resolveTopicConfig } from '../src/index';

describe('throttled replicas', () => {
  it('names partition:broker pairs; only the named broker throttles the named partition', () => {
    const t = parseThrottledReplicas('0:1, 0:2,3:2');
    expect(isReplicaThrottled(t, 0, 1)).toBe(true);
    expect(isReplicaThrottled(t, 0, 2)).toBe(true);
    expect(isReplicaThrottled(t, 0, 3)).toBe(false);
    expect(isReplicaThrottled(t, 3, 2)).toBe(true);
    expect(isReplicaThrottled(t, 1, 1)).toBe(false);
  });

  it('`*` throttles every partition on every broker; empty throttles nothing', () => {
    expect(isReplicaThrottled(parseThrottledReplicas('*'), 7, 9)).toBe(true);
    expect(isReplicaThrottled(parseThrottledReplicas(''), 0, 0)).toBe(false);
  });

  it('the resolved topic config carries both lists', () => {
    const c = resolveTopicConfig({ 'leader.replication.throttled.replicas': '0:1', 'follower.replication.throttled.replicas': '*' });
    expect(isReplicaThrottled(c.leaderThrottledReplicas, 0, 1)).toBe(true);
    expect(c.followerThrottledReplicas.all).toBe(true);
    expect(isReplicaThrottled(resolveTopicConfig({}).leaderThrottledReplicas, 0, 1)).toBe(false);
  });
});
