// Dynamic broker configs over real sockets on one node (the local metadata store): IncrementalAlterConfigs
// and AlterConfigs on the BROKER resource (this broker's id, another's, the empty default), DescribeConfigs
// with sources and synonyms, bad values and names, validate_only, and a restart that keeps them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

const LEADER = 'leader.replication.throttled.rate';
const FOLLOWER = 'follower.replication.throttled.rate';
const LONG_MAX = '9223372036854775807';

let broker: TestBroker;
let c: RawClient;

beforeEach(async () => {
  broker = await startTestBroker({ nodeId: 1 });
  c = await RawClient.connect(broker.port);
});

afterEach(async () => {
  c.close();
  await broker.stop();
});

type Op = { name: string; configOperation: number; value: string | null };

async function alter(resourceName: string, configs: Op[], validateOnly = false): Promise<{ errorCode: number; errorMessage: string | null }> {
  const res = (await c.send(ApiKey.IncrementalAlterConfigs, 1, { resources: [{ resourceType: 4, resourceName, configs }], validateOnly })) as {
    responses: { errorCode: number; errorMessage: string | null }[];
  };
  return res.responses[0]!;
}

interface Described {
  name: string;
  value: string;
  configSource: number;
  readOnly: boolean;
  synonyms: { name: string; value: string; source: number }[];
}

async function describe_(resourceName: string, keys: string[] | null = [LEADER, FOLLOWER]): Promise<{ errorCode: number; configs: Map<string, Described> }> {
  const d = (await c.send(ApiKey.DescribeConfigs, 4, { resources: [{ resourceType: 4, resourceName, configurationKeys: keys }], includeSynonyms: true, includeDocumentation: true })) as {
    results: { errorCode: number; configs: Described[] }[];
  };
  return { errorCode: d.results[0]!.errorCode, configs: new Map(d.results[0]!.configs.map((e) => [e.name, e])) };
}

