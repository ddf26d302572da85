// SASL on every connection against a real in-process broker with SASL_PLAINTEXT and PLAINTEXT
// listeners: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER (unsecured JWS tokens) produce and
// consume (the consumer's fetch connection authenticates on its own); a wrong password, a mechanism
// the listener does not enable, SASL towards a PLAINTEXT listener, no SASL towards a SASL listener
// and a bad option each fail with
// their typed error and no secret in the message; a token provider is asked again at each KIP-368
// re-authentication and the same connection keeps serving; a fixed token that expires ends in
// SASL_AUTHENTICATION_FAILED.
import { startBroker, type RunningBroker } from '@mq/broker';
import { ErrorCode } from '@mq/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectionError,
  IllegalSaslStateError,
  ListenerClosedError,
  InvalidArgumentError,
  MqClient,
  SaslAuthenticationFailedError,
  type SaslOptions,
  UnsupportedSaslMechanismError,
} from '../src/index';
import { pollUntil, topicName } from './helpers';

const PASSWORDS = { alice: 'alice-plain-secret', bob: 'bob-scram256-secret', carol: 'carol-scram512-secret' };
const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** Kafka's unsecured JWS (alg none), valid for `lifetimeSeconds` from now. */
const unsecuredToken = (sub: string, lifetimeSeconds: number) => {
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none' })}.${b64({ sub, iat: now, exp: now + lifetimeSeconds })}.`;
};

function startSaslBroker(config: { connectionsMaxReauthMs?: number } = {}): Promise<RunningBroker> {
  return startBroker({
    config: { connectionFailedAuthenticationDelayMs: 10, ...config },
    security: {
      listeners: 'SASL_PLAINTEXT://127.0.0.1:0,PLAINTEXT://127.0.0.1:0',
      saslEnabledMechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'],
      plainUsers: { alice: PASSWORDS.alice },
      scramUsers: [
        { name: 'bob', mechanism: 'SCRAM-SHA-256', password: PASSWORDS.bob },
        { name: 'carol', mechanism: 'SCRAM-SHA-512', password: PASSWORDS.carol },
      ],
      oauthBearer: { validator: 'unsecured', clockSkewSeconds: 0 },
    },
  });
}

const saslPort = (b: RunningBroker) => b.listeners.find((l) => l.name === 'SASL_PLAINTEXT')!.port;
const plainPort = (b: RunningBroker) => b.listeners.find((l) => l.name === 'PLAINTEXT')!.port;

/** The client's failure of its first request (no retries: every refusal here is final anyway). */
async function firstError(bootstrap: string, sasl: SaslOptions | undefined): Promise<unknown> {
  const client = new MqClient({ bootstrapServers: bootstrap, clientId: 'sasl-test', retry: { retries: 0 }, ...(sasl !== undefined ? { sasl } : {}) });
  try {
    await client.admin().listTopics();
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await client.close();
  }
}

