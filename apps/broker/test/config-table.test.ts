// The one config table: every key once, each with a doc and an env var; the file (server.properties
// or JSON), env vars and flags all reach the same keys through it, with one precedence.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_TABLE, ConfigError, loadBrokerOptions } from '../src/index';
import { configRow } from '../src/config-table';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-broker-table-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('the config table', () => {
  it('has every key and env var once, each with a doc, and its default passes its own checks', async () => {
    const names = CONFIG_TABLE.flatMap((r) => [r.def.name, ...(r.def.synonyms ?? [])]);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(CONFIG_TABLE.map((r) => r.env)).size).toBe(CONFIG_TABLE.length);
    for (const r of CONFIG_TABLE) {
      expect(r.def.doc.length, r.def.name).toBeGreaterThan(10);
      expect(r.def.scope).toBe('broker');
    }
    // Every default, set explicitly through the file, loads (a default its own range refuses would fail here).
    const props = Object.fromEntries(CONFIG_TABLE.flatMap((r) => (r.def.default === undefined ? [] : [[r.def.name, r.def.default]])));
    const opts = await loadBrokerOptions(['--config', await file('defaults.json', JSON.stringify(props))], {});
    expect(opts.port).toBe(9092);
    expect(opts.config.numPartitions).toBe(1);
  });

  it('knows synonyms: broker.id is node.id, log.dirs is data.dir', () => {
    expect(configRow('broker.id')?.row.def.name).toBe('node.id');
    expect(configRow('log.dirs')?.row.def.name).toBe('data.dir');
  });
});

