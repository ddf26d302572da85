// HTTP authentication and authorization against a real broker with real fetch() and ws clients:
// http.authentication.methods=basic checks the SCRAM users created with AlterUserScramCredentials
// (and the PLAIN users of sasl.jaas.config), and with an authorizer every route and WebSocket
// upgrade is checked against the ACLs created with CreateAcls — the same the Kafka listeners use;
// an open stream is closed (1008) when DeleteAcls removes what allowed it.
// The setup connection is PLAINTEXT (User:ANONYMOUS, a super user here) through @mq/client.
// Bad input: missing, wrong, malformed and oversized credentials answer 401 / 431 JSON while the
// broker keeps serving; no password ever reaches the log.
import { Writable } from 'node:stream';
import { startBroker } from '@mq/broker';
import { MqClient, SchemaRegistryClient, SchemaRegistryError } from '@mq/client';
import { AclOperation, ResourceType } from '@mq/protocol';
import { allowBinding } from '../src/acl-binding';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const PASSWORDS = { admin: 'admin-secret-1', alice: 'alice-secret-2', bob: 'bob-secret-3', carol: 'carol-secret-4' };
const DELAY_MS = 60;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const as = (user: keyof typeof PASSWORDS) => ({ authorization: basic(user, PASSWORDS[user]) });

