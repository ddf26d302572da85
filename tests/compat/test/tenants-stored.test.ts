// Tenants from the metadata store, managed with the real `mq tenants` CLI over the HTTP API, on a
// SASL/PLAIN broker with the authorizer on, no ACLs and one tenant in mq.tenants.file. Checked: a
// tenant set with the CLI applies at once (its principal may create and write its prefix's topics,
// its storage limit refuses Produce with POLICY_VIOLATION); list shows both sources; the file's tenant
// cannot be changed (403), an overlapping prefix is refused (400), a principal without ALTER_CONFIGS
// on the cluster gets 403; delete removes the grant live; a stored tenant survives a restart.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBroker } from '@mq/broker';
import { ApiKey, ErrorCode } from '@mq/protocol';
import { buildRecordBatch } from '@mq/records';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mq } from '../src/mq-cli';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { WireClient } from './groups-wire-client';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const USERS = { admin: 'admin-pw', 'acme-alice': 'alice-pw', 'initech-dave': 'dave-pw' } as const;
type User = keyof typeof USERS;
const LIMIT = 30_000;

describe('tenants in the metadata store (mq tenants)', () => {
  let broker: Broker;
  let dir: string;
  let tenantsFile: string;
  const start = () =>
    startBroker({
      dataDir: join(dir, 'data'),
      http: { port: 0, authentication: ['basic'] },
      config: { authorizerClassName: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', superUsers: 'User:admin', autoCreateTopicsEnable: false },
      security: { listeners: 'SASL_PLAINTEXT://127.0.0.1:0', saslEnabledMechanisms: ['PLAIN'], plainUsers: { ...USERS }, tenantsFile },
    });
  const http = (user: User) => `http://${user}:${USERS[user]}@127.0.0.1:${broker.http!.port}`;
  const cli = (user: User, ...args: string[]) => mq(['tenants', ...args, '--http', http(user)]);

  async function wireAs(user: User): Promise<WireClient> {
    const wire = await WireClient.open(broker.port);
    expect((await wire.call(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' })).errorCode).toBe(ErrorCode.NONE);
    expect((await wire.call(ApiKey.SaslAuthenticate, 1, { authBytes: Buffer.from(`\u0000${user}\u0000${USERS[user]}`) })).errorCode).toBe(ErrorCode.NONE);
    return wire;
  }
  const createTopic = async (wire: WireClient, name: string): Promise<number> =>
    (await wire.call(ApiKey.CreateTopics, 5, { topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 10_000, validateOnly: false })).topics[0].errorCode;
  const produce = async (wire: WireClient, topic: string): Promise<{ errorCode: number; errorMessage: string | null }> => {
    const records = await buildRecordBatch({ records: [{ key: null, value: randomBytes(5_000) }] });
    const res = await wire.call(ApiKey.Produce, 9, { transactionalId: null, acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
    return res.responses[0].partitionResponses[0];
  };

  beforeAll(async () => {
    dir = await makeTempDir('tenants-stored');
    tenantsFile = join(dir, 'tenants.json');
    await writeFile(tenantsFile, JSON.stringify({ tenants: [{ name: 'acme', principalPrefix: 'User:acme-', resourcePrefix: 'acme.' }] }));
    broker = await start();
  });
  afterAll(async () => {
    await broker?.stop();
    if (dir !== undefined) await removeDir(dir);
  });

  it('a tenant set with the CLI applies at once: prefix grant and storage limit; list shows both sources', async () => {
    const dave = await wireAs('initech-dave');
    expect(await createTopic(dave, 'initech.logs')).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    const set = await cli('admin', 'set', 'initech', '--principal-prefix', 'User:initech-', '--resource-prefix', 'initech.', '--storage-limit-bytes', String(LIMIT), '--producer-byte-rate', '1048576');
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(await createTopic(dave, 'initech.logs')).toBe(ErrorCode.NONE);
    let refused: { errorCode: number; errorMessage: string | null } | undefined;
    let taken = 0;
    for (; taken < 20 && refused === undefined; taken++) {
      const r = await produce(dave, 'initech.logs');
      if (r.errorCode !== ErrorCode.NONE) refused = r;
    }
    dave.close();
    expect(refused?.errorCode).toBe(ErrorCode.POLICY_VIOLATION);
    expect(refused?.errorMessage).toMatch(/^tenant initech is at its storage limit: its topics hold \d+ of 30000 bytes$/);
    expect(taken).toBeLessThanOrEqual(LIMIT / 5_000 + 2);
    const list = await mq(['tenants', 'list', '-o', 'json', '--http', http('admin')]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { name: 'acme', principalPrefix: 'User:acme-', resourcePrefix: 'acme.', source: 'file' },
      { name: 'initech', principalPrefix: 'User:initech-', resourcePrefix: 'initech.', quotas: { producer_byte_rate: 1048576 }, storageLimitBytes: LIMIT, source: 'metadata' },
    ]);
  });

  it('refuses a file tenant (403), an overlapping prefix (400) and a principal without ALTER_CONFIGS (403), the CLI’s as one line, exit 1', async () => {
    const file = await cli('admin', 'set', 'acme', '--principal-prefix', 'User:acme-', '--resource-prefix', 'acme.');
    expect([file.code, file.stderr.trim()]).toEqual([1, 'error: POLICY_VIOLATION: tenant acme is defined in mq.tenants.file on broker 0: change it there (HTTP 403)']);
    // The rest over HTTP directly (each CLI start costs seconds): the same route answers.
    const put = (user: User, name: string, body: object) =>
      fetch(`http://127.0.0.1:${broker.http!.port}/v1/tenants/${name}`, {
        method: 'PUT',
        headers: { authorization: `Basic ${Buffer.from(`${user}:${USERS[user]}`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const overlap = await put('admin', 'acme2', { principalPrefix: 'User:acme2-', resourcePrefix: 'acme.sub.' });
    expect(overlap.status).toBe(400);
    expect(((await overlap.json()) as { message: string }).message).toMatch(/^INVALID_CONFIG: tenants acme and acme2: resource prefixes acme\. and acme\.sub\. overlap/);
    expect((await put('acme-alice', 'initech', { principalPrefix: 'User:initech-', resourcePrefix: 'initech.' })).status).toBe(403);
    const bad = await put('admin', 'x', { principalPrefix: 'User:x-', resourcePrefix: 'x.', storageLimitBytes: -1, colour: 'red' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/unknown field colour/);
  });

  it('a stored tenant survives a restart; delete removes its grant at once', async () => {
    await broker.stop();
    broker = await start();
    const dave = await wireAs('initech-dave');
    expect(await createTopic(dave, 'initech.more')).toBe(ErrorCode.NONE);
    const del = await cli('admin', 'delete', 'initech');
    expect([del.code, del.stderr.trim()]).toEqual([0, 'mq: tenant initech deleted']);
    expect(await createTopic(dave, 'initech.again')).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    dave.close();
    const again = await cli('admin', 'delete', 'initech');
    expect([again.code, again.stderr.trim()]).toEqual([1, 'error: no tenant initech is stored (HTTP 404)']);
  });
});
