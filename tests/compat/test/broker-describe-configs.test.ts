// Acceptance: DescribeConfigs on the BROKER resource through kafkajs 2.2.4 lists every key of the
// broker's config table (groups' keys included), each with its source and, when asked, its
// synonyms as Kafka reports them — the names written in server.properties, then the default; and
// the dynamic broker configs (AlterConfigs on the BROKER resource, one node: the local metadata store).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadBrokerOptions, startBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../src/temp-dir';

const DYNAMIC_BROKER_CONFIG = 2;
const DYNAMIC_DEFAULT_BROKER_CONFIG = 3;
const STATIC_BROKER_CONFIG = 4;
const DEFAULT_CONFIG = 5;

describe('DescribeConfigs BROKER from the config table', () => {
  let work: string;
  let broker: Awaited<ReturnType<typeof startBroker>>;
  let admin: Admin;

  beforeAll(async () => {
    work = await makeTempDir('describe-broker');
    const file = join(work, 'server.properties');
    await writeFile(
      file,
      ['broker.id=0', 'num.partitions=3', 'log.retention.hours=2', 'group.initial.rebalance.delay.ms=0', 'listeners=PLAINTEXT://127.0.0.1:0'].join('\n'),
    );
    const opts = await loadBrokerOptions(['--config', file, '--data-dir', join(work, 'data')], { MQ_GROUP_MAX_SIZE: '50' });
    broker = await startBroker(opts);
    const kafka = new Kafka({ clientId: 'compat-describe-broker', brokers: [`${broker.host}:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.stop();
    await removeDir(work);
  });

  async function entries(includeSynonyms: boolean) {
    const res = await admin.describeConfigs({ includeSynonyms, resources: [{ type: ConfigResourceTypes.BROKER, name: '0' }] });
    expect(res.resources[0]!.errorCode).toBe(0);
    return new Map(res.resources[0]!.configEntries.map((e) => [e.configName, e]));
  }

  it('reports set keys as STATIC_BROKER_CONFIG and the rest as defaults, groups’ keys included', async () => {
    const e = await entries(false);
    expect(e.get('num.partitions')).toMatchObject({ configValue: '3', configSource: STATIC_BROKER_CONFIG, isDefault: false, readOnly: true });
    expect(e.get('group.initial.rebalance.delay.ms')).toMatchObject({ configValue: '0', configSource: STATIC_BROKER_CONFIG });
    expect(e.get('group.max.size')).toMatchObject({ configValue: '50', configSource: STATIC_BROKER_CONFIG });
    expect(e.get('offsets.retention.minutes')).toMatchObject({ configValue: '10080', configSource: DEFAULT_CONFIG, isDefault: true });
    expect(e.get('socket.request.max.bytes')).toMatchObject({ configValue: '104857600', configSource: DEFAULT_CONFIG });
    expect(e.get('listeners')).toMatchObject({ configValue: `PLAINTEXT://127.0.0.1:${broker.port}`, configSource: STATIC_BROKER_CONFIG });
    expect(e.get('log.retention.ms')).toMatchObject({ configValue: '7200000', configSource: STATIC_BROKER_CONFIG });
    expect(e.get('log.retention.hours')).toMatchObject({ configValue: '2', configSource: STATIC_BROKER_CONFIG });
    expect(e.has('log.retention.minutes')).toBe(false); // unset and without a default: not listed
  });

  it('lists synonyms: the names written, then the default', async () => {
    const e = await entries(true);
    const syn = (name: string) => e.get(name)!.configSynonyms.map((s) => [s.configName, s.configValue, s.configSource]);
    expect(syn('log.retention.ms')).toEqual([
      ['log.retention.hours', '2', STATIC_BROKER_CONFIG],
      ['log.retention.ms', '604800000', DEFAULT_CONFIG],
    ]);
    expect(syn('node.id')).toEqual([
      ['broker.id', '0', STATIC_BROKER_CONFIG],
      ['node.id', '0', DEFAULT_CONFIG],
    ]);
    expect(syn('fetch.max.bytes')).toEqual([['fetch.max.bytes', '57671680', DEFAULT_CONFIG]]);
  });

  it('dynamic broker configs: set through kafkajs’ AlterConfigs, listed with their source, writable', async () => {
    const rate = 'leader.replication.throttled.rate';
    expect((await entries(false)).get(rate)).toMatchObject({ configValue: '9223372036854775807', configSource: DEFAULT_CONFIG, readOnly: false });
    // kafkajs refuses an empty resource name itself: the cluster default is set with @mq/client.
    const client = new MqClient({ bootstrapServers: `${broker.host}:${broker.port}`, clientId: 'compat-describe-broker-default' });
    try {
      await client.admin().alterConfigs('broker', '', { set: { [rate]: '4000000' } });
    } finally {
      await client.close();
    }
    expect((await entries(false)).get(rate)).toMatchObject({ configValue: '4000000', configSource: DYNAMIC_DEFAULT_BROKER_CONFIG });
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '0', configEntries: [{ name: rate, value: '1048576' }] }] });
    const e = await entries(true);
    expect(e.get(rate)).toMatchObject({ configValue: '1048576', configSource: DYNAMIC_BROKER_CONFIG, readOnly: false });
    expect(e.get(rate)!.configSynonyms.map((s) => [s.configValue, s.configSource])).toEqual([
      ['1048576', DYNAMIC_BROKER_CONFIG],
      ['4000000', DYNAMIC_DEFAULT_BROKER_CONFIG],
      ['9223372036854775807', DEFAULT_CONFIG],
    ]);
    const refused = await admin
      .alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '0', configEntries: [{ name: rate, value: '-1' }] }] })
      .then(
        () => 'accepted',
        (err: { type?: string }) => err.type,
      );
    expect(refused).toBe('INVALID_CONFIG');
  });
});
