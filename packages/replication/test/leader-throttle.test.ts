// The leader side of the replication quota (Kafka's shouldLeaderThrottle) on real partitions: only a
// follower outside the ISR, of a partition leader.replication.throttled.replicas names on this broker,
// is held back, and only while the quota is exceeded; what is sent for throttled partitions is recorded.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicManager } from '@mq/partition';
import { ManualClock } from '@mq/timerwheel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReplicaManager, type ReplicationThrottle } from '../src/index';
import { LocalControlPlane } from './local-control-plane';

/** A quota whose verdict the test sets; it keeps what was recorded. */
class TestThrottle implements ReplicationThrottle {
  exceeded = false;
  recorded = 0;
  isQuotaExceeded(): boolean {
    return this.exceeded;
  }
  record(bytes: number): void {
    this.recorded += bytes;
  }
  throttleTimeMs(): number {
    return this.exceeded ? 100 : 0;
  }
}

let dir: string;
let tm: TopicManager;
let rm1: ReplicaManager;
let quota: TestThrottle;
let cp: LocalControlPlane;
let clock: ManualClock;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-replication-throttle-'));
  tm = await TopicManager.open({ dataDir: dir, defaults: { 'flush.messages': '1' } });
  await tm.createTopic('t', 2, { 'leader.replication.throttled.replicas': '0:1' });
  quota = new TestThrottle();
  cp = new LocalControlPlane();
  clock = new ManualClock();
  rm1 = new ReplicaManager({ nodeId: 1, topics: tm, clock, resolveBroker: () => undefined, alterPartition: cp.alterPartition, leaderThrottle: quota });
  cp.managers.push(rm1);
  const topicId = tm.get('t')!.topicId;
  // Partition 0: 2 in the ISR, 3 being added (a reassignment); partition 1: not throttled.
  await cp.publish({ topicId, topic: 't', partition: 0, leader: 1, leaderEpoch: 1, partitionEpoch: 1, replicas: [1, 2, 3], isr: [1, 2] });
  await cp.publish({ topicId, topic: 't', partition: 1, leader: 1, leaderEpoch: 1, partitionEpoch: 1, replicas: [1, 2, 3], isr: [1, 2] });
});

afterEach(async () => {
  await rm1.close();
  await tm.close();
  await rm(dir, { recursive: true, force: true });
});

describe('leader throttle', () => {
  it('holds back only an out-of-ISR follower of a throttled partition, only while the quota is exceeded', () => {
    expect(rm1.shouldLeaderThrottle('t', 0, 3)).toBe(false); // within the quota
    quota.exceeded = true;
    expect(rm1.shouldLeaderThrottle('t', 0, 3)).toBe(true);
    expect(rm1.shouldLeaderThrottle('t', 0, 2)).toBe(false); // in the ISR: never throttled (Kafka's rule)
    expect(rm1.shouldLeaderThrottle('t', 1, 3)).toBe(false); // not named in leader.replication.throttled.replicas
    expect(rm1.shouldLeaderThrottle('other', 0, 3)).toBe(false);
  });

  it('counts what is sent of throttled partitions (to any follower, as Kafka); nothing of the others', () => {
    rm1.recordReplicaRead('t', 0, 1000);
    rm1.recordReplicaRead('t', 0, 500);
    rm1.recordReplicaRead('t', 1, 7000);
    expect(quota.recorded).toBe(1500);
    // Every byte sent to a follower is replication traffic, throttled or not.
    expect(rm1.stats.bytesOut).toBe(8500);
  });

  it('counts the time each held-back replica waits, while it waits and once it is served again', () => {
    quota.exceeded = true;
    expect(rm1.shouldLeaderThrottle('t', 0, 3)).toBe(true);
    clock.advance(300);
    expect(rm1.shouldLeaderThrottle('t', 0, 3)).toBe(true); // the same wait goes on: not a second interval
    expect(rm1.stats.leaderHeld.totalMs(clock.monotonic())).toBe(300);
    clock.advance(200);
    quota.exceeded = false;
    expect(rm1.shouldLeaderThrottle('t', 0, 3)).toBe(false);
    clock.advance(1_000);
    expect(rm1.stats.leaderHeld.totalMs(clock.monotonic())).toBe(500);
  });

  it('follows a live change of the topic config', async () => {
    quota.exceeded = true;
    await tm.alterConfigs('t', { ops: [{ name: 'leader.replication.throttled.replicas', op: 'set', value: '*' }] });
    expect(rm1.shouldLeaderThrottle('t', 1, 3)).toBe(true);
    await tm.alterConfigs('t', { ops: [{ name: 'leader.replication.throttled.replicas', op: 'delete' }] });
    expect(rm1.shouldLeaderThrottle('t', 0, 3)).toBe(false);
  });
});
