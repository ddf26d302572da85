// SASL/OAUTHBEARER with signed JWTs, verified against a JWKS an HTTP server on loopback serves (an
// identity provider's jwks_uri), with sasl.oauthbearer.expected.issuer / audience and an authorizer:
// kafkajs 2.2.4 (oauthBearerProvider) as alice (RS256) produces and consumes under her ACLs; bob
// (ES256, no ACLs) is refused produce; expired, forged, wrong-audience and unsigned tokens fail
// with SASL_AUTHENTICATION_FAILED and say why, and the broker keeps serving; a key added to the
// JWKS later is fetched when a token names its kid; python3-confluent-kafka (librdkafka 2.0.2,
// oauth_cb) produces and consumes with an HS256 token.
import { startBroker } from '@mq/broker';
import { AclOperationTypes as Op, AclResourceTypes as Res, Kafka, logLevel, ResourcePatternTypes as Pattern } from 'kafkajs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkajsAllow } from '../src/acl-binding';
import { run } from '../src/child-process';
import { consumeValues } from '../src/kafkajs-consume';
import { JwksServer, TestSigningKeys, claimsFor, unsecuredToken } from '../src/oauthbearer-tokens';

type Broker = Awaited<ReturnType<typeof startBroker>>;
const PYTHON = process.env.MQ_PYTHON ?? '/usr/bin/python3';
const ISSUER = 'https://idp.example.test';

const PY_SCRIPT = `
import json, sys
from confluent_kafka import Producer, Consumer
a = json.loads(sys.stdin.read())
conf = {'bootstrap.servers': a['bootstrap'], 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanisms': 'OAUTHBEARER',
        'oauth_cb': lambda _config: (a['token'], a['exp'])}
delivered = []
p = Producer(dict(conf, **{'message.timeout.ms': 10000}))
for i in range(3):
    p.produce('oauth-jwt', value=('py%d' % i).encode(), on_delivery=lambda err, msg: delivered.append(err is None))
p.flush(15)
got = []
c = Consumer(dict(conf, **{'group.id': 'oauth-py', 'auto.offset.reset': 'earliest'}))
c.subscribe(['oauth-jwt'])
for _ in range(60):
    m = c.poll(1.0)
    if m is not None and m.error() is None and m.value().decode().startswith('py'):
        got.append(m.value().decode())
    if len(got) == 3:
        break
c.close()
print(json.dumps({'delivered': delivered, 'got': got}))
`;

async function saslError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
  return 'no error';
}

