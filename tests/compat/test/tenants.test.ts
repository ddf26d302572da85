// Tenants (mq.tenants.file) on a SASL/PLAIN broker with the authorizer on and no ACLs at all:
// kafkajs as acme-alice creates, produces to and (as acme-bob, in an acme. group) consumes its
// tenant's topics through the tenant's prefix grant, and is refused another tenant's topic, which
// Metadata does not show her. Two acme principals share one producer_byte_rate: bob's first Produce
// is throttled because alice used the tenant's rate (raw Produce v9 frames after SASL, reading
// throttle_time_ms). A Produce to initech's topics past its storage limit gets POLICY_VIOLATION with
// a message naming the tenant, while other tenants keep producing; /metrics shows it all per tenant.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBroker } from '@mq/broker';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { buildRecordBatch } from '@mq/records';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeValues } from '../src/kafkajs-consume';
import { metricValue, parsePrometheus } from '../src/prometheus-text';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { WireClient } from './groups-wire-client';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const USERS = { admin: 'admin-pw', 'acme-alice': 'alice-pw', 'acme-bob': 'bob-pw', 'globex-carol': 'carol-pw', 'initech-dave': 'dave-pw' } as const;
type User = keyof typeof USERS;
const ACME_PRODUCE_RATE = 5_000;
const INITECH_STORAGE = 100_000;

const TENANTS = {
  tenants: [
    { name: 'acme', principalPrefix: 'User:acme-', resourcePrefix: 'acme.', quotas: { producer_byte_rate: ACME_PRODUCE_RATE } },
    { name: 'globex', principalPrefix: 'User:globex-', resourcePrefix: 'globex.' },
    { name: 'initech', principalPrefix: 'User:initech-', resourcePrefix: 'initech.', storageLimitBytes: INITECH_STORAGE },
  ],
};

async function errorType(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'none';
  } catch (err) {
    type E = { type?: string; cause?: E; originalError?: E; errors?: E[] };
    const find = (e: E | undefined): string | undefined => e === undefined ? undefined : (e.type ?? find(e.cause ?? e.originalError ?? e.errors?.[0]));
    return find(err as E) ?? String(err);
  }
}

