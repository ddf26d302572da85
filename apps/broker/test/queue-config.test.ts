// The queue keys — share groups (group.share.*, share.*, mq.share.*) and the delay store
// (mq.delayed.*) — read through the one config table into startBroker's `share` / `delayed`
// options, refused with a ConfigError naming the key, and reported by DescribeConfigs; the
// per-topic queue configs (mq.dlq.*, mq.message.ttl.ms, mq.priority.*) are broker-default keys too.
import { DEFAULT_GROUP_COORDINATOR_CONFIG } from '@mq/groups';
import { DEFAULT_BROKER_CONFIG } from '@mq/server';
import { describe, expect, it } from 'vitest';
import { describeBrokerKeys } from '../src/describe-broker-config';
import { ConfigError, loadBrokerOptions } from '../src/index';
import { configRow } from '../src/config-table';

describe('queue config', () => {
  it('parses share-group and delay-store keys from flags and env into typed options', async () => {
    const opts = await loadBrokerOptions(
      ['--override', 'group.share.delivery.count.limit=3', '--override', 'share.auto.offset.reset=earliest', '--override', 'mq.delayed.max.delay.ms=60000'],
      { MQ_GROUP_SHARE_PARTITION_MAX_RECORD_LOCKS: '500', MQ_MQ_SHARE_MEMBER_MAX_RECORD_LOCKS: '50', MQ_GROUP_SHARE_RECORD_LOCK_DURATION_MS: '15000' },
    );
    expect(opts.share).toEqual({ deliveryCountLimit: 3, autoOffsetReset: 'earliest', partitionMaxRecordLocks: 500, memberMaxRecordLocks: 50, recordLockDurationMs: 15_000 });
    expect(opts.delayed).toEqual({ maxDelayMs: 60_000 });
    const none = await loadBrokerOptions([], {});
    expect(none.share).toBeUndefined();
    expect(none.delayed).toBeUndefined();
  });

  it('refuses bad values with the key named', async () => {
    for (const [setting, message] of [
      ['group.share.delivery.count.limit=1', /group\.share\.delivery\.count\.limit/],
      ['share.auto.offset.reset=by_duration', /share\.auto\.offset\.reset/],
      ['group.share.partition.max.record.locks=0', /group\.share\.partition\.max\.record\.locks/],
      ['mq.delayed.topic.num.partitions=x', /mq\.delayed\.topic\.num\.partitions/],
      ['mq.priority.weights=1,2,3', /mq\.priority\.weights/],
      ['mq.dlq.enable=maybe', /mq\.dlq\.enable/],
    ] as const) {
      const err = await loadBrokerOptions(['--override', setting], {}).catch((e: unknown) => e);
      expect(err, setting).toBeInstanceOf(ConfigError);
      expect((err as Error).message, setting).toMatch(message);
    }
  });

  it('DescribeConfigs reports each queue key: its default, or the value given', () => {
    const entries = describeBrokerKeys({
      config: DEFAULT_BROKER_CONFIG,
      groups: DEFAULT_GROUP_COORDINATOR_CONFIG,
      app: {},
      settings: { 'group.share.delivery.count.limit': { source: 'flag', value: '3' } },
      share: { deliveryCountLimit: 3 },
    });
    const value = (name: string) => entries.find((e) => e.name === name)?.value;
    expect(value('group.share.delivery.count.limit')).toBe('3');
    expect(value('group.share.partition.max.record.locks')).toBe('200');
    expect(value('group.share.record.lock.duration.ms')).toBe('30000');
    expect(value('share.auto.offset.reset')).toBe('latest');
    expect(value('mq.delayed.max.delay.ms')).toBe(String(365 * 24 * 3600 * 1000));
    expect(value('mq.dlq.enable')).toBe('true');
    expect(value('mq.priority.weights')).toBe('50,25,15,7,3');
    expect(value('mq.priority.starvation.ms')).toBe('30000');
    expect(value('mq.message.ttl.ms')).toBe('0');
    expect(configRow('mq.dlq.topic')).toBeUndefined(); // per topic only
  });
});
