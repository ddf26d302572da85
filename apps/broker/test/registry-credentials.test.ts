// The broker's own credentials on its HTTP requests to other brokers (registry-credentials.ts):
// confluent.bearer.auth.* parsed from the config table into startBroker's `security`, refused when a
// source lacks its keys (naming them, never the secret); which credential the listeners' methods
// accept; the client-credentials grant against a real token endpoint on loopback — one token request
// shared by concurrent callers, the token kept until 80% of its lifetime, fetched anew once refused,
// the endpoint's refusal an error naming it.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '@mq/timerwheel';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadBrokerOptions } from '../src/index';
import { ownAuthorization } from '../src/registry-credentials';

const quiet = { warn: () => undefined };

describe('confluent.bearer.auth.* keys', () => {
  it('become security options', async () => {
    const o = await loadBrokerOptions(
      [
        '--override', 'confluent.bearer.auth.credentials.source=OAUTHBEARER',
        '--override', 'confluent.bearer.auth.issuer.endpoint.url=https://idp.example.invalid/token',
        '--override', 'confluent.bearer.auth.client.id=mq-broker',
        '--override', 'confluent.bearer.auth.client.secret=s3cret',
        '--override', 'confluent.bearer.auth.scope=registry',
      ],
      {},
    );
    expect(o.security?.brokerBearer).toEqual({ source: 'OAUTHBEARER', issuerEndpointUrl: 'https://idp.example.invalid/token', clientId: 'mq-broker', clientSecret: 's3cret', scope: 'registry' });
    const s = await loadBrokerOptions(['--override', 'confluent.bearer.auth.credentials.source=STATIC_TOKEN', '--override', 'confluent.bearer.auth.token=abc.def.ghi'], {});
    expect(s.security?.brokerBearer).toEqual({ source: 'STATIC_TOKEN', token: 'abc.def.ghi' });
  });

  it('refuses a source without its keys, naming them and never the secret', async () => {
    await expect(loadBrokerOptions(['--override', 'confluent.bearer.auth.credentials.source=STATIC_TOKEN'], {})).rejects.toThrow(/needs confluent.bearer.auth.token/);
    const partial = loadBrokerOptions(['--override', 'confluent.bearer.auth.credentials.source=OAUTHBEARER', '--override', 'confluent.bearer.auth.client.secret=hunter2'], {});
    await expect(partial).rejects.toThrow(/needs confluent.bearer.auth.issuer.endpoint.url, confluent.bearer.auth.client.id$/);
    await expect(loadBrokerOptions(['--override', 'confluent.bearer.auth.credentials.source=OAUTHBEARER', '--override', 'confluent.bearer.auth.client.secret=hunter2'], {})).rejects.not.toThrow(/hunter2/);
    await expect(loadBrokerOptions(['--override', 'confluent.bearer.auth.token=abc'], {})).rejects.toThrow(ConfigError);
    await expect(loadBrokerOptions(['--override', 'confluent.bearer.auth.credentials.source=USER_INFO'], {})).rejects.toThrow(/confluent.bearer.auth.credentials.source/);
    await expect(loadBrokerOptions(['--override', 'confluent.bearer.auth.issuer.endpoint.url=idp'], {})).rejects.toThrow(/not an http\(s\) URL/);
  });
});

describe('ownAuthorization', () => {
  const clock = new ManualClock();
  const basicUser = { interBroker: { username: 'broker', password: 'pw' } };
  const token = { brokerBearer: { source: 'STATIC_TOKEN' as const, token: 't0k' } };

  it('is what the listeners accept: a bearer token under bearer, the inter-broker user under basic, nothing under mtls', async () => {
    expect(await ownAuthorization(['bearer'], { ...basicUser, ...token }, clock, quiet)?.header()).toBe('Bearer t0k');
    expect(await ownAuthorization(['basic', 'bearer'], basicUser, clock, quiet)?.header()).toBe(`Basic ${Buffer.from('broker:pw').toString('base64')}`);
    expect(ownAuthorization(['basic'], token, clock, quiet)).toBeUndefined();
    const warned: string[] = [];
    expect(ownAuthorization(['bearer'], basicUser, clock, { warn: (_o: object, msg?: string) => void warned.push(msg ?? '') })).toBeUndefined();
    expect(warned[0]).toMatch(/no credentials the HTTP listeners accept/);
    expect(ownAuthorization(['mtls'], undefined, clock, { warn: () => void warned.push('mtls') })).toBeUndefined();
    expect(warned.length).toBe(1);
  });

  describe('client credentials', () => {
    let server: Server | undefined;
    afterEach(() => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve()))));

    /** A token endpoint on loopback: `answer` decides each reply; the requests are kept. */
    async function endpoint(answer: (n: number) => { status: number; body: object }) {
      const requests: { authorization: string | undefined; form: string }[] = [];
      server = createServer((req, res) => {
        let form = '';
        req.on('data', (c: Buffer) => (form += c.toString()));
        req.on('end', () => {
          requests.push({ authorization: req.headers.authorization, form });
          const { status, body } = answer(requests.length);
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        });
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      return { requests, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token` };
    }

    it('asks once for concurrent callers, keeps the token until 80% of its lifetime, and again once refused', async () => {
      const clock = new ManualClock();
      const idp = await endpoint((n) => ({ status: 200, body: { access_token: `token-${n}`, token_type: 'Bearer', expires_in: 100 } }));
      const own = ownAuthorization(['bearer'], { brokerBearer: { source: 'OAUTHBEARER', issuerEndpointUrl: idp.url, clientId: 'mq broker', clientSecret: 's:cret', scope: 'registry read' } }, clock, quiet)!;
      expect(await Promise.all([own.header(), own.header(), own.header()])).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-1']);
      expect(idp.requests).toEqual([{ authorization: `Basic ${Buffer.from('mq%20broker:s%3Acret').toString('base64')}`, form: 'grant_type=client_credentials&scope=registry+read' }]);
      clock.advance(79_000);
      expect(await own.header()).toBe('Bearer token-1');
      clock.advance(1_000);
      expect(await own.header()).toBe('Bearer token-2');
      own.refused();
      expect(await own.header()).toBe('Bearer token-3');
      expect(idp.requests.length).toBe(3);
    });

    it('a refusal or a malformed answer of the token endpoint is an error naming it', async () => {
      const idp = await endpoint((n) => (n === 1 ? { status: 401, body: { error: 'invalid_client' } } : { status: 200, body: { token_type: 'Bearer' } }));
      const own = ownAuthorization(['bearer'], { brokerBearer: { source: 'OAUTHBEARER', issuerEndpointUrl: idp.url, clientId: 'c', clientSecret: 'hunter2' } }, clock, quiet)!;
      await expect(own.header()).rejects.toThrow(new RegExp(`token endpoint ${idp.url} answered 401: .*invalid_client`));
      await expect(own.header()).rejects.toThrow(/answered no access_token/);
      await expect(own.header()).rejects.not.toThrow(/hunter2/);
      const closed = ownAuthorization(['bearer'], { brokerBearer: { source: 'OAUTHBEARER', issuerEndpointUrl: 'http://127.0.0.1:1/token', clientId: 'c', clientSecret: 's' } }, clock, quiet)!;
      await expect(closed.header()).rejects.toThrow(/token endpoint http:\/\/127.0.0.1:1\/token: .*ECONNREFUSED/);
    });
  });
});
