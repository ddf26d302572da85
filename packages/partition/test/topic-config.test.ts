// Topic names and configs: Kafka's validation rules and effective-value resolution.
import { describe, expect, it } from 'vitest';
import { InvalidConfigError, InvalidTopicError } from '../src/errors';
import { describeTopicConfig, resolveTopicConfig, validateTopicConfigs } from '../src/topic-config';
import { validateTopicName } from '../src/topic-name';

describe('validateTopicName', () => {
  it('accepts legal names', () => {
    for (const n of ['a', 'orders.v1', 'A-b_c.9', 'x'.repeat(249)]) expect(() => validateTopicName(n)).not.toThrow();
  });
  it('rejects illegal names', () => {
    for (const n of ['', '.', '..', 'x'.repeat(250), 'a b', 'ü', 'a/b']) expect(() => validateTopicName(n)).toThrow(InvalidTopicError);
  });
});

describe('topic configs', () => {
  it('validates names and values', () => {
    expect(validateTopicConfigs({ 'retention.ms': '1000', 'cleanup.policy': 'compact,delete' })).toEqual({
      'retention.ms': '1000',
      'cleanup.policy': 'compact,delete',
    });
    expect(() => validateTopicConfigs({ 'no.such': '1' })).toThrow(InvalidConfigError);
    expect(() => validateTopicConfigs({ 'retention.ms': 'soon' })).toThrow(InvalidConfigError);
    expect(() => validateTopicConfigs({ 'retention.ms': '-2' })).toThrow(InvalidConfigError);
    expect(() => validateTopicConfigs({ 'message.timestamp.type': 'Now' })).toThrow(InvalidConfigError);
    expect(() => validateTopicConfigs({ 'cleanup.policy': 'keep' })).toThrow(InvalidConfigError);
  });

  it('resolves overrides over broker defaults over Kafka defaults', () => {
    const c = resolveTopicConfig({ 'retention.ms': '5' }, { 'retention.ms': '7', 'segment.bytes': '4096' });
    expect(c.retentionMs).toBe(5);
    expect(c.segmentBytes).toBe(4096);
    expect(c.messageTimestampType).toBe('CreateTime');
    expect(c.flushMs).toBe(Number.MAX_SAFE_INTEGER);
    const entries = describeTopicConfig({ 'retention.ms': '5' }, { 'segment.bytes': '4096' });
    expect(entries.find((e) => e.name === 'retention.ms')).toMatchObject({ value: '5', source: 1, isDefault: false });
    expect(entries.find((e) => e.name === 'segment.bytes')).toMatchObject({ value: '4096', source: 4 });
    expect(entries.find((e) => e.name === 'cleanup.policy')).toMatchObject({ value: 'delete', source: 5, isDefault: true });
  });
});
