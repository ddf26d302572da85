// The HTTP ACL table covers every admin API route and stream (the OpenAPI document lists them all:
// its own test checks that against the router), so none falls through to "ALTER on the cluster" by
// accident; and the http.* security keys load, and refuse what cannot work, with the key named.
import { OPENAPI_PATHS } from '@mq/admin-api';
import { describe, expect, it } from 'vitest';
import { HTTP_ACL_RULES, HTTP_ACL_STREAM_RULES, registryRule } from '../src/http-acl-rules';
import { ConfigError, loadBrokerOptions, startBroker } from '../src/index';

describe('HTTP ACL rules', () => {
  it('has a rule for every documented route and stream', () => {
    const missing: string[] = [];
    let covered = 0;
    for (const [path, ops] of Object.entries(OPENAPI_PATHS)) {
      const pattern = path.replace(/\{(\w+)\}/g, ':$1');
      for (const [method, op] of Object.entries(ops)) {
        const ws = (op as { 'x-websocket'?: unknown })['x-websocket'] !== undefined;
        const key = ws ? pattern : `${method.toUpperCase()} ${pattern}`;
        if (!(ws ? HTTP_ACL_STREAM_RULES : HTTP_ACL_RULES).has(key)) missing.push(key);
        else covered++;
      }
    }
    expect(missing).toEqual([]);
    expect(covered).toBeGreaterThan(25);
  });

  it('maps schema registry reads to DESCRIBE and changes to ALTER / ALTER_CONFIGS on the cluster', () => {
    const op = (method: string, path: string) => {
      const asked: string[] = [];
      const authz = { cluster: (o: number) => asked.push(String(o)) };
      registryRule(method, path).check?.(authz as never, {}, undefined as never);
      return asked;
    };
    // AclOperation codes: DESCRIBE 8, ALTER 7, ALTER_CONFIGS 11.
    expect(op('GET', '/subjects')).toEqual(['8']);
    expect(op('POST', '/subjects/:subject')).toEqual(['8']);
    expect(op('POST', '/compatibility/subjects/:subject/versions')).toEqual(['8']);
    expect(op('POST', '/subjects/:subject/versions')).toEqual(['7']);
    expect(op('DELETE', '/subjects/:subject')).toEqual(['7']);
    expect(op('PUT', '/config/:subject')).toEqual(['11']);
    expect(op('PUT', '/mode')).toEqual(['11']);
    // The context prefix form of a route has the route's rule.
    expect(op('POST', '/contexts/:contextPrefix/subjects/:subject')).toEqual(['8']);
    expect(op('POST', '/contexts/:contextPrefix/compatibility/subjects/:subject/versions')).toEqual(['8']);
    expect(op('POST', '/contexts/:contextPrefix/subjects/:subject/versions')).toEqual(['7']);
    expect(op('PUT', '/contexts/:contextPrefix/config')).toEqual(['11']);
  });
});

describe('http.* security keys', () => {
  it('load from flags and env into startBroker options', async () => {
    const opts = await loadBrokerOptions(['--http-port', '0', '--http-authentication-methods', 'basic,mtls'], { MQ_HTTP_SSL_ENABLED: 'true', MQ_HTTP_SSL_CLIENT_AUTH: 'required' });
    expect(opts.http).toEqual({ port: 0, authentication: ['basic', 'mtls'], ssl: { clientAuth: 'required' } });
    expect((await loadBrokerOptions(['--http-port', '0'], {})).http).toEqual({ port: 0 });
    expect((await loadBrokerOptions(['--http-port', '0', '--override', 'http.authentication.methods=none'], {})).http).toEqual({ port: 0 });
  });

  it('refuse what cannot work', async () => {
    for (const [argv, message] of [
      [['--http-port', '0', '--http-authentication-methods', 'digest'], /http authentication methods: "digest" is not a list of none, basic, bearer, mtls/],
      [['--http-port', '0', '--http-authentication-methods', 'mtls'], /mtls needs http\.ssl\.enabled=true and http\.ssl\.client\.auth/],
      [['--http-port', '0', '--http-ssl-client-auth', 'required'], /set http\.ssl\.enabled=true too/],
      [['--http-authentication-methods', 'basic'], /set http\.port/],
    ] as const) {
      await expect(loadBrokerOptions(argv, {}), argv.join(' ')).rejects.toThrow(message);
    }
    await expect(startBroker({ http: { port: 0, authentication: ['mtls'] } })).rejects.toThrow(ConfigError);
    // HTTPS without key material is refused before anything is bound.
    await expect(startBroker({ http: { port: 0, ssl: {} } })).rejects.toThrow(/ssl\.keystore\.location/);
  });
});
