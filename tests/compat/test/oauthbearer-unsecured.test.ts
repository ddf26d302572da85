// SASL/OAUTHBEARER with Kafka's unsecured-JWS validator: kcat (librdkafka 2.0.2,
// enable.sasl.oauthbearer.unsecure.jwt with sasl.oauthbearer.config principal=...) produces and
// consumes as the token's principal, under ACLs a kafkajs admin (its own unsecured token, a super
// user) granted; a principal without ACLs is refused. At the wire: a bad token answers
// SASL_AUTHENTICATION_FAILED with Kafka's JSON error challenge (SaslAuthenticate) or the challenge then
// the failure on \x01 (SaslHandshake v0 raw tokens); KIP-368: the session ends at the token's exp and
// a re-authentication with a fresh token keeps the connection (time moved by a ManualClock).
import { startBroker } from '@mq/broker';
import { ApiKey, ErrorCode, decodeResponse, encodeRequest } from '@mq/protocol';
import { ManualClock } from '@mq/timerwheel';
import { AclOperationTypes as Op, AclResourceTypes as Res, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkajsAllow } from '../src/acl-binding';
import { run } from '../src/child-process';
import { KCAT, kcat } from '../src/kcat';
import { claimsFor, unsecuredToken } from '../src/oauthbearer-tokens';
import { RawConnection } from '../src/raw-connection';
import { reauthenticationRun } from '../src/reauthentication';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const clientMessage = (token: string) => Buffer.from(`n,,\u0001auth=Bearer ${token}\u0001\u0001`);
const handshake = (version: number, id = 1) => encodeRequest(ApiKey.SaslHandshake, version, { correlationId: id, clientId: 'wire' }, { mechanism: 'OAUTHBEARER' });
const authenticate = (authBytes: Buffer, id = 2) => encodeRequest(ApiKey.SaslAuthenticate, 1, { correlationId: id, clientId: 'wire' }, { authBytes });
const metadata = (id: number) => encodeRequest(ApiKey.Metadata, 1, { correlationId: id, clientId: 'wire' }, { topics: null });
const sized = (b: Buffer) => Buffer.concat([Buffer.from([b.length >>> 24, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255]), b]);