describe('sources', () => {
  it('reads Kafka server.properties files', async () => {
    const path = await file(
      'server.properties',
      [
        '# a Kafka-style file',
        'broker.id=3',
        'listeners=PLAINTEXT://127.0.0.1:19092',
        'advertised.listeners=PLAINTEXT://broker.example.invalid:29092',
        `log.dirs=${join(dir, 'data')}`,
        'num.partitions=4',
        'log.retention.hours=1',
        'group.initial.rebalance.delay.ms=0',
        'auto.create.topics.enable=false',
      ].join('\n'),
    );
    const opts = await loadBrokerOptions(['--config', path], {});
    expect(opts).toMatchObject({
      host: '127.0.0.1',
      port: 19092,
      advertisedHost: 'broker.example.invalid',
      advertisedPort: 29092,
      dataDir: join(dir, 'data'),
      groups: { initialRebalanceDelayMs: 0 },
    });
    expect(opts.config).toMatchObject({ nodeId: 3, numPartitions: 4, autoCreateTopicsEnable: false, topicDefaults: { 'retention.ms': '3600000' } });
    expect(opts.settings).toMatchObject({ 'broker.id': { source: 'file', value: '3' }, 'num.partitions': { source: 'file', value: '4' } });
  });

  it('a properties file with a bad value is refused naming the key', async () => {
    const path = await file('bad.properties', 'num.partitions=1.5\n');
    await expect(loadBrokerOptions(['--config', path], {})).rejects.toThrow('num.partitions: 1.5 is not an integer (allowed: [1, 10000])');
    const unknown = await file('unknown.properties', 'num.partitions=2\nnum.partiton=3\nprocess.roles=broker\nlog.retention.hour=1\n');
    await expect(loadBrokerOptions(['--config', unknown], {})).rejects.toThrow('unknown config num.partiton, log.retention.hour');
  });

  it("Kafka's own KRaft server.properties starts mq: KRaft, thread and socket keys are ignored with a reason, the CONTROLLER listener is left out", async () => {
    const opts = await loadBrokerOptions(['--config', join(import.meta.dirname, 'fixtures', 'kafka-kraft-server.properties')], {});
    expect(opts).toMatchObject({ host: '0.0.0.0', port: 9092, advertisedHost: 'localhost', advertisedPort: 9092, dataDir: '/tmp/kraft-combined-logs' });
    expect(opts.config).toMatchObject({ nodeId: 1, numPartitions: 1, topicDefaults: { 'segment.bytes': '1073741824' } });
    const ignored = Object.fromEntries(opts.ignored.map((i) => [i.key, i.reason]));
    for (const key of ['process.roles', 'controller.quorum.bootstrap.servers', 'controller.listener.names', 'num.network.threads', 'num.io.threads', 'socket.send.buffer.bytes']) {
      expect(ignored[key], key).toMatch(/./);
    }
    expect(ignored['process.roles']).toContain('etcd');
    // Keys mq serves are never in the ignored list.
    expect(ignored['num.partitions']).toBeUndefined();
    expect(ignored['log.dirs']).toBeUndefined();
    // Without controller.listener.names (or a protocol for it) the controller listener is refused.
    await expect(loadBrokerOptions(['--listeners', 'PLAINTEXT://:9092,CONTROLLER://:9093'], {})).rejects.toThrow('listener CONTROLLER has no security protocol');
  });

  it('every key has an env var and a --override flag; flags beat env beats file', async () => {
    const path = await file('p.properties', 'num.partitions=2\nlog.retention.ms=1000\n');
    const env = { MQ_NUM_PARTITIONS: '3', MQ_LOG_RETENTION_MS: '2000', MQ_GROUP_MAX_SIZE: '7', MQ_UNRELATED: 'x' };
    expect((await loadBrokerOptions(['--config', path], env)).config).toMatchObject({ numPartitions: 3, topicDefaults: { 'retention.ms': '2000' } });
    const opts = await loadBrokerOptions(['--config', path, '--override', 'num.partitions=5', '--override', 'log.retention.ms=3000'], env);
    expect(opts.config).toMatchObject({ numPartitions: 5, topicDefaults: { 'retention.ms': '3000' } });
    expect(opts.groups).toEqual({ maxGroupSize: 7 });
    expect(opts.settings).toMatchObject({ 'num.partitions': { source: 'flag', value: '5' }, 'group.max.size': { source: 'env', value: '7' } });
    await expect(loadBrokerOptions([], { MQ_NUM_PARTITIONS: '0' })).rejects.toThrow('num.partitions: 0 is outside [1, 10000]');
    await expect(loadBrokerOptions(['--override', 'nope'], {})).rejects.toThrow('--override nope: expected key=value');
    await expect(loadBrokerOptions(['--override', 'no.such.key=1'], {})).rejects.toThrow('unknown config no.such.key');
  });

  it('listeners set host and port unless those are given at a higher precedence', async () => {
    expect(await loadBrokerOptions(['--listeners', 'PLAINTEXT://:9093'], {})).toMatchObject({ host: '0.0.0.0', port: 9093 });
    expect(await loadBrokerOptions(['--port', '0'], { MQ_LISTENERS: 'PLAINTEXT://127.0.0.1:9093' })).toMatchObject({ host: '127.0.0.1', port: 0 });
    expect(await loadBrokerOptions(['--listeners', 'PLAINTEXT://[::1]:9094'], {})).toMatchObject({ host: '::1', port: 9094 });
  });

  it.each([
    ['SSL://127.0.0.1:9093', 'listeners: SSL (SSL) needs ssl.keystore.location (PEM), or ssl.certificate.location and ssl.key.location'],
    ['SASL_SSL://127.0.0.1:9093', 'listeners: SASL_SSL (SASL_SSL) needs ssl.keystore.location'],
    ['PLAINTEXT://:9092,CONTROLLER://:9093', 'listeners: listener CONTROLLER has no security protocol'],
    ['PLAINTEXT://:9092,PLAINTEXT://:9093', 'listeners: listener PLAINTEXT is named twice'],
    ['127.0.0.1:9092', 'listeners: "127.0.0.1:9092" is not NAME://host:port'],
    ['PLAINTEXT://:99999', 'not a port: 99999'],
  ])('listeners=%s is refused', async (value, message) => {
    const err = await loadBrokerOptions(['--listeners', value], {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(message);
  });

  it('several listeners, mapped names and the security keys become the security options', async () => {
    const opts = await loadBrokerOptions(
      [
        '--listeners',
        'CLIENT://127.0.0.1:9093,PLAINTEXT://127.0.0.1:9092',
        '--override',
        'listener.security.protocol.map=CLIENT:SASL_PLAINTEXT',
        '--override',
        'advertised.listeners=CLIENT://kafka.example.invalid:19093',
        '--override',
        'sasl.enabled.mechanisms=SCRAM-SHA-512',
        '--override',
        'sasl.jaas.config=x required user_a="b";',
      ],
      {},
    );
    expect(opts).toMatchObject({ host: '127.0.0.1', port: 9093 });
    expect(opts.security).toEqual({
      listeners: 'CLIENT://127.0.0.1:9093,PLAINTEXT://127.0.0.1:9092',
      advertisedListeners: 'CLIENT://kafka.example.invalid:19093',
      listenerSecurityProtocolMap: 'CLIENT:SASL_PLAINTEXT',
      saslEnabledMechanisms: ['SCRAM-SHA-512'],
      jaasConfig: 'x required user_a="b";',
    });
    // One PLAINTEXT listener stays the host/port path: no security options.
    expect((await loadBrokerOptions(['--listeners', 'PLAINTEXT://127.0.0.1:9092'], {})).security).toBeUndefined();
    await expect(loadBrokerOptions(['--listeners', 'SASL_SSL://127.0.0.1:9093', '--override', 'ssl.client.auth=maybe'], {})).rejects.toThrow('ssl.client.auth');
    await expect(loadBrokerOptions(['--listeners', 'X://127.0.0.1:9093', '--override', 'listener.security.protocol.map=X:TLS'], {})).rejects.toThrow('TLS is not one of');
  });

  it('the sasl.oauthbearer.* keys become the security options’ oauthBearer, mq.tenants.file its tenantsFile; bad values are refused', async () => {
    const o = (...kv: string[]) => ['--listeners', 'SASL_PLAINTEXT://127.0.0.1:9093', ...kv.flatMap((x) => ['--override', x])];
    const opts = await loadBrokerOptions(
      o(
        'sasl.enabled.mechanisms=OAUTHBEARER,PLAIN',
        'sasl.oauthbearer.jwks.endpoint.url=file:///etc/mq/jwks.json',
        'sasl.oauthbearer.jwks.endpoint.refresh.ms=60000',
        'sasl.oauthbearer.expected.audience=mq,kafka',
        'sasl.oauthbearer.expected.issuer=https://idp.example.invalid',
        'sasl.oauthbearer.sub.claim.name=email',
        'mq.sasl.oauthbearer.required.scope=kafka',
        'sasl.oauthbearer.clock.skew.seconds=5',
        'mq.tenants.file=/etc/mq/tenants.json',
      ),
      {},
    );
    expect(opts.security?.saslEnabledMechanisms).toEqual(['OAUTHBEARER', 'PLAIN']);
    expect(opts.security?.tenantsFile).toBe('/etc/mq/tenants.json');
    expect(opts.security?.oauthBearer).toEqual({
      jwksEndpointUrl: 'file:///etc/mq/jwks.json',
      jwksEndpointRefreshMs: 60_000,
      expectedAudience: ['mq', 'kafka'],
      expectedIssuer: 'https://idp.example.invalid',
      subClaimName: 'email',
      requiredScope: ['kafka'],
      clockSkewSeconds: 5,
    });
    await expect(loadBrokerOptions(o('mq.sasl.oauthbearer.validator=maybe'), {})).rejects.toThrow('mq.sasl.oauthbearer.validator');
    await expect(loadBrokerOptions(o('sasl.oauthbearer.jwks.endpoint.url=ftp://x.invalid/k'), {})).rejects.toThrow('must be a file:, http: or https: URL');
  });

  it('log.dirs with several directories is refused', async () => {
    await expect(loadBrokerOptions(['--override', 'log.dirs=/a,/b'], {})).rejects.toThrow('lists several directories');
  });
});
