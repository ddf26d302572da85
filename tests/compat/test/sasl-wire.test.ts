// SASL at the wire, from a raw socket: garbage tokens, a token without a handshake, an unknown
// mechanism, an oversized frame before authentication and requests before it never authenticate
// and never crash the broker; SaslHandshake v0 with a raw PLAIN token works (what old clients send);
// KIP-368: SaslAuthenticate v1 answers session_lifetime_ms, an expired session is closed on its
// next request and a re-authenticated one keeps serving (time moved by a ManualClock).
import { ApiKey, ErrorCode, decodeResponse, encodeRequest } from '@mq/protocol';
import { startBroker } from '@mq/broker';
import { ManualClock } from '@mq/timerwheel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawConnection } from '../src/raw-connection';
import { reauthenticationRun } from '../src/reauthentication';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const plainToken = (user: string, password: string) => Buffer.from(`\u0000${user}\u0000${password}`);
const handshake = (version: number, mechanism: string, id = 1) => encodeRequest(ApiKey.SaslHandshake, version, { correlationId: id, clientId: 'wire' }, { mechanism });
const authenticate = (version: number, authBytes: Buffer, id = 2) => encodeRequest(ApiKey.SaslAuthenticate, version, { correlationId: id, clientId: 'wire' }, { authBytes });
const metadata = (id: number) => encodeRequest(ApiKey.Metadata, 1, { correlationId: id, clientId: 'wire' }, { topics: null });

