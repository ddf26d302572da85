// HTTP bearer tokens (RFC 6750) against a real broker with real fetch() and ws clients:
// http.authentication.methods=basic,bearer, the tokens checked as SASL OAUTHBEARER checks them — RS256 /
// ES256 JWTs against a JWKS a loopback HTTP server serves, with expected issuer and audience — though
// the broker has no SASL listener at all (HTTP sets the validator up alone). The principal is the
// token's sub and the ACLs of CreateAcls apply as for Basic users. Bad input: expired, forged,
// wrong-audience, unsigned and malformed tokens answer 401 JSON saying why, the broker keeps serving.
import { startBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { AclOperation, ResourceType } from '@mq/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { allowBinding } from '../src/acl-binding';
import { JwksServer, TestSigningKeys, claimsFor, unsecuredToken } from '../src/oauthbearer-tokens';

type Broker = Awaited<ReturnType<typeof startBroker>>;
const ISSUER = 'https://idp.example.test';
const ADMIN_PASSWORD = 'admin-secret-1';

describe('HTTP bearer tokens checked by the OAUTHBEARER validator', () => {
  let broker: Broker;
  let jwks: JwksServer;
  let base: string;
  let cluster: string;
  let client: MqClient;
  const keys = new TestSigningKeys();
  const good = (sub: string, extra: Record<string, unknown> = {}) => claimsFor(sub, 3600, Date.now(), { iss: ISSUER, aud: 'mq', ...extra });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text === '' ? undefined : JSON.parse(text)) as Record<string, unknown> & { data?: Record<string, unknown>[] } };
  };

  /** The upgrade's outcome: the status of a refusal, or 101 with the selected subprotocol. */
  const upgrade = (path: string, protocols: string[]) =>
    new Promise<{ status: number; protocol?: string }>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${broker.http!.port}${path}`, protocols);
      ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      ws.on('open', () => {
        resolve({ status: 101, protocol: ws.protocol });
        ws.close();
      });
      ws.on('error', (err) => {
        if (!String(err.message).includes('Unexpected server response')) reject(err);
      });
    });

  beforeAll(async () => {
    jwks = await JwksServer.start(() => keys.jwks());
    broker = await startBroker({
      config: { authorizerClassName: 'mq.acl.StandardAuthorizer', superUsers: 'User:ANONYMOUS;User:admin', connectionFailedAuthenticationDelayMs: 10 },
      security: { oauthBearer: { jwksEndpointUrl: jwks.url, expectedIssuer: ISSUER, expectedAudience: ['mq'] } },
      http: { port: 0, authentication: ['basic', 'bearer'] },
    });
    base = `http://127.0.0.1:${broker.http!.port}`;
    // The Kafka listener is PLAINTEXT (User:ANONYMOUS, a super user here) for the setup.
    client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}` });
    const admin = client.admin();
    await admin.alterUserScramCredentials({ upsertions: [{ user: 'admin', mechanism: 'SCRAM-SHA-512', password: ADMIN_PASSWORD }] });
    await admin.createTopics([{ name: 'orders', numPartitions: 1 }, { name: 'secret', numPartitions: 1 }]);
    await admin.createAcls([allowBinding(ResourceType.TOPIC, 'orders', AclOperation.WRITE, 'User:alice'), allowBinding(ResourceType.TOPIC, 'orders', AclOperation.READ, 'User:alice')]);
    const clusters = await call('GET', '/v3/clusters', bearer(keys.sign('RS256', good('admin'))));
    expect(clusters.status).toBe(200);
    cluster = `/v3/clusters/${String(clusters.body.data![0]!.cluster_id)}`;
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await broker?.stop();
    await jwks?.close();
  });

  it("a signed token's sub is the principal, under its ACLs; Basic users still sign in beside it", async () => {
    const alice = bearer(keys.sign('RS256', good('alice')));
    const names = (await call('GET', `${cluster}/topics`, alice)).body.data!.map((t) => t.topic_name);
    expect(names).toEqual(['orders']);
    const record = { partition_id: 0, value: { type: 'STRING', data: 'b-1' } };
    expect((await call('POST', `${cluster}/topics/orders/records`, alice, record)).status).toBe(200);
    const refused = await call('POST', `${cluster}/topics/secret/records`, alice, record);
    expect(refused.body).toEqual({ error_code: 403, message: 'TOPIC_AUTHORIZATION_FAILED: User:alice may not WRITE topic secret' });
    // bob (ES256) authenticates but has no ACL.
    expect((await call('POST', `${cluster}/topics/orders/records`, bearer(keys.sign('ES256', good('bob'))), record)).status).toBe(403);
    const basic = { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` };
    expect((await call('GET', `${cluster}/brokers`, basic)).status).toBe(200);
  });

  it('refuses expired, forged, wrong-audience, unsigned and malformed tokens with 401 JSON saying why', async () => {
    const cases: [string, string, RegExp][] = [
      ['expired', keys.sign('RS256', claimsFor('alice', 60, Date.now() - 3_600_000, { iss: ISSUER, aud: 'mq' })), /bearer token refused: .*expired/],
      ['forged', keys.forged('RS256', good('alice')), /bearer token refused: .*signature/],
      ['audience', keys.sign('RS256', good('alice', { aud: 'someone-else' })), /bearer token refused: .*aud/],
      ['unsigned', unsecuredToken(good('alice')), /bearer token refused/],
      ['malformed', '!!!', /malformed bearer token/],
    ];
    for (const [what, token, message] of cases) {
      const r = await call('GET', `${cluster}/topics`, bearer(token));
      expect(r.status, what).toBe(401);
      expect(r.body.error_code, what).toBe(401);
      expect(String(r.body.message), what).toMatch(message);
    }
    const none = await call('GET', `${cluster}/topics`);
    expect(none.status).toBe(401);
    expect(none.body.message).toBe('authentication required: Basic credentials or a bearer token');
    // Still serving.
    expect((await call('GET', `${cluster}/topics`, bearer(keys.sign('RS256', good('alice'))))).status).toBe(200);
  });

  it('authenticates a WebSocket upgrade by the mq.bearer.<token> subprotocol, echoing only mq', async () => {
    const stream = `${cluster}/topics/orders/streams/records?from=earliest`;
    expect(await upgrade(stream, ['mq', `mq.bearer.${keys.sign('RS256', good('alice'))}`])).toEqual({ status: 101, protocol: 'mq' });
    expect((await upgrade(stream, ['mq', `mq.bearer.${keys.forged('RS256', good('alice'))}`])).status).toBe(401);
    expect((await upgrade(stream, ['mq', `mq.bearer.${keys.sign('ES256', good('bob'))}`])).status).toBe(403);
  });
});
