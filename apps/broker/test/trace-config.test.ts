// The trace.* keys: read from flags / env / file through the one config table into startBroker's
// `trace` options, refused with a ConfigError naming the key, and reported by DescribeConfigs.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BROKER_CONFIG } from '@mq/server';
import { DEFAULT_GROUP_COORDINATOR_CONFIG } from '@mq/groups';
import { ConfigError, loadBrokerOptions, startBroker } from '../src/index';
import { describeBrokerKeys } from '../src/describe-broker-config';

describe('trace config', () => {
  it('parses every trace key, from flags and env, into typed options', async () => {
    const opts = await loadBrokerOptions(
      ['--override', 'trace.sampling=0.01', '--override', 'trace.ring.size=500', '--override', 'trace.otlp.endpoint=http://127.0.0.1:4318/v1/traces'],
      { MQ_TRACE_DIR: '/var/lib/mq/traces', MQ_TRACE_RETENTION_MS: '60000', MQ_TRACE_RETENTION_BYTES: '1048576', MQ_TRACE_FILE_BYTES: '65536' },
    );
    expect(opts.trace).toEqual({
      sampling: '0.01',
      ringSize: 500,
      otlpEndpoint: 'http://127.0.0.1:4318/v1/traces',
      dir: '/var/lib/mq/traces',
      retentionMs: 60_000,
      retentionBytes: 1_048_576,
      fileBytes: 65_536,
    });
    expect((await loadBrokerOptions([], {})).trace).toBeUndefined();
  });

  it('refuses bad values with the key named', async () => {
    for (const [setting, message] of [
      ['trace.sampling=sometimes', /trace\.sampling: .*"sometimes" is not always, off or a ratio/],
      ['trace.sampling=1.5', /trace\.sampling/],
      ['trace.ring.size=0', /trace\.ring\.size/],
      ['trace.otlp.endpoint=ftp://collector', /trace\.otlp\.endpoint: not an http\(s\) URL/],
      ['trace.otlp.endpoint=not a url', /trace\.otlp\.endpoint: not a URL/],
      ['trace.file.bytes=12', /trace\.file\.bytes/],
    ] as const) {
      const err = await loadBrokerOptions(['--override', setting], {}).catch((e: unknown) => e);
      expect(err, setting).toBeInstanceOf(ConfigError);
      expect((err as Error).message, setting).toMatch(message);
    }
    await expect(startBroker({ trace: { sampling: 'often' } })).rejects.toThrow(ConfigError);
  });

  it('DescribeConfigs reports each trace key: its default, or the value given', () => {
    const entries = describeBrokerKeys({
      config: DEFAULT_BROKER_CONFIG,
      groups: DEFAULT_GROUP_COORDINATOR_CONFIG,
      app: {},
      settings: { 'trace.sampling': { source: 'flag', value: '0.25' } },
      trace: { sampling: '0.25' },
    });
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get('trace.sampling')).toMatchObject({ value: '0.25', isDefault: false, readOnly: true });
    expect(byName.get('trace.ring.size')).toMatchObject({ value: '10000', isDefault: true });
    expect(byName.has('trace.otlp.endpoint')).toBe(false); // unset and no default
  });
});