describe('SASL on the wire', () => {
  let broker: Broker;
  let port: number;

  beforeAll(async () => {
    broker = await startBroker({
      config: { saslServerMaxReceiveSize: 4096, connectionFailedAuthenticationDelayMs: 10 },
      security: { listeners: 'SASL_PLAINTEXT://127.0.0.1:0', plainUsers: { alice: 'alice-pw' } },
    });
    port = broker.port;
  });
  afterAll(async () => {
    await broker?.stop();
  });

  async function exchange(frames: Buffer[], want: number): Promise<{ frames: Buffer[]; closed: boolean }> {
    const c = await RawConnection.open('127.0.0.1', port);
    for (const f of frames) await c.write(f);
    const o = await c.outcome(10_000, want);
    // Give the broker the chance to close after its last answer.
    const closed = o.closedByBroker || (await c.outcome(2_000, want + 1)).closedByBroker;
    c.destroy();
    return { frames: o.frames, closed };
  }

  it('garbage PLAIN tokens fail with SASL_AUTHENTICATION_FAILED and close the connection', async () => {
    for (const token of [Buffer.from('garbage'), Buffer.alloc(0), Buffer.from([0, 0, 0, 0, 0xff]), plainToken('alice', 'wrong'), plainToken('', 'x'), Buffer.alloc(3000, 0)]) {
      const r = await exchange([handshake(1, 'PLAIN'), authenticate(1, token)], 2);
      expect(r.frames.length).toBe(2);
      expect(decodeResponse(ApiKey.SaslHandshake, 1, r.frames[0]!).body.errorCode).toBe(ErrorCode.NONE);
      const auth = decodeResponse(ApiKey.SaslAuthenticate, 1, r.frames[1]!).body;
      expect(auth.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
      expect(r.closed).toBe(true);
    }
  });

  it('a token without a handshake gets ILLEGAL_SASL_STATE; an unknown mechanism UNSUPPORTED_SASL_MECHANISM and the enabled ones; both close', async () => {
    const lone = await exchange([authenticate(0, plainToken('alice', 'alice-pw'))], 1);
    expect(decodeResponse(ApiKey.SaslAuthenticate, 0, lone.frames[0]!).body.errorCode).toBe(ErrorCode.ILLEGAL_SASL_STATE);
    expect(lone.closed).toBe(true);
    const gssapi = await exchange([handshake(1, 'GSSAPI')], 1);
    const body = decodeResponse(ApiKey.SaslHandshake, 1, gssapi.frames[0]!).body;
    expect(body.errorCode).toBe(ErrorCode.UNSUPPORTED_SASL_MECHANISM);
    expect(body.mechanisms).toEqual(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);
    expect(gssapi.closed).toBe(true);
  });

  it('requests other than ApiVersions and SASL before authentication, and frames past sasl.server.max.receive.size, close the connection unanswered', async () => {
    const early = await exchange([metadata(5)], 1);
    expect(early.frames).toEqual([]);
    expect(early.closed).toBe(true);
    const big = Buffer.alloc(8 + 10_000);
    big.writeInt32BE(10_004, 0);
    const oversize = await exchange([big], 1);
    expect(oversize.frames).toEqual([]);
    expect(oversize.closed).toBe(true);
  });

  it('SaslHandshake v0 then a raw PLAIN token (no Kafka header) authenticates; Metadata is served after', async () => {
    const size = Buffer.alloc(4);
    const token = plainToken('alice', 'alice-pw');
    size.writeInt32BE(token.length);
    const r = await exchange([handshake(0, 'PLAIN'), Buffer.concat([size, token]), metadata(3)], 3);
    expect(r.frames.length).toBe(3);
    expect(decodeResponse(ApiKey.SaslHandshake, 0, r.frames[0]!).body.errorCode).toBe(ErrorCode.NONE);
    expect(r.frames[1]!.length).toBe(0); // PLAIN's empty server token, size-prefixed
    expect(decodeResponse(ApiKey.Metadata, 1, r.frames[2]!).correlationId).toBe(3);
  });

  it('the broker still serves after all that', async () => {
    const r = await exchange([handshake(1, 'PLAIN'), authenticate(1, plainToken('alice', 'alice-pw')), metadata(9)], 3);
    expect(decodeResponse(ApiKey.SaslAuthenticate, 1, r.frames[1]!).body.errorCode).toBe(ErrorCode.NONE);
    expect(decodeResponse(ApiKey.Metadata, 1, r.frames[2]!).correlationId).toBe(9);
  });
});

describe('KIP-368 re-authentication (connections.max.reauth.ms)', () => {
  it('answers the session lifetime; an expired session is closed at its next request; re-authenticating keeps it', async () => {
    const clock = new ManualClock();
    await using broker = await startBroker({
      clock,
      config: { connectionsMaxReauthMs: 60_000 },
      security: { listeners: 'SASL_PLAINTEXT://127.0.0.1:0', plainUsers: { alice: 'alice-pw' } },
    });
    const login = async (c: RawConnection, base: number, want: number) => {
      await c.write(handshake(1, 'PLAIN', base));
      await c.write(authenticate(1, plainToken('alice', 'alice-pw'), base + 1));
      const o = await c.outcome(10_000, want);
      return decodeResponse(ApiKey.SaslAuthenticate, 1, o.frames[want - 1]!).body;
    };
    // Re-authenticated before expiry on the same connection: the session starts again.
    const run = await reauthenticationRun(clock, broker.port, login, 50_000, 20_000);
    expect([run.first.errorCode, run.first.sessionLifetimeMs, run.again.errorCode]).toEqual([ErrorCode.NONE, 60_000n, ErrorCode.NONE]);
    expect(run.renewed.frames.length).toBe(5);
    expect([run.expired.frames.length, run.expired.closedByBroker]).toEqual([2, true]);
  });
});

describe('AlterUserScramCredentials / DescribeUserScramCredentials on the wire', () => {
  it('applies Kafka’s checks per user and commits the rest; describes mechanisms and iterations only', async () => {
    await using broker = await startBroker();
    const c = await RawConnection.open('127.0.0.1', broker.port);
    const salted = (n: number) => Buffer.alloc(n, 7);
    const upsert = (name: string, mechanism: number, iterations: number, saltedPassword: Buffer, salt = Buffer.from('salt')) => ({ name, mechanism, iterations, salt, saltedPassword });
    await c.write(
      encodeRequest(ApiKey.AlterUserScramCredentials, 0, { correlationId: 1, clientId: 'wire' }, {
        deletions: [{ name: 'ghost', mechanism: 1 }],
        upsertions: [
          upsert('ok256', 1, 4096, salted(32)),
          upsert('ok512', 2, 8192, salted(64)),
          upsert('few', 1, 100, salted(32)),
          upsert('short', 2, 4096, salted(32)),
          upsert('nosalt', 1, 4096, salted(32), Buffer.alloc(0)),
          upsert('md5', 9, 4096, salted(32)),
          upsert('twice', 1, 4096, salted(32)),
          upsert('twice', 1, 4096, salted(32)),
          upsert('', 1, 4096, salted(32)),
        ],
      }),
    );
    const alter = decodeResponse(ApiKey.AlterUserScramCredentials, 0, (await c.outcome(10_000, 1)).frames[0]!).body;
    const byUser = Object.fromEntries(alter.results.map((r) => [r.user, r.errorCode]));
    expect(byUser).toEqual({
      ghost: ErrorCode.RESOURCE_NOT_FOUND,
      ok256: ErrorCode.NONE,
      ok512: ErrorCode.NONE,
      few: ErrorCode.UNACCEPTABLE_CREDENTIAL,
      short: ErrorCode.UNACCEPTABLE_CREDENTIAL,
      nosalt: ErrorCode.UNACCEPTABLE_CREDENTIAL,
      md5: ErrorCode.UNSUPPORTED_SASL_MECHANISM,
      twice: ErrorCode.DUPLICATE_RESOURCE,
      '': ErrorCode.UNACCEPTABLE_CREDENTIAL,
    });
    await c.write(encodeRequest(ApiKey.DescribeUserScramCredentials, 0, { correlationId: 2, clientId: 'wire' }, { users: null }));
    const all = decodeResponse(ApiKey.DescribeUserScramCredentials, 0, (await c.outcome(10_000, 2)).frames[1]!).body;
    expect(all.results).toEqual([
      { user: 'ok256', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 1, iterations: 4096 }] },
      { user: 'ok512', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 2, iterations: 8192 }] },
    ]);
    await c.write(encodeRequest(ApiKey.DescribeUserScramCredentials, 0, { correlationId: 3, clientId: 'wire' }, { users: [{ name: 'ok256' }, { name: 'few' }, { name: 'ok512' }, { name: 'ok512' }] }));
    const some = decodeResponse(ApiKey.DescribeUserScramCredentials, 0, (await c.outcome(10_000, 3)).frames[2]!).body;
    expect(some.results.map((r) => [r.user, r.errorCode])).toEqual([
      ['ok256', ErrorCode.NONE],
      ['few', ErrorCode.RESOURCE_NOT_FOUND],
      ['ok512', ErrorCode.DUPLICATE_RESOURCE],
    ]);
    c.destroy();
  });
});
