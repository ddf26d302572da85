// The inter-broker listener and how this broker speaks to the others on it: picked by
// inter.broker.listener.name or security.inter.broker.protocol (not both, as Kafka), its TLS (the
// truststore checks the other broker's certificate; the broker's own certificate answers
// ssl.client.auth) and its SASL (sasl.mechanism.inter.broker.protocol with
// inter.broker.sasl.username / password). Checked at start: a cluster member that cannot
// authenticate to its peers is a configuration error, not a silent follower.
import type { ConnectionOptions } from 'node:tls';
import { saslClient } from '@mq/auth';
import type { InterBrokerSecurity } from '@mq/replication';
import { type BoundListener, type ListenerConfig, usesSasl, usesTls } from '@mq/server';
import type { BrokerSecurityOptions } from './broker-security';
import { ConfigError } from './config-error';

/** The listener other brokers reach this one on (its advertised address is what this broker registers). */
export function interBrokerListenerName(sec: BrokerSecurityOptions | undefined, listeners: readonly { readonly name: string }[]): string {
  const byName = sec?.interBrokerListenerName?.toUpperCase();
  const byProtocol = sec?.securityInterBrokerProtocol?.toUpperCase();
  const names = listeners.map((l) => l.name);
  if (byName !== undefined && byProtocol !== undefined) throw new ConfigError('inter.broker.listener.name and security.inter.broker.protocol: set one of them, not both');
  const name = byName ?? byProtocol;
  if (name === undefined) return names[0]!;
  const key = byName !== undefined ? 'inter.broker.listener.name' : 'security.inter.broker.protocol';
  if (!names.includes(name)) throw new ConfigError(`${key}: ${name} is not one of listeners (${names.join(', ')})`);
  return name;
}

export function interBrokerListener(sec: BrokerSecurityOptions | undefined, bound: readonly BoundListener[]): BoundListener {
  const name = interBrokerListenerName(sec, bound);
  return bound.find((l) => l.name === name)!;
}

/** The fetchers' TLS / SASL towards the inter-broker listener; undefined when it is PLAINTEXT. */
export function interBrokerSecurity(sec: BrokerSecurityOptions | undefined, listeners: readonly ListenerConfig[]): InterBrokerSecurity | undefined {
  const name = interBrokerListenerName(sec, listeners);
  const listener = listeners.find((l) => l.name === name)!;
  const protocol = listener.securityProtocol;
  if (!usesTls(protocol) && !usesSasl(protocol)) return undefined;
  const out: { tls?: ConnectionOptions; sasl?: InterBrokerSecurity['sasl'] } = {};
  if (usesTls(protocol)) {
    const t = listener.tls!;
    out.tls = {
      ...(t.ca !== undefined ? { ca: t.ca } : {}),
      // Presented when the other broker asks (ssl.client.auth): the same certificate this broker serves.
      key: t.key,
      cert: t.cert,
      ...(t.passphrase !== undefined ? { passphrase: t.passphrase } : {}),
      ...(sec?.ssl?.endpointIdentificationAlgorithm === '' ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  if (usesSasl(protocol)) {
    const mechanism = interBrokerMechanism(sec);
    const username = sec?.interBroker?.username;
    const password = sec?.interBroker?.password;
    if (username === undefined || password === undefined) {
      throw new ConfigError(`inter-broker listener ${name} is ${protocol}: set inter.broker.sasl.username and inter.broker.sasl.password (the credentials this broker replicates with)`);
    }
    out.sasl = () => saslClient({ mechanism, username, password });
  }
  return out;
}

/** Once sasl.enabled.mechanisms is resolved: the other brokers must accept the mechanism this one speaks. */
export function checkInterBrokerMechanism(sec: BrokerSecurityOptions | undefined, listeners: readonly ListenerConfig[], enabledMechanisms: readonly string[]): void {
  const name = interBrokerListenerName(sec, listeners);
  if (!usesSasl(listeners.find((l) => l.name === name)!.securityProtocol)) return;
  const mechanism = interBrokerMechanism(sec);
  if (!enabledMechanisms.includes(mechanism)) {
    throw new ConfigError(`sasl.mechanism.inter.broker.protocol: ${mechanism} is not in sasl.enabled.mechanisms (${enabledMechanisms.join(', ')}) of inter-broker listener ${name}`);
  }
}

function interBrokerMechanism(sec: BrokerSecurityOptions | undefined): string {
  return (sec?.interBroker?.mechanism ?? 'SCRAM-SHA-512').toUpperCase();
}