describe('dynamic broker configs', () => {
  it('are listed at their default, writable, until set', async () => {
    const { configs } = await describe_('1');
    expect(configs.get(LEADER)).toMatchObject({ value: LONG_MAX, configSource: 5, readOnly: false, synonyms: [{ name: LEADER, value: LONG_MAX, source: 5 }] });
    expect(configs.get(FOLLOWER)).toMatchObject({ value: LONG_MAX, configSource: 5 });
    // Static keys stay read-only; the full listing holds both kinds.
    const all = await describe_('1', null);
    expect(all.configs.get('num.partitions')?.readOnly).toBe(true);
    expect(all.configs.get('replication.quota.window.num')).toMatchObject({ value: '11', readOnly: true });
    expect(all.configs.has(LEADER)).toBe(true);
  });

  it('the broker’s own value wins over the cluster default; DELETE falls back to it', async () => {
    expect(await alter('', [{ name: LEADER, configOperation: 0, value: '5000000' }])).toMatchObject({ errorCode: 0 });
    expect(await alter('1', [{ name: LEADER, configOperation: 0, value: '2097152' }, { name: FOLLOWER, configOperation: 0, value: '1048576' }])).toMatchObject({ errorCode: 0 });
    let { configs } = await describe_('1');
    expect(configs.get(LEADER)).toMatchObject({
      value: '2097152',
      configSource: 2,
      synonyms: [
        { name: LEADER, value: '2097152', source: 2 },
        { name: LEADER, value: '5000000', source: 3 },
        { name: LEADER, value: LONG_MAX, source: 5 },
      ],
    });
    expect(configs.get(FOLLOWER)).toMatchObject({ value: '1048576', configSource: 2 });
    expect(broker.server.services.dynamicConfigs.effective(LEADER)).toBe('2097152');
    // The default resource shows the default's value only, and (as Kafka) only the keys set there: no static settings.
    expect((await describe_('')).configs.get(LEADER)).toMatchObject({ value: '5000000', configSource: 3, synonyms: [{ value: '5000000', source: 3 }, { value: LONG_MAX, source: 5 }] });
    const defaults = await describe_('', null);
    expect([...defaults.configs.keys()]).toEqual([LEADER]);
    expect((await describe_('', [FOLLOWER, 'num.partitions'])).configs.size).toBe(0);

    expect(await alter('1', [{ name: LEADER, configOperation: 1, value: null }])).toMatchObject({ errorCode: 0 });
    ({ configs } = await describe_('1'));
    expect(configs.get(LEADER)).toMatchObject({ value: '5000000', configSource: 3 });
    expect(broker.server.services.dynamicConfigs.effective(LEADER)).toBe('5000000');
  });

  it('another broker’s configs can be set here (the store is shared); describing another broker is refused', async () => {
    expect(await alter('2', [{ name: FOLLOWER, configOperation: 0, value: '1000' }])).toMatchObject({ errorCode: 0 });
    expect(broker.server.services.dynamicConfigs.valuesOf('2')).toEqual({ [FOLLOWER]: '1000' });
    expect(broker.server.services.dynamicConfigs.effective(FOLLOWER)).toBe(LONG_MAX);
    expect((await describe_('2')).errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('bad values and keys get INVALID_CONFIG, a bad broker name INVALID_REQUEST; nothing is stored', async () => {
    for (const value of ['-1', 'fast', '1.5', '']) {
      const r = await alter('1', [{ name: LEADER, configOperation: 0, value }]);
      expect(r.errorCode, value).toBe(ErrorCode.INVALID_CONFIG);
      expect(r.errorMessage).toContain(LEADER);
    }
    expect((await alter('1', [{ name: 'num.partitions', configOperation: 0, value: '3' }])).errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect((await alter('1', [{ name: 'no.such.key', configOperation: 0, value: '3' }])).errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect((await alter('1', [{ name: LEADER, configOperation: 2, value: '3' }])).errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect((await alter('one', [{ name: LEADER, configOperation: 0, value: '3' }])).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await alter('-1', [{ name: LEADER, configOperation: 0, value: '3' }])).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    const legacy = (await c.send(ApiKey.AlterConfigs, 1, { resources: [{ resourceType: 4, resourceName: '1', configs: [{ name: FOLLOWER, value: '-5' }] }], validateOnly: false })) as {
      responses: { errorCode: number }[];
    };
    expect(legacy.responses[0]!.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(broker.server.services.dynamicConfigs.valuesOf('1')).toEqual({});
  });

  it('validate_only checks without storing; AlterConfigs replaces the whole set', async () => {
    expect(await alter('1', [{ name: LEADER, configOperation: 0, value: '100' }], true)).toMatchObject({ errorCode: 0 });
    expect(broker.server.services.dynamicConfigs.valuesOf('1')).toEqual({});
    await alter('1', [{ name: LEADER, configOperation: 0, value: '100' }, { name: FOLLOWER, configOperation: 0, value: '200' }]);
    const res = (await c.send(ApiKey.AlterConfigs, 1, { resources: [{ resourceType: 4, resourceName: '1', configs: [{ name: FOLLOWER, value: '300' }] }], validateOnly: false })) as {
      responses: { errorCode: number }[];
    };
    expect(res.responses[0]!.errorCode).toBe(0);
    expect(broker.server.services.dynamicConfigs.valuesOf('1')).toEqual({ [FOLLOWER]: '300' });
  });

  it('survive a restart (meta/ on one node)', async () => {
    await alter('', [{ name: FOLLOWER, configOperation: 0, value: '4096' }]);
    c.close();
    const dir = broker.dataDir;
    await broker.server.stop();
    await broker.topics.close();
    const again = await startTestBroker({ nodeId: 1 }, dir);
    try {
      expect(again.server.services.dynamicConfigs.effective(FOLLOWER)).toBe('4096');
    } finally {
      await again.stop();
    }
    broker = await startTestBroker({ nodeId: 1 });
    c = await RawClient.connect(broker.port);
  });
});
