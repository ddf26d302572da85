// Configuration that cannot work is refused at start with one ConfigError naming key, value and
// allowed range — from the config file (loadBrokerOptions) and from startBroker() options — before
// the data dir is created or a socket bound.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config';
import { loadBrokerOptions, startBroker } from '../src/index';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-broker-validate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(props: Record<string, unknown>): Promise<Error> {
  const file = join(dir, 'broker.json');
  await writeFile(file, JSON.stringify(props));
  const err = await loadBrokerOptions(['--config', file], {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as Error;
}

describe('broker settings from the config file', () => {
  it.each([
    [{ 'num.partitions': 0 }, 'num.partitions: 0 is outside [1, 10000]'],
    [{ 'num.partitions': -5 }, 'num.partitions: -5 is outside [1, 10000]'],
    [{ 'num.partitions': 2.5 }, 'num.partitions: 2.5 is not an integer (allowed: [1, 10000])'],
    [{ 'num.partitions': 'three' }, 'num.partitions: not a number: three (allowed: [1, 10000])'],
    [{ 'num.partitions': '' }, 'num.partitions: not a number:  (allowed: [1, 10000])'],
    [{ 'socket.request.max.bytes': -1 }, 'socket.request.max.bytes: -1 is outside [1, 2147483647]'],
    [{ 'connections.max.idle.ms': -1 }, 'connections.max.idle.ms: -1 is outside [1, 2147483647]'],
    [{ 'connections.max.idle.ms': 2 ** 31 }, 'connections.max.idle.ms: 2147483648 is outside [1, 2147483647]'],
    [{ 'log.retention.check.interval.ms': 0 }, 'log.retention.check.interval.ms: 0 is outside [1, 2147483647]'],
    [{ 'default.replication.factor': 0 }, 'default.replication.factor: 0 is outside [1, 32767]'],
    [{ 'node.id': -1 }, 'node.id: -1 is outside [0, 2147483647]'],
    [{ 'broker.id': 'x' }, 'broker.id: not a number: x (allowed: [0, 2147483647])'],
    [{ 'auto.create.topics.enable': 'yes' }, 'auto.create.topics.enable: not a boolean: yes'],
    [{ 'log.retention.ms': 'forever' }, 'log.retention.ms: "forever" is not an integer'],
    [{ 'log.segment.bytes': 0 }, 'log.segment.bytes: 0 is outside'],
    [{ 'group.max.size': 0 }, 'group.max.size: 0 is outside [1, 9007199254740991]'],
    [{ 'offsets.retention.minutes': 0 }, 'offsets.retention.minutes: 0 is outside [1, 2147483647]'],
    [{ 'group.initial.rebalance.delay.ms': -1 }, 'group.initial.rebalance.delay.ms: -1 is outside [0, 2147483647]'],
    [{ 'group.min.session.timeout.ms': 10_000, 'group.max.session.timeout.ms': 5_000 }, 'must not exceed group.max.session.timeout.ms'],
    [{ 'group.consumer.heartbeat.interval.ms': 45_000 }, 'must be less than group.consumer.session.timeout.ms (45000)'],
  ])('%j is refused', async (props, message) => {
    expect((await loadError(props)).message).toContain(message);
  });

  it('accepts the edges of every range', async () => {
    const file = join(dir, 'edges.json');
    await writeFile(file, JSON.stringify({ 'num.partitions': 10_000, 'socket.request.max.bytes': 1, 'connections.max.idle.ms': 2147483647, 'node.id': '0' }));
    const opts = await loadBrokerOptions(['--config', file, '--data-dir', join(dir, 'never')], {});
    expect(opts.config).toMatchObject({ numPartitions: 10_000, socketRequestMaxBytes: 1, connectionsMaxIdleMs: 2147483647, nodeId: 0 });
  });

  it('names the file when it is not JSON', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{"num.partitions": 3,');
    await expect(loadBrokerOptions(['--config', file], {})).rejects.toThrow(`${file}: not valid JSON`);
  });
});

describe('flags and env', () => {
  it.each([
    [['--log-level', 'loud'], 'log level: "loud" is not one of fatal, error, warn, info, debug, trace, silent'],
    [['--data-dir', ''], 'data dir: must not be empty'],
    [['--host', ' '], 'host: must not be empty'],
    [['--port', '70000'], 'port: not a port: 70000'],
    [['--advertised-port', '-1'], 'advertised port: not a port: -1'],
  ])('%j is refused', async (argv, message) => {
    await expect(loadBrokerOptions(argv, {})).rejects.toThrow(message);
  });

  it('MQ_LOG_LEVEL is checked like the flag', async () => {
    await expect(loadBrokerOptions([], { MQ_LOG_LEVEL: 'verbose' })).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('startBroker() options', () => {
  it.each([
    [{ config: { numPartitions: 0 } }, 'num.partitions: 0 is outside [1, 10000]'],
    [{ config: { numPartitions: 2.5 } }, 'num.partitions: 2.5 is not an integer'],
    [{ config: { socketRequestMaxBytes: -1 } }, 'socket.request.max.bytes: -1 is outside'],
    [{ config: { connectionsMaxIdleMs: -1 } }, 'connections.max.idle.ms: -1 is outside'],
    [{ config: { numPartitions: '3' as unknown as number } }, 'num.partitions: "3" is not an integer'],
    [{ config: { autoCreateTopicsEnable: 'true' as unknown as boolean } }, 'auto.create.topics.enable: "true" is not true or false'],
    [{ config: { topicDefaults: { 'retention.ms': 'soon' } } }, 'log.retention.ms: "soon" is not an integer'],
    [{ groups: { offsetsRetentionMs: 0 } }, 'groups.offsetsRetentionMs (offsets.retention.minutes in ms): 0 is outside [60000,'],
    [{ groups: { consumerHeartbeatIntervalMs: 50_000 } }, 'must be less than group.consumer.session.timeout.ms'],
  ])('%j is refused before the data dir is created', async (opts, message) => {
    const dataDir = join(dir, 'not-created');
    const err = await startBroker({ ...opts, dataDir }).then(
      async (b) => {
        await b.stop();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(message);
    expect(existsSync(dataDir)).toBe(false);
  });
});
