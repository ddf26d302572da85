// The inter-broker security keys: security.inter.broker.protocol / inter.broker.listener.name,
// sasl.mechanism.inter.broker.protocol with inter.broker.sasl.username / password, mq.sasl.bootstrap.users
// and ssl.endpoint.identification.algorithm parsed from the one config table into startBroker's
// `security`, and refused (naming the key, never a password) when they cannot work.
import type { ListenerConfig } from '@mq/server';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadBrokerOptions } from '../src/index';
import { parseBootstrapUsers } from '../src/broker-security';
import { checkInterBrokerMechanism, interBrokerListenerName, interBrokerSecurity } from '../src/inter-broker';

const tls = { key: 'k', cert: 'c', ca: 'ca' };
const listeners: ListenerConfig[] = [
  { name: 'CLIENT', securityProtocol: 'SASL_SSL', host: '127.0.0.1', port: 0, tls },
  { name: 'REPLICATION', securityProtocol: 'SASL_SSL', host: '127.0.0.1', port: 0, tls },
  { name: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 0 },
];

describe('inter-broker security keys', () => {
  it('become security options', async () => {
    const o = await loadBrokerOptions(
      [
        '--override', 'listeners=CLIENT://127.0.0.1:0,REPLICATION://127.0.0.1:0',
        '--override', 'listener.security.protocol.map=CLIENT:SASL_SSL,REPLICATION:SASL_SSL',
        '--override', 'ssl.keystore.location=/k.pem',
        '--override', 'inter.broker.listener.name=replication',
        '--override', 'sasl.mechanism.inter.broker.protocol=scram-sha-256',
        '--override', 'inter.broker.sasl.username=broker',
        '--override', 'inter.broker.sasl.password=s3cret:with:colons',
        '--override', 'mq.sasl.bootstrap.users=broker:SCRAM-SHA-256:pw:with:colons, carol:scram-sha-512:c',
        '--override', 'ssl.endpoint.identification.algorithm=',
      ],
      {},
    );
    expect(o.security?.interBrokerListenerName).toBe('replication');
    expect(o.security?.interBroker).toEqual({ mechanism: 'SCRAM-SHA-256', username: 'broker', password: 's3cret:with:colons' });
    expect(o.security?.scramUsers).toEqual([
      { name: 'broker', mechanism: 'SCRAM-SHA-256', password: 'pw:with:colons' },
      { name: 'carol', mechanism: 'SCRAM-SHA-512', password: 'c' },
    ]);
    expect(o.security?.ssl?.endpointIdentificationAlgorithm).toBe('');
  });

  it('refuses values that cannot work, naming the key and never the password', async () => {
    await expect(loadBrokerOptions(['--override', 'sasl.mechanism.inter.broker.protocol=GSSAPI'], {})).rejects.toThrow(/sasl.mechanism.inter.broker.protocol/);
    await expect(loadBrokerOptions(['--override', 'security.inter.broker.protocol=TLS'], {})).rejects.toThrow(/security.inter.broker.protocol/);
    await expect(loadBrokerOptions(['--override', 'ssl.endpoint.identification.algorithm=none'], {})).rejects.toThrow(ConfigError);
    const bad = loadBrokerOptions(['--override', 'mq.sasl.bootstrap.users=carol:SCRAM-SHA-1:hunter2'], {});
    await expect(bad).rejects.toThrow(/carol: SCRAM-SHA-1 is not/);
    await expect(loadBrokerOptions(['--override', 'mq.sasl.bootstrap.users=carol:SCRAM-SHA-1:hunter2'], {})).rejects.not.toThrow(/hunter2/);
    expect(() => parseBootstrapUsers('carol-hunter2')).toThrow(/not user:MECHANISM:password/);
    expect(() => parseBootstrapUsers('carol-hunter2')).not.toThrow(/hunter2/);
  });

  it('picks the inter-broker listener by name or by protocol, not both', () => {
    expect(interBrokerListenerName(undefined, listeners)).toBe('CLIENT');
    expect(interBrokerListenerName({ interBrokerListenerName: 'replication' }, listeners)).toBe('REPLICATION');
    expect(interBrokerListenerName({ securityInterBrokerProtocol: 'PLAINTEXT' }, listeners)).toBe('PLAINTEXT');
    expect(() => interBrokerListenerName({ interBrokerListenerName: 'CLIENT', securityInterBrokerProtocol: 'SASL_SSL' }, listeners)).toThrow(/not both/);
    expect(() => interBrokerListenerName({ securityInterBrokerProtocol: 'SSL' }, listeners)).toThrow(/security.inter.broker.protocol: SSL is not one of listeners/);
  });

  it('a SASL inter-broker listener needs the broker’s credentials and an enabled mechanism', () => {
    const sec = { interBrokerListenerName: 'REPLICATION', interBroker: { username: 'broker', password: 'pw' } };
    const ib = interBrokerSecurity(sec, listeners);
    expect(ib?.tls?.ca).toBe('ca');
    expect(ib?.sasl?.().mechanism).toBe('SCRAM-SHA-512');
    expect(interBrokerSecurity({ securityInterBrokerProtocol: 'PLAINTEXT' }, listeners)).toBeUndefined();
    expect(() => interBrokerSecurity({ interBrokerListenerName: 'REPLICATION' }, listeners)).toThrow(/set inter.broker.sasl.username and inter.broker.sasl.password/);
    expect(() => checkInterBrokerMechanism(sec, listeners, ['PLAIN'])).toThrow(/SCRAM-SHA-512 is not in sasl.enabled.mechanisms \(PLAIN\)/);
    expect(() => checkInterBrokerMechanism(sec, listeners, ['PLAIN', 'SCRAM-SHA-512'])).not.toThrow();
    expect(() => checkInterBrokerMechanism({ securityInterBrokerProtocol: 'PLAINTEXT' }, listeners, [])).not.toThrow();
  });
});
