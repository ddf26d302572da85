// The flush table in apps/broker/README.md, checked against the code: which broker settings give
// fsync-per-ack, fsync-once-a-second, fsync-every-n and no fsync (log.flush.interval.ms alone: none).
import { resolveTopicConfig, toLogConfig } from '@mq/partition';
import { DEFAULT_BROKER_CONFIG } from '@mq/server';
import { describe, expect, it } from 'vitest';
import { applyKafkaProperties } from '../src/config';

function flushPolicy(props: Record<string, unknown>) {
  const { topicDefaults } = applyKafkaProperties(DEFAULT_BROKER_CONFIG, props);
  return toLogConfig(resolveTopicConfig({}, topicDefaults)).flush;
}

describe('broker flush settings → log flush policy', () => {
  it('default and log.flush.interval.ms alone: fsync before every ack', () => {
    expect(flushPolicy({})).toBe('always');
    expect(flushPolicy({ 'log.flush.interval.ms': 1000 })).toBe('always');
  });

  it('fsync once a second needs log.flush.interval.messages > 1 as well', () => {
    expect(flushPolicy({ 'log.flush.interval.messages': '9223372036854775807', 'log.flush.interval.ms': 1000 })).toEqual({ intervalMs: 1000 });
  });

  it('both finite: fsync at the message count or by the timer, whichever comes first (as Kafka)', () => {
    expect(flushPolicy({ 'log.flush.interval.messages': 10_000, 'log.flush.interval.ms': 1000 })).toEqual({ messages: 10_000, intervalMs: 1000 });
  });

  it('messages alone: fsync every n messages; both unset: none', () => {
    expect(flushPolicy({ 'log.flush.interval.messages': 10_000 })).toEqual({ messages: 10_000 });
    expect(flushPolicy({ 'log.flush.interval.messages': '9223372036854775807' })).toBe('none');
  });
});
