// The spawned `mq` CLI against a real broker whose HTTP API takes only bearer tokens
// (http.authentication.methods=bearer), checked by the OAUTHBEARER validator against a JWKS a
// loopback HTTP server serves. The token comes from --bearer-token, $MQ_BEARER_TOKEN or a profile's
// bearer-token and reaches every HTTP command (schemas, delayed, trace). Bad input: forged, expired,
// malformed and missing tokens exit 1 with one line saying why, never echoing the token; a token that
// is not a header value, or one beside URL credentials, is a usage error (exit 2).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mq } from '../src/mq-cli';
import { JwksServer, TestSigningKeys, claimsFor } from '../src/oauthbearer-tokens';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;
const ISSUER = 'https://idp.example.test';

describe('mq CLI with a bearer token for the HTTP API', () => {
  let broker: Broker;
  let jwks: JwksServer;
  let dir: string;
  let http: string;
  let schemaFile: string;
  const keys = new TestSigningKeys();
  const token = (sub: string, lifetime = 3600, now = Date.now()) => keys.sign('RS256', claimsFor(sub, lifetime, now, { iss: ISSUER, aud: 'mq' }));
  // Every run gets its own config file path: the developer's ~/.config/mq never leaks in.
  const cli = (args: string[], env: Record<string, string> = {}) => mq(args, { env: { MQ_CLI_CONFIG: join(dir, 'none.yaml'), ...env } });
  const oneLine = (stderr: string) => {
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    return stderr.trim();
  };

  beforeAll(async () => {
    dir = await makeTempDir('cli-bearer');
    schemaFile = join(dir, 'order.avsc');
    await writeFile(schemaFile, JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }] }));
    jwks = await JwksServer.start(() => keys.jwks());
    broker = await startBroker({
      config: { authorizerClassName: 'mq.acl.StandardAuthorizer', superUsers: 'User:ANONYMOUS;User:admin', connectionFailedAuthenticationDelayMs: 10 },
      security: { oauthBearer: { jwksEndpointUrl: jwks.url, expectedIssuer: ISSUER, expectedAudience: ['mq'] } },
      http: { port: 0, authentication: ['bearer'] },
    });
    http = `http://127.0.0.1:${broker.http!.port}`;
  }, 60_000);

  afterAll(async () => {
    await broker?.stop();
    await jwks?.close();
    await removeDir(dir);
  });

  it('a good token from --bearer-token registers and lists schemas; from MQ_BEARER_TOKEN it reads the delay store', async () => {
    const admin = token('admin');
    const registered = await cli(['--bearer-token', admin, 'schemas', '--schema-registry', http, 'register', 'orders-value', '-f', schemaFile, '-o', 'json']);
    expect(registered.stderr).toBe('');
    expect(registered.code).toBe(0);
    expect(JSON.parse(registered.stdout)).toMatchObject([{ subject: 'orders-value', id: expect.any(Number) }]);
    const listed = await cli(['schemas', '--schema-registry', http, 'list', '-o', 'json'], { MQ_BEARER_TOKEN: admin });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ subject: 'orders-value' }]);
    const delayed = await cli(['delayed', 'list', '--http', http, '-o', 'json'], { MQ_BEARER_TOKEN: admin });
    expect(delayed.stderr).toBe('');
    expect(delayed.code).toBe(0);
    expect(JSON.parse(delayed.stdout)).toEqual({ pending: 0, messages: [] });
    // The flag beats the environment: a forged token in the env is never sent.
    const both = await cli(['--bearer-token', admin, 'schemas', '--schema-registry', http, 'list'], { MQ_BEARER_TOKEN: keys.forged('RS256', claimsFor('admin', 3600)) });
    expect(both.code).toBe(0);
  });

  it("takes the token from a profile's bearer-token and never prints it back", async () => {
    const admin = token('admin');
    const env = { MQ_CLI_CONFIG: join(dir, 'profiles.yaml') };
    const created = await cli(['profile', 'create', 'secure', '--brokers', `127.0.0.1:${broker.port}`, '--schema-registry', http, '--bearer-token', admin, '--use'], env);
    expect(created.code).toBe(0);
    const listed = await cli(['schemas', 'list', '-o', 'json'], env);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ subject: 'orders-value' }]);
    for (const args of [['profile', 'show', '-o', 'json'], ['profile', 'list', '-o', 'json']]) {
      const shown = await cli(args, env);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('REDACTED');
      expect(shown.stdout).not.toContain(admin);
    }
  });

  it('forged, expired, malformed and missing tokens exit 1 with one line saying why; the token is never echoed', async () => {
    const forged = keys.forged('RS256', claimsFor('admin', 3600, Date.now(), { iss: ISSUER, aud: 'mq' }));
    const expired = token('admin', 60, Date.now() - 3_600_000);
    const cases: [string, string | undefined, RegExp][] = [
      ['forged', forged, /^error: authentication failed: bearer token refused: .*signature.*\(HTTP 401, error_code 401\)$/],
      ['expired', expired, /^error: authentication failed: bearer token refused: .*expired.*\(HTTP 401, error_code 401\)$/],
      ['malformed', 'not-a-jwt', /^error: authentication failed: bearer token refused: .*not a compact JWS.*\(HTTP 401, error_code 401\)$/],
      ['missing', undefined, /^error: authentication required: a bearer token \(HTTP 401, error_code 401\)$/],
    ];
    for (const [what, bad, message] of cases) {
      const r = await cli([...(bad === undefined ? [] : ['--bearer-token', bad]), 'schemas', '--schema-registry', http, 'list']);
      expect(r.code, what).toBe(1);
      expect(r.stdout, what).toBe('');
      expect(oneLine(r.stderr), what).toMatch(message);
      if (bad !== undefined) expect(r.stderr, what).not.toContain(bad);
    }
    const delayed = await cli(['delayed', 'list', '--http', http], { MQ_BEARER_TOKEN: forged });
    expect(delayed.code).toBe(1);
    expect(oneLine(delayed.stderr)).toMatch(/^error: authentication failed: bearer token refused: .*\(HTTP 401\)$/);
    const trace = await cli(['--bearer-token', expired, 'trace', '0123456789abcdef0123456789abcdef', '--http-url', http]);
    expect(trace.code).toBe(1);
    expect(oneLine(trace.stderr)).toMatch(/^error: authentication failed: bearer token refused: .*expired/);
    // A principal the token proves but no ACL allows: 403, still one line.
    const bob = await cli(['--bearer-token', token('bob'), 'schemas', '--schema-registry', http, 'list']);
    expect(bob.code).toBe(1);
    expect(oneLine(bob.stderr)).toMatch(/^error: .*User:bob.*\(HTTP 403/);
  });

  it('a token that is no header value, or one beside URL credentials, is a usage error (exit 2)', async () => {
    const spaced = await cli(['--bearer-token', 'two words', 'schemas', '--schema-registry', http, 'list']);
    expect(spaced.code).toBe(2);
    expect(oneLine(spaced.stderr)).toBe('error: --bearer-token: a bearer token is non-empty printable ASCII without spaces or newlines');
    const withUser = `http://admin:pw@127.0.0.1:${broker.http!.port}`;
    for (const args of [['schemas', '--schema-registry', withUser, 'list'], ['delayed', 'list', '--http', withUser]]) {
      const r = await cli(['--bearer-token', token('admin'), ...args]);
      expect(r.code, args[0]).toBe(2);
      expect(oneLine(r.stderr), args[0]).toMatch(/Basic credentials .* or a bearer token, not both/);
      expect(r.stderr).not.toContain('pw');
    }
    // The broker kept serving through all of it.
    expect((await cli(['--bearer-token', token('admin'), 'schemas', '--schema-registry', http, 'list'])).code).toBe(0);
  });
});