describe('HTTP authentication and ACLs', () => {
  let broker: Broker;
  let base: string;
  let cluster: string;
  let client: MqClient;
  const logLines: string[] = [];

  const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text === '' ? undefined : JSON.parse(text)) as Record<string, unknown> & { data?: Record<string, unknown>[] } };
  };

  /** The upgrade's outcome: the status of a refusal, or 101 with the selected subprotocol and the first message. */
  const upgrade = (path: string, opts: { headers?: Record<string, string>; protocols?: string[] } = {}) =>
    new Promise<{ status: number; protocol?: string; first?: unknown; body?: string }>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${broker.http!.port}${path}`, opts.protocols ?? [], { headers: opts.headers ?? {} });
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.on('message', (m) => {
        resolve({ status: 101, protocol: ws.protocol, first: JSON.parse(m.toString()) });
        ws.close();
      });
      ws.on('error', (err) => {
        if (!String(err.message).includes('Unexpected server response')) reject(err);
      });
    });

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    broker = await startBroker({
      logger: pino({ level: 'debug' }, sink),
      config: { authorizerClassName: 'mq.acl.StandardAuthorizer', superUsers: 'User:ANONYMOUS;User:admin', connectionFailedAuthenticationDelayMs: DELAY_MS },
      security: { jaasConfig: `org.apache.kafka.common.security.plain.PlainLoginModule required user_carol="${PASSWORDS.carol}";` },
      http: { port: 0, authentication: ['basic'] },
    });
    base = `http://127.0.0.1:${broker.http!.port}`;
    client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}` });
    const admin = client.admin();
    await admin.alterUserScramCredentials({
      upsertions: [
        { user: 'admin', mechanism: 'SCRAM-SHA-512', password: PASSWORDS.admin },
        { user: 'alice', mechanism: 'SCRAM-SHA-512', password: PASSWORDS.alice },
        { user: 'bob', mechanism: 'SCRAM-SHA-256', password: PASSWORDS.bob },
      ],
    });
    await admin.createTopics([{ name: 'orders', numPartitions: 1 }, { name: 'secret', numPartitions: 1 }]);
    const allow = (resourceType: Parameters<typeof allowBinding>[0], resourceName: string, operation: Parameters<typeof allowBinding>[2], principal = 'User:alice') =>
      allowBinding(resourceType, resourceName, operation, principal);
    await admin.createAcls([
      allow(ResourceType.TOPIC, 'orders', AclOperation.WRITE),
      allow(ResourceType.TOPIC, 'orders', AclOperation.READ),
      allow(ResourceType.GROUP, 'alice-group', AclOperation.READ),
      allow(ResourceType.TOPIC, 'orders', AclOperation.DESCRIBE, 'User:carol'),
    ]);
    const clusters = await call('GET', '/v3/clusters', as('admin'));
    cluster = `/v3/clusters/${String(clusters.body.data![0]!.cluster_id)}`;
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await broker?.stop();
  });

  it('answers 401 with WWW-Authenticate and a JSON body without credentials or with wrong ones', async () => {
    const none = await call('GET', `${cluster}/topics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm="mq"/);
    expect(none.body).toEqual({ error_code: 401, message: expect.stringContaining('authentication required') });
    const started = performance.now();
    const wrong = await call('GET', `${cluster}/topics`, { authorization: basic('alice', 'not-her-password') });
    expect(performance.now() - started).toBeGreaterThanOrEqual(DELAY_MS - 5); // connection.failed.authentication.delay.ms
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('authentication failed: wrong user name or password');
    expect((await call('GET', `${cluster}/topics`, { authorization: basic('mallory', PASSWORDS.alice) })).status).toBe(401);
    // bob's SCRAM-SHA-256 and carol's PLAIN credentials authenticate as well.
    expect((await call('GET', `${cluster}/topics`, as('bob'))).status).toBe(200);
    expect((await call('GET', `${cluster}/topics`, as('carol'))).status).toBe(200);
  });

  it('answers malformed and oversized credentials with 401 / 431 JSON and keeps serving', async () => {
    for (const authorization of ['Basic', 'Basic !!!not-base64', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${Buffer.from(':pw').toString('base64')}`, 'Bearer abc.def', `Basic ${'A'.repeat(5000)}`]) {
      const r = await call('GET', `${cluster}/topics`, { authorization });
      expect(r.status, authorization.slice(0, 30)).toBe(401);
      expect(r.body.error_code).toBe(401);
    }
    const huge = await call('GET', `${cluster}/topics`, { authorization: `Basic ${'A'.repeat(20_000)}` });
    expect(huge.status).toBe(431);
    expect(huge.body).toEqual({ error_code: 431, message: 'request headers too large' });
    expect((await call('GET', `${cluster}/topics`, as('alice'))).status).toBe(200);
  });

  it('checks each route against the ACLs: 403 without, 200 with', async () => {
    const record = { partition_id: 0, value: { type: 'STRING', data: 'o-1' } };
    const refused = await call('POST', `${cluster}/topics/orders/records`, as('bob'), record);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error_code: 403, message: 'TOPIC_AUTHORIZATION_FAILED: User:bob may not WRITE topic orders' });
    expect((await call('POST', `${cluster}/topics/orders/records`, as('alice'), record)).status).toBe(200);
    expect((await call('GET', `${cluster}/topics/orders/partitions/0/records?offset=0&encoding=string`, as('bob'))).status).toBe(403);
    const read = await call('GET', `${cluster}/topics/orders/partitions/0/records?offset=0&encoding=string`, as('alice'));
    expect(read.status).toBe(200);
    expect(read.body.data!.map((r) => (r.value as { data: string }).data)).toEqual(['o-1']);
    expect((await call('POST', `${cluster}/topics/secret/records`, as('alice'), record)).status).toBe(403);
    // Topic administration: CREATE / DELETE / ALTER_CONFIGS, and the cluster pages DESCRIBE.
    expect((await call('POST', `${cluster}/topics`, as('alice'), { topic_name: 'alice-new' })).body.message).toBe('CLUSTER_AUTHORIZATION_FAILED: User:alice may not CREATE the cluster');
    expect((await call('POST', `${cluster}/topics`, as('admin'), { topic_name: 'admin-new' })).status).toBe(201);
    expect((await call('DELETE', `${cluster}/topics/orders`, as('alice'))).status).toBe(403);
    expect((await call('POST', `${cluster}/topics/orders/configs:alter`, as('alice'), { data: [{ name: 'retention.ms', value: '1000' }] })).status).toBe(403);
    expect((await call('GET', `${cluster}/brokers`, as('alice'))).status).toBe(403);
    expect((await call('GET', `${cluster}/brokers`, as('admin'))).status).toBe(200);
    expect((await call('GET', '/metrics', as('alice'))).status).toBe(403);
    // The delay store and the traces (the console's Delayed and Traces pages): DESCRIBE the cluster, cancelling ALTER.
    expect((await call('GET', '/v1/delayed', as('alice'))).body.message).toBe('CLUSTER_AUTHORIZATION_FAILED: User:alice may not DESCRIBE the cluster');
    expect((await call('GET', '/v1/delayed', as('admin'))).status).toBe(200);
    expect((await call('DELETE', '/v1/delayed/0-0', as('alice'))).status).toBe(403);
    expect((await call('GET', '/v1/traces', as('alice'))).status).toBe(403);
    expect((await call('GET', '/v1/traces', as('admin'))).status).toBe(200);
    // Queues: READ on the group and the topic (ShareFetch's rule).
    expect((await call('POST', '/v1/queues/bob-group/topics/orders/receive', as('alice'), { max_messages: 1 })).body.message).toBe('GROUP_AUTHORIZATION_FAILED: User:alice may not READ group bob-group');
    const received = await call('POST', '/v1/queues/alice-group/topics/orders/receive', as('alice'), { max_messages: 1 });
    expect(received.status).toBe(200);
  });

  it('checks the schema registry at cluster level: DESCRIBE to read, ALTER to register', async () => {
    const schema = { schema: JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }] }) };
    const refused = await call('POST', '/subjects/orders-value/versions', as('alice'), schema);
    expect(refused.body).toEqual({ error_code: 403, message: 'CLUSTER_AUTHORIZATION_FAILED: User:alice may not ALTER the cluster' });
    const registered = await call('POST', '/subjects/orders-value/versions', as('admin'), schema);
    expect(registered.status).toBe(200);
    expect((await call('GET', '/subjects', as('alice'))).status).toBe(403);
    expect((await call('GET', '/subjects', as('admin'))).body).toEqual(['orders-value']);
    expect((await call('PUT', '/config', as('alice'), { compatibility: 'NONE' })).body.message).toBe('CLUSTER_AUTHORIZATION_FAILED: User:alice may not ALTER_CONFIGS the cluster');
    // @mq/client's registry client: credentials as an option or in the URL, never in its messages.
    const adminRegistry = new SchemaRegistryClient({ url: base, basicAuth: { username: 'admin', password: PASSWORDS.admin } });
    expect(await adminRegistry.listSubjects()).toEqual(['orders-value']);
    const aliceRegistry = new SchemaRegistryClient({ url: `http://alice:${PASSWORDS.alice}@127.0.0.1:${broker.http!.port}` });
    const refusal = await aliceRegistry.listSubjects().catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(SchemaRegistryError);
    expect((refusal as SchemaRegistryError).status).toBe(403);
    expect(String(refusal)).not.toContain(PASSWORDS.alice);
  });

  it('lists only what the principal may DESCRIBE', async () => {
    const names = async (user: keyof typeof PASSWORDS) => (await call('GET', `${cluster}/topics`, as(user))).body.data!.map((t) => t.topic_name);
    expect(await names('alice')).toEqual(['orders']);
    expect(await names('carol')).toEqual(['orders']);
    expect(await names('bob')).toEqual([]);
    expect(await names('admin')).toEqual(expect.arrayContaining(['orders', 'secret', 'admin-new']));
  });

  it('authenticates and authorizes WebSocket upgrades (header or browser subprotocol)', async () => {
    const stream = `${cluster}/topics/orders/streams/records?from=earliest`;
    const anonymous = await upgrade(stream);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body!)).toEqual({ error_code: 401, message: expect.stringContaining('authentication required') });
    expect((await upgrade(stream, { headers: { authorization: basic('alice', 'wrong') } })).status).toBe(401);
    const bob = await upgrade(stream, { headers: as('bob') });
    expect(bob.status).toBe(403);
    expect(JSON.parse(bob.body!).message).toBe('TOPIC_AUTHORIZATION_FAILED: User:bob may not READ topic orders');
    const alice = await upgrade(stream, { headers: as('alice') });
    expect(alice).toMatchObject({ status: 101, first: { type: 'subscribed' } });
    // A browser cannot set headers: the credential rides as a subprotocol, and only `mq` is echoed.
    const token = Buffer.from(`alice:${PASSWORDS.alice}`).toString('base64url');
    const browser = await upgrade(stream, { protocols: ['mq', `mq.basic.${token}`] });
    expect(browser).toMatchObject({ status: 101, protocol: 'mq', first: { type: 'subscribed' } });
    expect((await upgrade(`${cluster}/streams/stats`, { headers: as('alice') })).status).toBe(403);
    expect((await upgrade(`${cluster}/streams/stats`, { headers: as('admin') })).status).toBe(101);
  });

  it('closes an open stream with 1008 once the ACL that allowed it is deleted', async () => {
    await client.admin().createAcls([allowBinding(ResourceType.TOPIC, 'revoked', AclOperation.READ, 'User:alice')]);
    await client.admin().createTopics([{ name: 'revoked', numPartitions: 1 }]);
    const ws = new WebSocket(`ws://127.0.0.1:${broker.http!.port}${cluster}/topics/revoked/streams/records`, { headers: as('alice') });
    const subscribed = new Promise<void>((resolve) => ws.once('message', () => resolve()));
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    await subscribed;
    await client.admin().deleteAcls([{ resourceType: ResourceType.TOPIC, resourceName: 'revoked', principal: 'User:alice' }]);
    expect(await closed).toEqual({ code: 1008, reason: 'TOPIC_AUTHORIZATION_FAILED: User:alice may not READ topic revoked' });
  });

  it('follows a changed password at once (a remembered success is dropped)', async () => {
    expect((await call('GET', `${cluster}/topics`, as('bob'))).status).toBe(200);
    await client.admin().alterUserScramCredentials({ upsertions: [{ user: 'bob', mechanism: 'SCRAM-SHA-256', password: 'bob-new-password' }] });
    await expect.poll(async () => (await call('GET', `${cluster}/topics`, as('bob'))).status).toBe(401);
    expect((await call('GET', `${cluster}/topics`, { authorization: basic('bob', 'bob-new-password') })).status).toBe(200);
  });

  it('logs failures with the user and never a password', () => {
    const log = logLines.join('');
    expect(log).toContain('http authentication failed');
    expect(log).toContain('"user":"alice"');
    for (const password of [...Object.values(PASSWORDS), 'not-her-password', 'bob-new-password']) expect(log).not.toContain(password);
  });
});

describe('HTTP Basic without an authorizer', () => {
  it('lets any authenticated user do anything, and nobody else', async () => {
    await using broker = await startBroker({ http: { port: 0, authentication: ['basic'], schemaRegistry: false }, security: { scramUsers: [{ name: 'ops', mechanism: 'SCRAM-SHA-512', password: 'ops-pw' }] } });
    const base = `http://127.0.0.1:${broker.http!.port}`;
    expect((await fetch(`${base}/v3/clusters`)).status).toBe(401);
    const ok = await fetch(`${base}/v3/clusters`, { headers: { authorization: basic('ops', 'ops-pw') } });
    expect(ok.status).toBe(200);
  });
});
