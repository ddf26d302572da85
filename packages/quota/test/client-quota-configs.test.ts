// Kafka's quota lookup precedence, DescribeClientQuotas filters, and entity / value validation.
import { InvalidRequestError } from '@mq/errors';
import { describe, expect, it } from 'vitest';
import { ClientQuotaConfigs, quotaValuesJson } from '../src/client-quota-configs';
import { parseQuotaEntityKey, quotaEntityKey, validateQuotaEntity } from '../src/quota-entity';
import { validateQuotaValue } from '../src/quota-keys';

type Raw = { entityType: string; entityName: string | null }[];
const ent = (...parts: [string, string | null][]): Raw => parts.map(([entityType, entityName]) => ({ entityType, entityName }));

function configs(rows: [Raw, Record<string, number>][]): ClientQuotaConfigs {
  return ClientQuotaConfigs.fromEntries(new Map(rows.map(([e, v]) => [quotaEntityKey(validateQuotaEntity(e)), quotaValuesJson(new Map(Object.entries(v)))])));
}

describe('quota lookup precedence', () => {
  const all: [Raw, number][] = [
    [ent(['user', 'alice'], ['client-id', 'app']), 1],
    [ent(['user', 'alice'], ['client-id', null]), 2],
    [ent(['user', 'alice']), 3],
    [ent(['user', null], ['client-id', 'app']), 4],
    [ent(['user', null], ['client-id', null]), 5],
    [ent(['user', null]), 6],
    [ent(['client-id', 'app']), 7],
    [ent(['client-id', null]), 8],
  ];

  it('takes the most specific entity that sets the key, in Kafka’s order', () => {
    for (let drop = 0; drop < all.length; drop++) {
      const c = configs(all.slice(drop).map(([e, n]) => [e, { producer_byte_rate: n }]));
      expect(c.quotaFor('producer_byte_rate', 'alice', 'app')?.limit).toBe(drop + 1);
    }
  });

  it('shares the sensor of a user quota across its client ids; a default one is per user', () => {
    const c = configs([[ent(['user', 'alice']), { producer_byte_rate: 10 }], [ent(['user', null]), { producer_byte_rate: 5 }]]);
    expect(c.quotaFor('producer_byte_rate', 'alice', 'a')?.sensorKey).toBe(c.quotaFor('producer_byte_rate', 'alice', 'b')?.sensorKey);
    expect(c.quotaFor('producer_byte_rate', 'bob', 'a')?.sensorKey).not.toBe(c.quotaFor('producer_byte_rate', 'carol', 'a')?.sensorKey);
    expect(c.quotaFor('producer_byte_rate', 'bob', 'a')?.limit).toBe(5);
  });

  it('each key is looked up on its own: a user quota of one key does not hide a client default of another', () => {
    const c = configs([[ent(['user', 'alice']), { producer_byte_rate: 10 }], [ent(['client-id', null]), { consumer_byte_rate: 7 }]]);
    expect(c.quotaFor('consumer_byte_rate', 'alice', 'x')?.limit).toBe(7);
    expect(c.quotaFor('request_percentage', 'alice', 'x')).toBeNull();
  });

  it('is empty without entries', () => {
    expect(ClientQuotaConfigs.fromEntries(new Map()).isEmpty).toBe(true);
  });

  it('skips stored entries it cannot read, and says so', () => {
    const bad: string[] = [];
    const c = ClientQuotaConfigs.fromEntries(new Map([['nonsense', '{}'], ['user:a', 'not json']]), (k) => bad.push(k));
    expect(c.isEmpty).toBe(true);
    expect(bad).toEqual(['nonsense', 'user:a']);
  });
});

describe('DescribeClientQuotas filters', () => {
  const c = configs([
    [ent(['user', 'alice']), { producer_byte_rate: 1 }],
    [ent(['user', null]), { producer_byte_rate: 2 }],
    [ent(['user', 'alice'], ['client-id', 'app']), { producer_byte_rate: 3 }],
    [ent(['client-id', null]), { consumer_byte_rate: 4 }],
  ]);
  const rates = (es: ReturnType<ClientQuotaConfigs['describe']>) => es.map((e) => [...e.values.values()][0]).sort();

  it('exact, default and any-name components; strict drops entities with other types', () => {
    expect(rates(c.describe([{ entityType: 'user', matchType: 0, match: 'alice' }], false))).toEqual([1, 3]);
    expect(rates(c.describe([{ entityType: 'user', matchType: 0, match: 'alice' }], true))).toEqual([1]);
    expect(rates(c.describe([{ entityType: 'user', matchType: 1, match: null }], false))).toEqual([2]);
    expect(rates(c.describe([{ entityType: 'user', matchType: 2, match: null }], true))).toEqual([1, 2]);
    expect(rates(c.describe([], false))).toEqual([1, 2, 3, 4]);
  });

  it('refuses an unknown type, a repeated type, a bad match type and an exact match without a name', () => {
    expect(() => c.describe([{ entityType: 'group', matchType: 0, match: 'x' }], false)).toThrow(InvalidRequestError);
    expect(() => c.describe([{ entityType: 'user', matchType: 2, match: null }, { entityType: 'user', matchType: 1, match: null }], false)).toThrow(InvalidRequestError);
    expect(() => c.describe([{ entityType: 'user', matchType: 9, match: null }], false)).toThrow(InvalidRequestError);
    expect(() => c.describe([{ entityType: 'user', matchType: 0, match: null }], false)).toThrow(InvalidRequestError);
  });
});

describe('entities and values', () => {
  it('keys round-trip, names with separators and a user called <default> included', () => {
    for (const e of [ent(['user', 'a&b:c/d']), ent(['user', '<default>'], ['client-id', null]), ent(['ip', '10.0.0.1']), ent(['ip', null])]) {
      const v = validateQuotaEntity(e);
      expect(parseQuotaEntityKey(quotaEntityKey(v))).toEqual(v);
    }
    expect(quotaEntityKey(validateQuotaEntity(ent(['client-id', 'c'], ['user', 'u'])))).toBe('user:u&client-id:c');
  });

  it('refuses empty, unknown, repeated and mixed-with-ip entities and bad addresses', () => {
    for (const e of [ent(), ent(['group', 'g']), ent(['user', 'a'], ['user', 'b']), ent(['ip', null], ['user', 'a']), ent(['ip', 'not-an-ip']), ent(['user', ''])]) {
      expect(() => validateQuotaEntity(e)).toThrow(InvalidRequestError);
    }
  });

  it('refuses unknown keys, keys of the other entity kind, non-positive, fractional byte rates', () => {
    const user = validateQuotaEntity(ent(['user', 'a']));
    const ip = validateQuotaEntity(ent(['ip', null]));
    expect(() => validateQuotaValue(user, 'bogus_rate', 1)).toThrow(/Invalid configuration key/);
    expect(() => validateQuotaValue(user, 'connection_creation_rate', 1)).toThrow(InvalidRequestError);
    expect(() => validateQuotaValue(ip, 'producer_byte_rate', 1)).toThrow(InvalidRequestError);
    expect(() => validateQuotaValue(user, 'producer_byte_rate', -5)).toThrow(/greater than 0/);
    expect(() => validateQuotaValue(user, 'producer_byte_rate', 1.5)).toThrow(/whole number/);
    expect(() => validateQuotaValue(user, 'producer_byte_rate', Number.NaN)).toThrow(InvalidRequestError);
    expect(() => validateQuotaValue(user, 'request_percentage', 12.5)).not.toThrow();
  });
});