describe('OAUTHBEARER with unsecured tokens', () => {
  let broker: Broker;
  const kcatAs = (principal: string) => [
    '-b', `127.0.0.1:${broker.port}`,
    '-X', 'security.protocol=SASL_PLAINTEXT',
    '-X', 'sasl.mechanisms=OAUTHBEARER',
    '-X', 'enable.sasl.oauthbearer.unsecure.jwt=true',
    '-X', `sasl.oauthbearer.config=principal=${principal} scope=kafka`,
  ];

  beforeAll(async () => {
    broker = await startBroker({
      config: { authorizerClassName: 'org.apache.kafka.metadata.authorizer.StandardAuthorizer', superUsers: 'User:admin', autoCreateTopicsEnable: false, connectionFailedAuthenticationDelayMs: 10 },
      security: { listeners: 'SASL_PLAINTEXT://127.0.0.1:0', saslEnabledMechanisms: ['OAUTHBEARER'], oauthBearer: { validator: 'unsecured', requiredScope: ['kafka'] } },
    });
    const kafka = new Kafka({
      clientId: 'oauth-admin',
      brokers: [`127.0.0.1:${broker.port}`],
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: unsecuredToken(claimsFor('admin', 3600, Date.now(), { scope: 'kafka' })) }) },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'oauth-kcat' }] });
    await admin.createAcls({ acl: [Op.WRITE, Op.READ].map((operation) => kafkajsAllow(Res.TOPIC, 'oauth-kcat', operation, 'User:carol')) });
    await admin.disconnect();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('kcat produces and consumes as the token’s principal, which the ACLs allow', async () => {
    await kcat([...kcatAs('carol'), '-P', '-t', 'oauth-kcat', '-K', ':', '-X', 'request.required.acks=-1'], 120_000, 'a:1\nb:2\nc:3\n');
    const out = await kcat([...kcatAs('carol'), '-C', '-t', 'oauth-kcat', '-o', 'beginning', '-e', '-q', '-f', '%k=%s\n'], 120_000);
    expect(out.stdout.toString('utf8')).toBe('a=1\nb=2\nc=3\n');
  });

  it('kcat as a principal without ACLs is refused the topic; a token without the required scope is refused at login', async () => {
    const denied = await run(KCAT, [...kcatAs('dave'), '-P', '-t', 'oauth-kcat', '-X', 'request.required.acks=-1'], { timeoutMs: 60_000, input: 'x\n' });
    expect(denied.stderr).toMatch(/Topic authorization failed|TOPIC_AUTHORIZATION_FAILED/i);
    const noScope = await run(
      KCAT,
      ['-b', `127.0.0.1:${broker.port}`, '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=OAUTHBEARER', '-X', 'enable.sasl.oauthbearer.unsecure.jwt=true', '-X', 'sasl.oauthbearer.config=principal=carol', '-L', '-m', '5'],
      { timeoutMs: 60_000 },
    );
    expect(noScope.code).not.toBe(0);
    expect(noScope.stderr).toMatch(/SASL authentication error: OAUTHBEARER: the token's scope lacks kafka/);
  });

  /** The broker's first `want` answers, and (unless `awaitClose` is off) whether it then closed the connection. */
  async function exchange(frames: Buffer[], want: number, awaitClose = true): Promise<{ frames: Buffer[]; closed: boolean }> {
    const c = await RawConnection.open('127.0.0.1', broker.port);
    for (const f of frames) await c.write(f);
    const o = await c.outcome(10_000, want);
    const closed = o.closedByBroker || (awaitClose && (await c.outcome(5_000, want + 1)).closedByBroker);
    c.destroy();
    return { frames: o.frames, closed };
  }

  it('SaslAuthenticate: a bad token gets SASL_AUTHENTICATION_FAILED, the reason, Kafka’s JSON challenge, and the connection closes', async () => {
    const cases: [Buffer, RegExp, string][] = [
      [clientMessage(unsecuredToken(claimsFor('carol', -60, Date.now(), { scope: 'kafka' }))), /the token expired at /, '{"status":"invalid_token"}'],
      [clientMessage(unsecuredToken(claimsFor('carol', 60))), /scope lacks kafka/, '{"status":"insufficient_scope","scope":"kafka"}'],
      [clientMessage('a.b.c'), /not JSON/, '{"status":"invalid_token"}'],
      [Buffer.from('garbage'), /invalid client message/, ''],
      [Buffer.alloc(0), /invalid client message/, ''],
    ];
    for (const [token, reason, challenge] of cases) {
      const r = await exchange([handshake(1), authenticate(token)], 2);
      const body = decodeResponse(ApiKey.SaslAuthenticate, 1, r.frames[1]!).body;
      expect(body.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
      expect(body.errorMessage).toMatch(reason);
      expect(Buffer.from(body.authBytes).toString('utf8')).toBe(challenge);
      expect(r.closed).toBe(true);
    }
  });

  it('SaslHandshake v0 raw tokens: the JSON challenge, then the failure (the connection closes) on the client’s \\x01; a good token serves Metadata', async () => {
    const bad = await exchange([handshake(0), sized(clientMessage(unsecuredToken(claimsFor('carol', -60, Date.now(), { scope: 'kafka' })))), sized(Buffer.from([1]))], 2);
    expect(bad.frames[1]!.toString('utf8')).toBe('{"status":"invalid_token"}');
    expect(bad.frames.length).toBe(2);
    expect(bad.closed).toBe(true);
    const good = await exchange([handshake(0), sized(clientMessage(unsecuredToken(claimsFor('carol', 600, Date.now(), { scope: 'kafka' })))), metadata(3)], 3, false);
    expect(good.frames[1]!.length).toBe(0);
    expect(decodeResponse(ApiKey.Metadata, 1, good.frames[2]!).correlationId).toBe(3);
  });
});

describe('OAUTHBEARER KIP-368: the session lasts until the token’s exp', () => {
  it('answers the time left as session_lifetime_ms, closes at expiry, keeps a connection that re-authenticated', async () => {
    const clock = new ManualClock({ startMs: 1_000, wallMs: Date.now() });
    await using broker = await startBroker({
      clock,
      config: { connectionsMaxReauthMs: 3_600_000 },
      security: { listeners: 'SASL_PLAINTEXT://127.0.0.1:0', saslEnabledMechanisms: ['OAUTHBEARER'], oauthBearer: { validator: 'unsecured', clockSkewSeconds: 0 } },
    });
    const login = async (c: RawConnection, base: number, want: number) => {
      await c.write(handshake(1, base));
      await c.write(authenticate(clientMessage(unsecuredToken(claimsFor('erin', 30, clock.now()))), base + 1));
      const o = await c.outcome(10_000, want);
      return decodeResponse(ApiKey.SaslAuthenticate, 1, o.frames[want - 1]!).body;
    };
    const run = await reauthenticationRun(clock, broker.port, login, 20_000, 20_000);
    expect([run.first.errorCode, run.again.errorCode]).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    // exp is whole seconds: at most 30 s, shorter than connections.max.reauth.ms.
    expect(run.first.sessionLifetimeMs).toBeGreaterThan(28_000n);
    expect(run.first.sessionLifetimeMs).toBeLessThanOrEqual(30_000n);
    expect(run.renewed.frames.length).toBe(5);
    expect([run.expired.frames.length, run.expired.closedByBroker]).toEqual([2, true]);
  });
});
