// Tenants: the definitions' checks, principal → tenant (longest prefix), resource → owner, and one
// quota sensor shared by every principal of a tenant.
import { describe, expect, it } from 'vitest';
import { Tenants, parseStoredTenant, validateTenants } from '../src/index';

const acme = { name: 'acme', principalPrefix: 'User:acme-', resourcePrefix: 'acme.', quotas: { producer_byte_rate: 1000 }, storageLimitBytes: 10_000 };
const acmeEu = { name: 'acme-eu', principalPrefix: 'User:acme-eu-', resourcePrefix: 'acme-eu.' };

describe('Tenants', () => {
  it('matches the longest principal prefix and the owner of a resource', () => {
    const t = new Tenants([acme, acmeEu]);
    expect(t.of('User:acme-alice')?.name).toBe('acme');
    expect(t.of('User:acme-eu-bob')?.name).toBe('acme-eu');
    expect(t.of('User:globex-carol')).toBeUndefined();
    expect(t.ownerOf('acme.orders')?.name).toBe('acme');
    expect(t.ownerOf('acme-eu.orders')?.name).toBe('acme-eu');
    expect(t.ownerOf('orders')).toBeUndefined();
  });

  it('measures all of a tenant’s principals on one sensor', () => {
    const t = new Tenants([acme], { samples: 11, windowSeconds: 1 });
    const qa = t.quotaFor('producer_byte_rate', 'User:acme-alice')!;
    const qb = t.quotaFor('producer_byte_rate', 'User:acme-bob')!;
    expect(qa).toEqual(qb);
    expect(t.quotaFor('consumer_byte_rate', 'User:acme-alice')).toBeNull();
    const m = t.managers.producer_byte_rate;
    expect(m.recordAndGetThrottleTimeMs(qa, 5_000, 0)).toBe(0);
    const throttle = m.recordAndGetThrottleTimeMs(qb, 20_000, 500);
    expect(throttle).toBeGreaterThan(0);
    t.throttled('producer_byte_rate', qb, throttle);
    expect(t.quotaViews(t.definitions[0]!, 500)).toEqual([{ quota: 'producer_byte_rate', limit: 1000, rate: m.rate('acme', 500), throttledRequests: 1, throttleTimeMs: throttle }]);
  });

  it('refuses bad definitions with the tenant named', () => {
    const bad: [object, RegExp][] = [
      [{ ...acme, name: 'a b' }, /tenant "a b": the name/],
      [{ ...acme, principalPrefix: 'acme-' }, /principalPrefix must be a principal type/],
      [{ ...acme, resourcePrefix: '' }, /resourcePrefix must not be empty/],
      [{ ...acme, quotas: { controller_mutation_rate: 1 } }, /controller_mutation_rate is not a tenant quota/],
      [{ ...acme, quotas: { producer_byte_rate: 0 } }, /must be a positive number/],
      [{ ...acme, storageLimitBytes: 1.5 }, /storageLimitBytes must be a positive integer/],
    ];
    for (const [def, message] of bad) expect(() => validateTenants([def as typeof acme])).toThrow(message);
    expect(() => validateTenants([acme, acme])).toThrow(/defined twice/);
    expect(() => validateTenants([acme, { ...acmeEu, resourcePrefix: 'acme.eu.' }])).toThrow(/overlap/);
  });

  it('replace() swaps the definitions live: lookups start over, a kept tenant keeps its totals, a bad list changes nothing', () => {
    const t = new Tenants([acme]);
    expect(t.of('User:acme-eu-bob')?.name).toBe('acme');
    t.usageOf('acme')!.producedBytes = 7;
    t.replace([acme, acmeEu]);
    expect(t.of('User:acme-eu-bob')?.name).toBe('acme-eu');
    expect(t.usageOf('acme')!.producedBytes).toBe(7);
    expect(t.storageLimited).toBe(true);
    expect(() => t.replace([acme, { ...acmeEu, resourcePrefix: 'acme.eu.' }])).toThrow(/overlap/);
    expect(t.definitions.map((d) => d.name)).toEqual(['acme-eu', 'acme']);
    t.replace([acmeEu]);
    expect([t.usageOf('acme'), t.storageLimited, t.of('User:acme-alice')]).toEqual([undefined, false, undefined]);
  });

  it('parseStoredTenant takes the key as the name and refuses what is no definition', () => {
    expect(parseStoredTenant('acme', JSON.stringify({ principalPrefix: 'User:acme-', resourcePrefix: 'acme.' }))).toEqual({ name: 'acme', principalPrefix: 'User:acme-', resourcePrefix: 'acme.' });
    expect(parseStoredTenant('acme', '{')).toMatch(/^not JSON/);
    expect(parseStoredTenant('acme', '[1]')).toBe('not a JSON object');
    expect(parseStoredTenant('acme', '{"colour": 1}')).toMatch(/^unknown field colour/);
    expect(parseStoredTenant('acme', '{"name": "other"}')).toMatch(/is not its key/);
  });
});
