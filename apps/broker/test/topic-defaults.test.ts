// Broker-level topic defaults: every Kafka broker property that defaults a topic config (log.cleaner.*,
// log.roll.jitter.ms, unclean.leader.election.enable, ...) is read from the config file and reaches
// new topics; a bad value stops the broker from starting with INVALID_CONFIG naming the property.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TopicManager } from '@mq/partition';
import { applyKafkaProperties, loadBrokerOptions } from '../src/config';
import { DEFAULT_BROKER_CONFIG } from '@mq/server';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-broker-topic-defaults-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('log.cleaner.backoff.ms', () => {
  it('defaults to Kafka’s 15 s, is read from the config file and refuses values below 1 ms', () => {
    expect(DEFAULT_BROKER_CONFIG.logCleanerBackoffMs).toBe(15_000);
    expect(applyKafkaProperties(DEFAULT_BROKER_CONFIG, { 'log.cleaner.backoff.ms': 250 }).logCleanerBackoffMs).toBe(250);
    for (const bad of [0, -1, 2.5, 'soon']) {
      expect(() => applyKafkaProperties(DEFAULT_BROKER_CONFIG, { 'log.cleaner.backoff.ms': bad }), String(bad)).toThrow(/log.cleaner.backoff.ms/);
    }
  });
});

describe('broker-level topic defaults', () => {
  it('maps Kafka broker properties onto topic configs', async () => {
    const file = join(dir, 'broker.json');
    await writeFile(
      file,
      JSON.stringify({
        'log.cleaner.min.cleanable.ratio': 0.1,
        'log.cleaner.delete.retention.ms': 1000,
        'log.cleaner.min.compaction.lag.ms': 10,
        'log.cleaner.max.compaction.lag.ms': 60000,
        'log.roll.jitter.ms': 5,
        'log.index.size.max.bytes': 4096,
        'log.index.interval.bytes': 100,
        'unclean.leader.election.enable': true,
        'min.insync.replicas': 1,
        'log.message.timestamp.before.max.ms': 1000,
        'log.preallocate': false,
      }),
    );
    const opts = await loadBrokerOptions(['--config', file], {});
    expect(opts.config.topicDefaults).toEqual({
      'min.cleanable.dirty.ratio': '0.1',
      'delete.retention.ms': '1000',
      'min.compaction.lag.ms': '10',
      'max.compaction.lag.ms': '60000',
      'segment.jitter.ms': '5',
      'segment.index.bytes': '4096',
      'index.interval.bytes': '100',
      'unclean.leader.election.enable': 'true',
      'min.insync.replicas': '1',
      'message.timestamp.before.max.ms': '1000',
      preallocate: 'false',
    });
    const tm = await TopicManager.open({ dataDir: dir, defaults: opts.config.topicDefaults });
    const t = (await tm.createTopic('t', 1))!;
    expect(t.config).toMatchObject({ minCleanableDirtyRatio: 0.1, deleteRetentionMs: 1000, minCompactionLagMs: 10, segmentJitterMs: 5 });
    await tm.close();
  });

  it('reads Kafka’s hour and minute variants, the ms property winning whatever the file order', () => {
    const defaults = (props: Record<string, unknown>) => applyKafkaProperties(DEFAULT_BROKER_CONFIG, props).topicDefaults;
    expect(defaults({ 'log.retention.hours': 168 })).toEqual({ 'retention.ms': '604800000' });
    expect(defaults({ 'log.retention.hours': 1, 'log.retention.ms': 5000 })).toEqual({ 'retention.ms': '5000' });
    expect(defaults({ 'log.retention.ms': 5000, 'log.retention.hours': 1 })).toEqual({ 'retention.ms': '5000' });
    expect(defaults({ 'log.retention.hours': 1, 'log.retention.minutes': 10 })).toEqual({ 'retention.ms': '600000' });
    expect(defaults({ 'log.retention.hours': -1 })).toEqual({ 'retention.ms': '-1' }); // negative = unlimited, as Kafka
    expect(defaults({ 'log.roll.hours': 2, 'log.roll.jitter.hours': 1 })).toEqual({ 'segment.ms': '7200000', 'segment.jitter.ms': '3600000' });
    expect(() => defaults({ 'log.retention.hours': 'a week' })).toThrow(/log.retention.hours/);
  });

  it('refuses a bad broker default at start with INVALID_CONFIG naming it', async () => {
    // The config file is refused while loading (before any dir is opened), naming the broker key...
    expect(() => applyKafkaProperties(DEFAULT_BROKER_CONFIG, { 'log.cleaner.min.cleanable.ratio': 1.5 })).toThrow(
      expect.objectContaining({ errorCode: 40, message: 'log.cleaner.min.cleanable.ratio: 1.5 is outside [0, 1]' }),
    );
    // ...and TopicManager still refuses such defaults from any other caller.
    await expect(TopicManager.open({ dataDir: dir, defaults: { 'min.cleanable.dirty.ratio': '1.5' } })).rejects.toMatchObject({
      errorCode: 40,
      message: expect.stringContaining('min.cleanable.dirty.ratio'),
    });
  });
});