describe('tenants', () => {
  let broker: Broker;
  let dir: string;
  const kafka = (user: User) =>
    new Kafka({ clientId: `tenant-${user}`, brokers: [`127.0.0.1:${broker.port}`], sasl: { mechanism: 'plain', username: user, password: USERS[user] }, logLevel: logLevel.NOTHING, retry: { retries: 0 } });

  /** A raw connection authenticated as `user` (SaslHandshake v1 + SaslAuthenticate, PLAIN). */
  async function wireAs(user: User): Promise<WireClient> {
    const wire = await WireClient.open(broker.port);
    expect((await wire.call(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode).toBe(ErrorCode.NONE);
    expect((await wire.call(ApiKey.SaslAuthenticate, 1, { authBytes: Buffer.from(`\u0000${user}\u0000${USERS[user]}`) })).errorCode).toBe(ErrorCode.NONE);
    return wire;
  }
  const produce = async (wire: WireClient, topic: string, bytes: number) => {
    const records = await buildRecordBatch({ records: [{ key: null, value: randomBytes(bytes) }] });
    const res = await wire.call(ApiKey.Produce, 9, { transactionalId: null, acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
    return { throttleTimeMs: res.throttleTimeMs as number, partition: res.responses[0].partitionResponses[0] as { errorCode: number; errorMessage: string | null } };
  };
  const scrape = async () =>
    parsePrometheus(await (await fetch(`http://127.0.0.1:${broker.http!.port}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`admin:${USERS.admin}`).toString('base64')}` } })).text());

  beforeAll(async () => {
    dir = await makeTempDir('tenants');
    const file = join(dir, 'tenants.json');
    await writeFile(file, JSON.stringify(TENANTS));
    broker = await startBroker({
      http: { port: 0, authentication: ['basic'] },
      config: { authorizerClassName: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', superUsers: 'User:admin', autoCreateTopicsEnable: false },
      security: { listeners: 'SASL_PLAINTEXT://127.0.0.1:0', saslEnabledMechanisms: ['PLAIN'], plainUsers: { ...USERS }, tenantsFile: file },
    });
    const admin = kafka('admin').admin();
    await admin.connect();
    await admin.createTopics({ topics: ['acme.quota', 'initech.logs', 'globex.events'].map((topic) => ({ topic })) });
    await admin.disconnect();
  });
  afterAll(async () => {
    await broker?.stop();
    if (dir !== undefined) await removeDir(dir);
  });

  it('the tenant’s principals share its producer_byte_rate: bob is throttled for what alice sent', async () => {
    // The rate is measured over the quota window (11 × 1 s, at least 10 s early on): 30 KB is about 3 KB/s.
    const alice = await wireAs('acme-alice');
    const first = await produce(alice, 'acme.quota', 30_000);
    expect([first.partition.errorCode, first.throttleTimeMs]).toEqual([ErrorCode.NONE, 0]);
    const bob = await wireAs('acme-bob');
    const second = await produce(bob, 'acme.quota', 30_000);
    expect(second.partition.errorCode).toBe(ErrorCode.NONE);
    expect(second.throttleTimeMs).toBeGreaterThan(0);
    // A principal of another tenant (no quota) is not slowed by acme's rate.
    const carol = await wireAs('globex-carol');
    expect((await produce(carol, 'globex.events', 60_000)).throttleTimeMs).toBe(0);
    for (const w of [alice, bob, carol]) w.close();
    const samples = await scrape();
    expect(metricValue(samples, 'mq_tenant_quota_throttled_requests_total', { tenant: 'acme', quota: 'producer_byte_rate' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(samples, 'mq_tenant_quota_limit', { tenant: 'acme', quota: 'producer_byte_rate' })).toBe(ACME_PRODUCE_RATE);
    expect(metricValue(samples, 'mq_tenant_quota_rate', { tenant: 'acme', quota: 'producer_byte_rate' })).toBeGreaterThan(ACME_PRODUCE_RATE);
    expect(metricValue(samples, 'mq_quota_throttled_requests_total')).toBe(0);
    expect(metricValue(samples, 'mq_tenant_produced_bytes_total', { tenant: 'acme' })).toBeGreaterThan(60_000);
  });

  it('kafkajs: acme principals create, produce and consume acme. resources with no ACL; other tenants’ are refused and hidden', async () => {
    const alice = kafka('acme-alice');
    const admin = alice.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'acme.orders' }] });
    expect((await admin.listTopics()).sort()).toEqual(['acme.orders', 'acme.quota']);
    expect(await errorType(admin.createTopics({ topics: [{ topic: 'globex.orders' }] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
    await admin.disconnect();
    const producer = alice.producer();
    await producer.connect();
    await producer.send({ topic: 'acme.orders', messages: [{ value: 'o1' }, { value: 'o2' }] });
    expect(await errorType(producer.send({ topic: 'globex.events', messages: [{ value: 'x' }] }))).toBe('TOPIC_AUTHORIZATION_FAILED');
    await producer.disconnect();
    expect(await consumeValues(kafka('acme-bob').consumer({ groupId: 'acme.readers', maxWaitTimeInMs: 200 }), 'acme.orders', 2)).toEqual(['o1', 'o2']);
    const carol = kafka('globex-carol').consumer({ groupId: 'globex.readers', maxWaitTimeInMs: 200 });
    expect(await errorType(consumeValues(carol, 'acme.orders', 1))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(metricValue(await scrape(), 'mq_tenant_fetched_bytes_total', { tenant: 'acme' })).toBeGreaterThan(0);
  });

  it('past its storage limit a tenant’s topics refuse Produce with POLICY_VIOLATION and a message; other tenants are unaffected', async () => {
    const dave = await wireAs('initech-dave');
    let refused: { errorCode: number; errorMessage: string | null } | undefined;
    let sent = 0;
    for (let i = 0; i < 200 && refused === undefined; i++) {
      const r = await produce(dave, 'initech.logs', 10_000);
      if (r.partition.errorCode === ErrorCode.NONE) sent += 10_000;
      else refused = r.partition;
    }
    dave.close();
    expect(sent).toBeGreaterThanOrEqual(INITECH_STORAGE - 10_000);
    expect(refused?.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    expect(refused?.errorMessage).toMatch(new RegExp(`^tenant initech is at its storage limit: its topics hold \\d+ of ${INITECH_STORAGE} bytes$`));
    const kafkajsRefused = kafka('initech-dave').producer();
    await kafkajsRefused.connect();
    expect(await errorType(kafkajsRefused.send({ topic: 'initech.logs', messages: [{ value: 'more' }] }))).toBe('POLICY_VIOLATION');
    await kafkajsRefused.disconnect();
    const carol = await wireAs('globex-carol');
    expect((await produce(carol, 'globex.events', 1_000)).partition.errorCode).toBe(ErrorCode.NONE);
    carol.close();
    const samples = await scrape();
    expect(metricValue(samples, 'mq_tenant_storage_bytes', { tenant: 'initech' })).toBeGreaterThanOrEqual(INITECH_STORAGE);
    expect(metricValue(samples, 'mq_tenant_storage_limit_bytes', { tenant: 'initech' })).toBe(INITECH_STORAGE);
    expect(metricValue(samples, 'mq_tenant_storage_refusals_total', { tenant: 'initech' })).toBeGreaterThanOrEqual(2);
    expect(samples.some((s) => s.name === 'mq_tenant_storage_limit_bytes' && s.labels.tenant === 'acme')).toBe(false);
  });

  it('a tenants file that is not valid keeps the broker from starting, naming the file and the problem', async () => {
    const bad = join(dir, 'bad-tenants.json');
    await writeFile(bad, JSON.stringify({ tenants: [{ name: 'x', principalPrefix: 'User:x-', resourcePrefix: 'x.' }, { name: 'y', principalPrefix: 'User:y-', resourcePrefix: 'x.y.' }] }));
    await expect(startBroker({ security: { tenantsFile: bad } })).rejects.toThrow(/mq\.tenants\.file .*bad-tenants\.json: tenants x and y: resource prefixes x\. and x\.y\. overlap/);
    await writeFile(bad, '{"tenants": 3}');
    await expect(startBroker({ security: { tenantsFile: bad } })).rejects.toThrow(/must hold \{"tenants": \[/);
  });
});