describe('OAUTHBEARER with signed JWTs against a JWKS', () => {
  let broker: Broker;
  let jwks: JwksServer;
  const keys = new TestSigningKeys();
  const extraKeys: object[] = [];
  const good = (sub: string, extra: Record<string, unknown> = {}) => claimsFor(sub, 3600, Date.now(), { iss: ISSUER, aud: 'mq', ...extra });
  const kafka = (token: () => string, clientId = 'oauth-jwt') =>
    new Kafka({
      clientId,
      brokers: [`127.0.0.1:${broker.port}`],
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: token() }) },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });

  beforeAll(async () => {
    jwks = await JwksServer.start(() => ({ keys: [...keys.jwks().keys, ...extraKeys] }));
    broker = await startBroker({
      config: { authorizerClassName: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', superUsers: 'User:admin', autoCreateTopicsEnable: false, connectionFailedAuthenticationDelayMs: 10 },
      security: {
        listeners: 'SASL_PLAINTEXT://127.0.0.1:0',
        saslEnabledMechanisms: ['OAUTHBEARER'],
        oauthBearer: { jwksEndpointUrl: jwks.url, expectedIssuer: ISSUER, expectedAudience: ['mq'] },
      },
    });
    const admin = kafka(() => keys.sign('RS256', good('admin'))).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'oauth-jwt' }] });
    await admin.createAcls({
      acl: [
        kafkajsAllow(Res.TOPIC, 'oauth-jwt', Op.WRITE, 'User:alice'),
        kafkajsAllow(Res.TOPIC, 'oauth-jwt', Op.READ, 'User:alice'),
        kafkajsAllow(Res.GROUP, 'oauth-', Op.READ, 'User:alice', Pattern.PREFIXED),
      ],
    });
    await admin.disconnect();
  });
  afterAll(async () => {
    await broker?.stop();
    await jwks?.close();
  });

  it('kafkajs as alice (RS256): produces and consumes under her ACLs', async () => {
    const k = kafka(() => keys.sign('RS256', good('alice')));
    const producer = k.producer();
    await producer.connect();
    await producer.send({ topic: 'oauth-jwt', messages: [{ value: 'a1' }, { value: 'a2' }] });
    await producer.disconnect();
    expect(await consumeValues(k.consumer({ groupId: 'oauth-alice', maxWaitTimeInMs: 200 }), 'oauth-jwt', 2)).toEqual(['a1', 'a2']);
  });

  it('kafkajs as bob (ES256, authenticated): the ACLs refuse him the topic', async () => {
    const producer = kafka(() => keys.sign('ES256', good('bob'))).producer();
    await producer.connect();
    expect(await saslError(producer.send({ topic: 'oauth-jwt', messages: [{ value: 'b1' }] }))).toMatch(/not authorized|TOPIC_AUTHORIZATION_FAILED/i);
    await producer.disconnect();
  });

  it('bad tokens are refused with SASL_AUTHENTICATION_FAILED and the reason; the broker keeps serving', async () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const cases: [string, RegExp][] = [
      [keys.sign('RS256', claimsFor('alice', -120, Date.now(), { iss: ISSUER, aud: 'mq' })), /the token expired at/],
      [keys.forged('RS256', good('alice')), /signature does not verify/],
      [keys.sign('HS256', good('alice', { aud: 'someone-else' })), /audience "someone-else" names none of mq/],
      [keys.sign('ES256', good('alice', { iss: 'https://evil.test' })), /issuer "https:\/\/evil.test"/],
      [unsecuredToken(good('alice')), /alg "none" is not one of/],
      [`${Buffer.from('{"alg":"ES256","kid":"es256"}').toString('base64url')}.${Buffer.from(JSON.stringify(good('alice'))).toString('base64url')}.${sign('sha256', Buffer.from('x'), { key: other.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`, /signature does not verify/],
      ['not-a-token', /not a compact JWS/],
    ];
    for (const [token, reason] of cases) {
      const admin = kafka(() => token).admin();
      const message = await saslError(admin.connect());
      expect(message).toMatch(/SASL OAUTHBEARER authentication failed/);
      expect(message).toMatch(reason);
      await admin.disconnect();
    }
    const ok = kafka(() => keys.sign('HS256', good('alice'))).admin();
    await ok.connect();
    expect((await ok.describeCluster()).brokers).toHaveLength(1);
    await ok.disconnect();
  });

  it('a token signed with a key added to the JWKS later: refused until the set is fetched again, which its unknown kid triggers', async () => {
    const rotated = generateKeyPairSync('rsa', { modulusLength: 2048 });
    extraKeys.push({ ...rotated.publicKey.export({ format: 'jwk' }), kid: 'rotated', alg: 'RS256' });
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'rotated' })).toString('base64url');
    const input = `${header}.${Buffer.from(JSON.stringify(good('alice'))).toString('base64url')}`;
    const token = `${input}.${sign('sha256', Buffer.from(input), rotated.privateKey).toString('base64url')}`;
    const fetchesBefore = jwks.fetches;
    let message = '';
    for (let attempt = 0; attempt < 50; attempt++) {
      const admin = kafka(() => token).admin();
      message = await saslError(admin.connect());
      await admin.disconnect();
      if (message === 'no error') break;
      expect(message).toMatch(/no key with kid "rotated"/);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(message).toBe('no error');
    expect(jwks.fetches).toBeGreaterThan(fetchesBefore);
  });

  it('a JWKS that cannot be read keeps the broker from starting, with the key and the reason', async () => {
    const security = (url: string) => ({ listeners: 'SASL_PLAINTEXT://127.0.0.1:0', saslEnabledMechanisms: ['OAUTHBEARER'], oauthBearer: { jwksEndpointUrl: url } });
    await expect(startBroker({ security: security('http://127.0.0.1:1/jwks.json') })).rejects.toThrow(/sasl\.oauthbearer\.jwks\.endpoint\.url: /);
    await expect(startBroker({ security: security('file:///nonexistent-dir.invalid/jwks.json') })).rejects.toThrow(/sasl\.oauthbearer\.jwks\.endpoint\.url: .*ENOENT/);
    await expect(startBroker({ security: security(`${jwks.url.replace('/jwks.json', '/missing')}`) })).rejects.toThrow(/answered HTTP 404/);
  });

  it('python3-confluent-kafka (oauth_cb, HS256) produces and consumes as alice', async () => {
    const claims = good('alice');
    const r = await run(PYTHON, ['-c', PY_SCRIPT], { timeoutMs: 120_000, input: JSON.stringify({ bootstrap: `127.0.0.1:${broker.port}`, token: keys.sign('HS256', claims), exp: claims.exp }) });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.toString('utf8').trim().split('\n').pop()!)).toEqual({ delivered: [true, true, true], got: ['py0', 'py1', 'py2'] });
  });
});
