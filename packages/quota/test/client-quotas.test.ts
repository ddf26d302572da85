// ClientQuotas over a real LocalMetadataStore on a temp dir: alterations stored atomically and
// read back after a reopen, per-entry errors, validate_only, removal, and a second ClientQuotas on
// the same store seeing the change through the store's watch.
import { LocalMetadataStore } from '@mq/metadata';
import { ManualClock } from '@mq/timerwheel';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientQuotas } from '../src/client-quotas';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-quota-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function open(): Promise<{ store: LocalMetadataStore; quotas: ClientQuotas }> {
  const store = new LocalMetadataStore({ dataDir: dir, nodeId: 0 });
  await store.load();
  return { store, quotas: new ClientQuotas({ store, clock: new ManualClock() }) };
}

const alice = [{ entityType: 'user', entityName: 'alice' }];

describe('ClientQuotas', () => {
  it('stores valid entries, answers each bad one with its own error, and reads them back after a reopen', async () => {
    const { store, quotas } = await open();
    expect(quotas.enabled).toBe(false);
    const results = await quotas.alter(
      [
        { entity: alice, ops: [{ key: 'producer_byte_rate', value: 1000, remove: false }] },
        { entity: [{ entityType: 'user', entityName: 'bob' }], ops: [{ key: 'producer_byte_rate', value: 0, remove: false }] },
        { entity: alice, ops: [{ key: 'consumer_byte_rate', value: 5, remove: false }] },
      ],
      false,
    );
    expect(results.map((r) => r.errorCode)).toEqual([0, 42, 42]);
    expect(quotas.enabled).toBe(true);
    expect(quotas.quotaFor('producer_byte_rate', 'alice', 'c')?.limit).toBe(1000);
    expect(await readFile(join(dir, 'meta', 'entries.json'), 'utf8')).toContain('user:alice');
    quotas.close();
    await store.close();

    const again = await open();
    expect(again.quotas.quotaFor('producer_byte_rate', 'alice', 'c')?.limit).toBe(1000);
    again.quotas.close();
    await again.store.close();
  });

  it('validate_only stores nothing; removing the last key removes the entity', async () => {
    const { store, quotas } = await open();
    expect((await quotas.alter([{ entity: alice, ops: [{ key: 'request_percentage', value: 25, remove: false }] }], true))[0]!.errorCode).toBe(0);
    expect(quotas.enabled).toBe(false);
    await quotas.alter([{ entity: alice, ops: [{ key: 'request_percentage', value: 25, remove: false }] }], false);
    await quotas.alter([{ entity: alice, ops: [{ key: 'request_percentage', value: 0, remove: true }] }], false);
    expect(quotas.enabled).toBe(false);
    expect(quotas.describe([], false)).toEqual([]);
    quotas.close();
    await store.close();
  });

  it('a second ClientQuotas on the same store follows changes through the watch, and its sensors start over', async () => {
    const { store, quotas } = await open();
    const follower = new ClientQuotas({ store, clock: new ManualClock() });
    let changes = 0;
    follower.onChange(() => changes++);
    await quotas.alter([{ entity: [{ entityType: 'client-id', entityName: null }], ops: [{ key: 'consumer_byte_rate', value: 100, remove: false }] }], false);
    expect(changes).toBe(1);
    const q = follower.quotaFor('consumer_byte_rate', 'ANONYMOUS', 'any')!;
    expect(q.limit).toBe(100);
    follower.fetch.recordAndGetThrottleTimeMs(q, 5000, 0);
    expect(follower.fetch.sensorCount).toBe(1);
    await quotas.alter([{ entity: [{ entityType: 'client-id', entityName: null }], ops: [{ key: 'consumer_byte_rate', value: 200, remove: false }] }], false);
    expect(follower.fetch.sensorCount).toBe(0);
    expect(follower.quotaFor('consumer_byte_rate', 'ANONYMOUS', 'any')!.limit).toBe(200);
    follower.close();
    quotas.close();
    await store.close();
  });
});