describe('SASL', () => {
  let broker: RunningBroker;
  let bootstrap: string;
  beforeAll(async () => {
    broker = await startSaslBroker();
    bootstrap = `127.0.0.1:${saslPort(broker)}`;
  });
  afterAll(async () => {
    await broker?.stop();
  });

  const cases: [string, SaslOptions][] = [
    ['PLAIN', { mechanism: 'PLAIN', username: 'alice', password: PASSWORDS.alice }],
    ['SCRAM-SHA-256', { mechanism: 'SCRAM-SHA-256', username: 'bob', password: PASSWORDS.bob }],
    ['SCRAM-SHA-512', { mechanism: 'SCRAM-SHA-512', username: 'carol', password: PASSWORDS.carol }],
    ['OAUTHBEARER with a token', { mechanism: 'OAUTHBEARER', token: unsecuredToken('dave', 3600) }],
    ['OAUTHBEARER with a token provider', { mechanism: 'OAUTHBEARER', token: async () => unsecuredToken('erin', 3600) }],
  ];
  it.each(cases)('%s: produces and consumes on authenticated connections', async (_name, sasl) => {
    const client = new MqClient({ bootstrapServers: bootstrap, clientId: 'sasl-test', sasl });
    try {
      const topic = topicName('sasl');
      await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
      await client.producer().send({ topic, messages: [{ key: 'k', value: 'v1' }, { value: 'v2' }] });
      const consumer = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 });
      consumer.assign([{ topic, partition: 0 }]);
      const records = await pollUntil(() => consumer.poll(), 2);
      expect(records.map((r) => r.value?.toString())).toEqual(['v1', 'v2']);
      await consumer.close();
    } finally {
      await client.close();
    }
  });

  it('a wrong password is SASL_AUTHENTICATION_FAILED, not retried, and never echoed', async () => {
    for (const mechanism of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
      const err = await firstError(bootstrap, { mechanism, username: mechanism === 'PLAIN' ? 'alice' : 'bob', password: 'not-the-password-7' });
      expect(err).toBeInstanceOf(SaslAuthenticationFailedError);
      expect((err as SaslAuthenticationFailedError).errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
      expect((err as Error).message).toMatch(new RegExp(`SASL ${mechanism} authentication to 127.0.0.1:\\d+ failed`));
      expect((err as Error).message).not.toContain('not-the-password-7');
    }
    // A retrying client gives up at once too: the refusal is not retriable.
    const retrying = new MqClient({ bootstrapServers: bootstrap, sasl: { mechanism: 'PLAIN', username: 'alice', password: 'nope' } });
    await expect(retrying.admin().listTopics()).rejects.toBeInstanceOf(SaslAuthenticationFailedError);
    await retrying.close();
  });

  it('a refused OAUTHBEARER token fails with the broker reason', async () => {
    const err = await firstError(bootstrap, { mechanism: 'OAUTHBEARER', token: unsecuredToken('dave', -60) });
    expect(err).toBeInstanceOf(SaslAuthenticationFailedError);
    expect((err as Error).message).toMatch(/OAUTHBEARER authentication to .* failed: .*expired/);
  });

  it('a mechanism the listener does not enable is UNSUPPORTED_SASL_MECHANISM naming the enabled ones', async () => {
    const b = await startBroker({
      security: { listeners: 'SASL_PLAINTEXT://127.0.0.1:0', saslEnabledMechanisms: ['SCRAM-SHA-512'], scramUsers: [{ name: 'carol', mechanism: 'SCRAM-SHA-512', password: PASSWORDS.carol }] },
    });
    try {
      const err = await firstError(`127.0.0.1:${saslPort(b)}`, { mechanism: 'PLAIN', username: 'alice', password: PASSWORDS.alice });
      expect(err).toBeInstanceOf(UnsupportedSaslMechanismError);
      expect((err as Error).message).toMatch(/does not enable SASL PLAIN \(it enables SCRAM-SHA-512\)/);
    } finally {
      await b.stop();
    }
  });

  it('SASL towards a PLAINTEXT listener is ILLEGAL_SASL_STATE; an unknown mechanism or a missing credential is refused before connecting', async () => {
    const err = await firstError(`127.0.0.1:${plainPort(broker)}`, { mechanism: 'SCRAM-SHA-512', username: 'carol', password: PASSWORDS.carol });
    expect(err).toBeInstanceOf(IllegalSaslStateError);
    expect((err as Error).message).toMatch(/this listener does not use SASL/);
    const bad = [
      { mechanism: 'GSSAPI', username: 'u', password: 'p' },
      { mechanism: 'PLAIN', password: 'p' },
      { mechanism: 'OAUTHBEARER' },
    ] as unknown as SaslOptions[];
    for (const sasl of bad) expect(() => new MqClient({ bootstrapServers: bootstrap, sasl })).toThrow(InvalidArgumentError);
    expect(() => new MqClient({ bootstrapServers: bootstrap, sasl: bad[0]! })).toThrow(/sasl.mechanism must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, not GSSAPI/);
  });

  it('no SASL towards a SASL listener: the broker closes at the first request after ApiVersions, and the error names the sasl option', async () => {
    const err = await firstError(bootstrap, undefined);
    expect(err).toBeInstanceOf(ListenerClosedError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/closed by the broker at its first request, Metadata: a listener that requires SASL .*\(the sasl option\)/);
    // The same request on the PLAINTEXT listener is answered: the close was the listener's, not the broker's.
    expect(await firstError(`127.0.0.1:${plainPort(broker)}`, undefined)).toBeUndefined();
  });
});

describe('SASL re-authentication (KIP-368)', () => {
  let broker: RunningBroker;
  beforeAll(async () => {
    broker = await startSaslBroker({ connectionsMaxReauthMs: 1000 });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('re-authenticates the same connection within each session lifetime, with a fresh token from the provider', async () => {
    let tokens = 0;
    const client = new MqClient({
      bootstrapServers: `127.0.0.1:${saslPort(broker)}`,
      sasl: {
        mechanism: 'OAUTHBEARER',
        token: () => {
          tokens++;
          return unsecuredToken('frank', 60);
        },
      },
    });
    try {
      const topic = topicName('reauth');
      await client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
      const producer = client.producer();
      await producer.send({ topic, messages: [{ value: 'first' }] });
      const nodeId = [...(await client.cluster.metadata()).brokers.keys()][0]!;
      const conn = client.cluster.openConnection(nodeId);
      expect(conn).toBeDefined();
      const before = tokens;
      // Three more sessions' worth of re-authentications, each on this connection: the broker would
      // close it at the first lifetime that passed without one.
      while (tokens < before + 3) {
        await producer.send({ topic, messages: [{ value: `at-${tokens}` }] });
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(client.cluster.openConnection(nodeId)).toBe(conn);
      expect(conn!.closed).toBe(false);
    } finally {
      await client.close();
    }
  });

  it('a fixed token that expires ends the session: the reconnect is refused SASL_AUTHENTICATION_FAILED', async () => {
    const client = new MqClient({ bootstrapServers: `127.0.0.1:${saslPort(broker)}`, retry: { retries: 0 }, sasl: { mechanism: 'OAUTHBEARER', token: unsecuredToken('grace', 2) } });
    try {
      await client.admin().listTopics();
      let err: unknown;
      while (err === undefined || !(err instanceof SaslAuthenticationFailedError)) {
        err = await client.admin().listTopics().then(() => undefined, (e: unknown) => e);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect((err as Error).message).toMatch(/expired/);
    } finally {
      await client.close();
    }
  });
});
