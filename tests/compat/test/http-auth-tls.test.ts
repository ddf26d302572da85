// The HTTP listener over TLS (http.ssl.enabled with the broker's ssl.* PEM material) with
// http.authentication.methods=basic,mtls and http.ssl.client.auth=requested: a trusted client
// certificate's subject DN is the principal the ACLs name, Basic works beside it, and a client
// with neither (or with a certificate from a CA the broker does not trust) gets 401. Injected
// bad input: plaintext HTTP on the HTTPS port — that socket is closed, the listener keeps serving.
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { startBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { AclOperation, ResourceType } from '@mq/protocol';
import { allowBinding } from '../src/acl-binding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { type TestCerts, makeTestCerts } from '../src/test-certs';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const DN = 'CN=alice-client,OU=eng,O=mq';

describe('HTTPS with client certificates', () => {
  let dir: string;
  let certs: TestCerts;
  let broker: Broker;
  let client: MqClient;
  let ca: string;
  let alice: { cert: string; key: string };
  let stranger: { cert: string; key: string };
  let cluster: string;

  const get = (path: string, opts: { cert?: { cert: string; key: string }; authorization?: string } = {}) =>
    new Promise<{ status: number; body: { error_code?: number; message?: string; data?: { cluster_id?: string }[] } }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: broker.http!.port, path, method: 'GET', ca, ...(opts.cert ?? {}), headers: opts.authorization === undefined ? {} : { authorization: opts.authorization } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    dir = await makeTempDir('mq-http-tls-');
    certs = await makeTestCerts(dir);
    ca = await readFile(certs.caCert, 'utf8');
    alice = { cert: await readFile(certs.clientCert, 'utf8'), key: await readFile(certs.clientKey, 'utf8') };
    stranger = { cert: await readFile(certs.strangerCert, 'utf8'), key: await readFile(certs.strangerKey, 'utf8') };
    broker = await startBroker({
      config: { authorizerClassName: 'mq.acl.StandardAuthorizer', superUsers: 'User:ANONYMOUS', connectionFailedAuthenticationDelayMs: 0 },
      security: { ssl: { keystoreLocation: certs.serverKeystore, truststoreLocation: certs.caCert }, scramUsers: [{ name: 'ops', mechanism: 'SCRAM-SHA-512', password: 'ops-pw' }] },
      http: { port: 0, authentication: ['basic', 'mtls'], ssl: { clientAuth: 'requested' }, schemaRegistry: false },
    });
    client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}` });
    const admin = client.admin();
    await admin.createTopics([{ name: 'certified', numPartitions: 1 }, { name: 'other', numPartitions: 1 }]);
    const allow = allowBinding;
    await admin.createAcls([allow(ResourceType.TOPIC, 'certified', AclOperation.READ, `User:${DN}`), allow(ResourceType.CLUSTER, 'kafka-cluster', AclOperation.DESCRIBE, 'User:ops')]);
    const clusters = await get('/v3/clusters', { cert: alice });
    cluster = `/v3/clusters/${clusters.body.data![0]!.cluster_id}`;
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await broker?.stop();
    if (dir !== undefined) await removeDir(dir);
  });

  it('takes a trusted certificate’s subject DN as the principal', async () => {
    expect((await get(`${cluster}/topics/certified/partitions/0/records?offset=0`, { cert: alice })).status).toBe(200);
    const refused = await get(`${cluster}/topics/other/partitions/0/records?offset=0`, { cert: alice });
    expect(refused).toEqual({ status: 403, body: { error_code: 403, message: `TOPIC_AUTHORIZATION_FAILED: User:${DN} may not READ topic other` } });
  });

  it('takes Basic beside it, and answers 401 to neither or an untrusted certificate', async () => {
    const ops = `Basic ${Buffer.from('ops:ops-pw').toString('base64')}`;
    expect((await get(`${cluster}/brokers`, { authorization: ops })).status).toBe(200);
    expect((await get(`${cluster}/brokers`)).status).toBe(401);
    expect((await get(`${cluster}/brokers`, { cert: stranger })).status).toBe(401);
  });

  it('closes plaintext HTTP on the HTTPS port and keeps serving', async () => {
    await expect(fetch(`http://127.0.0.1:${broker.http!.port}/v3/clusters`)).rejects.toThrow();
    expect((await get('/v3/clusters', { cert: alice })).status).toBe(200);
  });

  it('authenticates a wss:// upgrade by its certificate', async () => {
    const opened = await new Promise<unknown>((resolve, reject) => {
      const ws = new WebSocket(`wss://127.0.0.1:${broker.http!.port}${cluster}/topics/certified/streams/records?from=earliest`, { ca, ...alice });
      ws.on('message', (m) => {
        resolve(JSON.parse(m.toString()));
        ws.close();
      });
      ws.on('error', reject);
    });
    expect(opened).toMatchObject({ type: 'subscribed', topic_name: 'certified' });
  });
});
