// Group coordinator properties in the broker's JSON config file reach @mq/groups' config.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBrokerOptions } from '../src/config';
import { groupCoordinatorProperties } from '../src/group-config';

describe('group coordinator properties', () => {
  it('maps Kafka names (minutes to ms) and leaves other keys to the broker config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mq-group-config-'));
    try {
      const file = join(dir, 'broker.json');
      await writeFile(file, JSON.stringify({ 'group.initial.rebalance.delay.ms': 0, 'offsets.retention.minutes': '2', 'num.partitions': 3 }));
      const opts = await loadBrokerOptions(['--config', file], {});
      expect(opts.groups).toEqual({ initialRebalanceDelayMs: 0, offsetsRetentionMs: 120_000 });
      expect(opts.config.numPartitions).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a bad value', () => {
    expect(() => groupCoordinatorProperties({ 'group.min.session.timeout.ms': 'soon' })).toThrow(
      'group.min.session.timeout.ms: "soon" is not an integer (allowed: [0, 2147483647])',
    );
  });
});
