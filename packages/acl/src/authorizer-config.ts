// The broker keys that turn the authorizer on (Kafka's names): `authorizer.class.name` names
// Kafka's two ACL authorizers or mq's own (all the same StandardAuthorizer here; empty: off), and
// `super.users` is Kafka's semicolon-separated principal list.
import { InvalidConfigError } from '@mq/protocol';
import { isValidPrincipal } from './acl-binding';

/** Accepted `authorizer.class.name` values: Kafka's KRaft and ZooKeeper-era authorizers, and mq's name. */
export const AUTHORIZER_CLASS_NAMES: readonly string[] = [
  'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  'kafka.security.authorizer.AclAuthorizer',
  'mq.acl.StandardAuthorizer',
];

/** Is an authorizer configured? Throws InvalidConfigError for a class mq does not provide. */
export function authorizerEnabled(className: string): boolean {
  const name = className.trim();
  if (name === '') return false;
  if (!AUTHORIZER_CLASS_NAMES.includes(name)) {
    throw new InvalidConfigError(`authorizer.class.name: ${name} is not available; use one of ${AUTHORIZER_CLASS_NAMES.join(', ')} (or leave it empty for none)`);
  }
  return true;
}

/** `super.users` ("User:alice;User:bob"); throws InvalidConfigError for an entry without `Type:`. */
export function parseSuperUsers(value: string): string[] {
  const users = value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const u of users) if (!isValidPrincipal(u)) throw new InvalidConfigError(`super.users: ${u} is not a principal of the form User:<name>`);
  return users;
}
