import { describe, expect, it } from 'vitest';
import { type ConfigDef, ConfigValueError, checkConfigValue, parseConfigValue, validValuesText } from '../src/index';

const partitions: ConfigDef = {
  name: 'num.partitions',
  type: 'int',
  default: '1',
  range: { min: 1, max: 10_000 },
  doc: 'partitions',
  dynamic: false,
  importance: 'medium',
  scope: 'broker',
};
const budget: ConfigDef = { ...partitions, name: 'queued.max.request.bytes', type: 'long', range: { min: 1, max: 100, orElse: -1 } };
const flag: ConfigDef = { ...partitions, name: 'auto.create.topics.enable', type: 'boolean', range: undefined };
const policy: ConfigDef = { ...partitions, name: 'cleanup.policy', type: 'list', range: undefined, validValues: ['delete', 'compact'] };
const level: ConfigDef = { ...partitions, name: 'log.level', type: 'string', range: undefined, validValues: ['info', 'debug'] };
const host: ConfigDef = { ...partitions, name: 'host', type: 'string', range: undefined, check: (v) => (v.trim() === '' ? 'must not be empty' : undefined) };

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigValueError);
    return (err as Error).message;
  }
  throw new Error('did not throw');
}

describe('parseConfigValue', () => {
  it('reads numbers from JSON numbers and from text', () => {
    expect(parseConfigValue(partitions, 3)).toBe(3);
    expect(parseConfigValue(partitions, ' 42 ')).toBe(42);
    expect(parseConfigValue(budget, '-1')).toBe(-1);
  });

  it.each([
    [partitions, 0, 'num.partitions: 0 is outside [1, 10000]'],
    [partitions, 1.5, 'num.partitions: 1.5 is not an integer (allowed: [1, 10000])'],
    [partitions, '1.5', 'num.partitions: 1.5 is not an integer (allowed: [1, 10000])'],
    [partitions, 'three', 'num.partitions: not a number: three (allowed: [1, 10000])'],
    [partitions, '', 'num.partitions: not a number:  (allowed: [1, 10000])'],
    [partitions, [3], 'num.partitions: [3] is not a int (allowed: [1, 10000])'],
    [budget, 0, 'queued.max.request.bytes: 0 is outside [1, 100] or -1'],
    [flag, 'yes', 'auto.create.topics.enable: not a boolean: yes'],
    [policy, 'delete,shred', 'cleanup.policy: "delete,shred" is not a list of delete, compact'],
    [level, 'loud', 'log.level: "loud" is not one of info, debug'],
    [host, ' ', 'host: must not be empty'],
  ])('%s %j is refused', (def, raw, expected) => {
    expect(message(() => parseConfigValue(def, raw))).toBe(expected);
  });

  it('reads booleans in any case and lists of allowed values', () => {
    expect(parseConfigValue(flag, 'TRUE')).toBe(true);
    expect(parseConfigValue(flag, false)).toBe(false);
    expect(parseConfigValue(policy, 'compact, delete')).toBe('compact, delete');
  });

  it('names the key the user wrote', () => {
    expect(message(() => parseConfigValue(partitions, -1, 'MQ_NUM_PARTITIONS'))).toBe('MQ_NUM_PARTITIONS: -1 is outside [1, 10000]');
  });

  it('keeps Long.MAX_VALUE that JSON rounded up, for string-typed keys', () => {
    expect(parseConfigValue({ ...level, validValues: undefined }, 2 ** 63)).toBe('9223372036854775807');
  });
});

describe('checkConfigValue', () => {
  it('refuses values of the wrong type without converting them', () => {
    expect(message(() => checkConfigValue(partitions, '3'))).toBe('num.partitions: "3" is not an integer (allowed: [1, 10000])');
    expect(message(() => checkConfigValue(flag, 'true'))).toBe('auto.create.topics.enable: "true" is not true or false');
    expect(checkConfigValue(partitions, 10_000)).toBe(10_000);
  });
});

describe('validValuesText', () => {
  it('renders ranges, sentinels and choices', () => {
    expect(validValuesText(partitions)).toBe('[1, 10000]');
    expect(validValuesText(budget)).toBe('[1, 100] or -1');
    expect(validValuesText(policy)).toBe('delete, compact');
    expect(validValuesText(flag)).toBe('true, false');
    expect(validValuesText(host)).toBe('');
  });
});
