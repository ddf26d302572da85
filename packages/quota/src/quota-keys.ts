// The quota configuration keys Kafka accepts per entity type (QuotaConfigs) and the checks of their
// values: what AlterClientQuotas refuses with INVALID_REQUEST before anything is stored.
import { InvalidRequestError } from '@mq/errors';
import type { QuotaEntity } from './quota-entity';

export type ClientQuotaKey = 'producer_byte_rate' | 'consumer_byte_rate' | 'request_percentage' | 'controller_mutation_rate';
export type IpQuotaKey = 'connection_creation_rate';
export type QuotaKey = ClientQuotaKey | IpQuotaKey;

interface KeyDef {
  /** Kafka's ConfigDef type: LONG and INT values must be whole numbers. */
  readonly type: 'long' | 'double' | 'int';
  readonly doc: string;
}

export const CLIENT_QUOTA_KEYS: Readonly<Record<ClientQuotaKey, KeyDef>> = {
  producer_byte_rate: { type: 'long', doc: 'Produce request bytes per second, per matched entity.' },
  consumer_byte_rate: { type: 'long', doc: 'Fetch response bytes per second, per matched entity.' },
  request_percentage: { type: 'double', doc: 'Percentage of the broker event loop’s time spent on this entity’s requests (100 = all of it).' },
  controller_mutation_rate: { type: 'double', doc: 'Partitions created or deleted per second (CreateTopics, CreatePartitions, DeleteTopics).' },
};

export const IP_QUOTA_KEYS: Readonly<Record<IpQuotaKey, KeyDef>> = {
  connection_creation_rate: { type: 'int', doc: 'New connections per second from this address.' },
};

/** The keys an entity may carry: connection_creation_rate for ip, the client keys for user / client-id. */
function keysFor(entity: QuotaEntity): Readonly<Record<string, KeyDef>> {
  return entity[0]?.entityType === 'ip' ? IP_QUOTA_KEYS : CLIENT_QUOTA_KEYS;
}

/** Throws INVALID_REQUEST for a key the entity type does not have or a value that cannot be a quota. */
export function validateQuotaValue(entity: QuotaEntity, key: string, value: number): void {
  const def = keysFor(entity)[key];
  if (def === undefined) {
    const kind = entity[0]?.entityType === 'ip' ? 'ip' : 'user/client-id';
    throw new InvalidRequestError(`Invalid configuration key ${key} for ${kind} entities (accepted: ${Object.keys(keysFor(entity)).join(', ')})`);
  }
  if (!Number.isFinite(value)) throw new InvalidRequestError(`Invalid value for ${key}: ${value} is not a finite number`);
  // A zero rate would throttle forever (the throttle time divides by it); Kafka's tools refuse it too.
  if (value <= 0) throw new InvalidRequestError(`Invalid value for ${key}: ${value} (must be greater than 0)`);
  if (def.type !== 'double' && !Number.isInteger(value)) throw new InvalidRequestError(`Invalid value for ${key}: ${value} (must be a whole number)`);
  if (def.type === 'int' && value > 2_147_483_647) throw new InvalidRequestError(`Invalid value for ${key}: ${value} (must fit an int)`);
}

export function isQuotaKey(key: string): key is QuotaKey {
  return key in CLIENT_QUOTA_KEYS || key in IP_QUOTA_KEYS;
}
