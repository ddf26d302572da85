// Partition and open-file limits of the broker config: max.partitions and log.max.open.files (parsed,
// validated, passed to TopicManager), and the default open-file budget from RLIMIT_NOFILE.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BROKER_CONFIG } from '@mq/server';
import { ConfigError, applyKafkaProperties } from '../src/config';
import { validateBrokerConfig } from '../src/config-validation';
import { maxOpenFilesFor, softOpenFileLimit } from '../src/fd-limit';

describe('resource limits in the config file', () => {
  it('reads max.partitions and log.max.open.files; refuses non-positive or fractional values', () => {
    const c = applyKafkaProperties(DEFAULT_BROKER_CONFIG, { 'max.partitions': 500, 'log.max.open.files': '256' });
    expect([c.maxPartitions, c.maxOpenFiles]).toEqual([500, 256]);
    expect(DEFAULT_BROKER_CONFIG.maxPartitions).toBe(20_000);
    for (const bad of [0, -5, 2.5, 'many']) {
      expect(() => validateBrokerConfig(applyKafkaProperties(DEFAULT_BROKER_CONFIG, { 'max.partitions': bad }))).toThrow(ConfigError);
      expect(() => validateBrokerConfig(applyKafkaProperties(DEFAULT_BROKER_CONFIG, { 'log.max.open.files': bad }))).toThrow(ConfigError);
    }
  });

  it('defaults log.max.open.files to half the soft fd limit', () => {
    const limits = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            4096                 8192                 files\n';
    expect(softOpenFileLimit(limits)).toBe(4096);
    expect(maxOpenFilesFor(4096)).toBe(2048);
    expect(maxOpenFilesFor(40)).toBe(32);
    expect(maxOpenFilesFor(undefined)).toBe(1024);
    expect(softOpenFileLimit('Max open files            unlimited            unlimited            files\n')).toBeUndefined();
  });
});
