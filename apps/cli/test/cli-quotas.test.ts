// `mq quotas describe|alter` through the spawned CLI against a real broker: set, describe (table and
// json), remove, validate-only, and the broker's INVALID_REQUEST / usage errors as one line with a
// non-zero exit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { runCli } from './run-cli';

let broker: RunningBroker;
let b: string[];
beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  b = ['-b', `127.0.0.1:${broker.port}`];
});
afterAll(async () => {
  await broker?.stop();
});

// Each case spawns the CLI several times (tsx on the sources): generous timeouts on a loaded machine.
describe('mq quotas', { timeout: 120_000 }, () => {
  it('alters, describes and removes a (user, client-id) quota', async () => {
    const set = await runCli([...b, 'quotas', 'alter', '--user', 'alice', '--client-default', '--add-config', 'producer_byte_rate=1048576,request_percentage=12.5']);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    const table = await runCli([...b, 'quotas', 'describe', '--user', 'alice']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/user=alice,client-id=<default>\s+producer_byte_rate\s+1048576/);
    expect(table.stdout).toMatch(/request_percentage\s+12.5/);
    const json = await runCli([...b, '-o', 'json', 'quotas', 'describe']);
    expect(JSON.parse(json.stdout)).toEqual([
      { entity: [{ entityType: 'user', entityName: 'alice' }, { entityType: 'client-id', entityName: null }], values: { producer_byte_rate: 1048576, request_percentage: 12.5 } },
    ]);
    expect((await runCli([...b, 'quotas', 'alter', '--user', 'alice', '--client-default', '--delete-config', 'producer_byte_rate,request_percentage'])).code).toBe(0);
    expect(JSON.parse((await runCli([...b, '-o', 'json', 'quotas', 'describe'])).stdout)).toEqual([]);
  });

  it('--validate-only stores nothing', async () => {
    const checked = await runCli([...b, 'quotas', 'alter', '--client', 'app', '--add-config', 'consumer_byte_rate=2048', '--validate-only']);
    expect(checked.code, checked.stderr).toBe(0);
    expect(JSON.parse((await runCli([...b, '-o', 'json', 'quotas', 'describe', '--client', 'app'])).stdout)).toEqual([]);
  });

  it('the broker refuses an unknown key and a negative rate: one error line, exit 1', async () => {
    const unknown = await runCli([...b, 'quotas', 'alter', '--user', 'bob', '--add-config', 'bogus_rate=5']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/INVALID_REQUEST|bogus_rate/);
    const negative = await runCli([...b, 'quotas', 'alter', '--user', 'bob', '--add-config', 'producer_byte_rate=-1']);
    expect(negative.code).toBe(1);
    expect(negative.stderr).toMatch(/greater than 0/);
    expect(negative.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('usage errors: no entity, nothing to change, a value that is not a number', async () => {
    expect((await runCli([...b, 'quotas', 'alter', '--add-config', 'producer_byte_rate=1'])).code).toBe(2);
    expect((await runCli([...b, 'quotas', 'alter', '--user', 'x'])).code).toBe(2);
    const nan = await runCli([...b, 'quotas', 'alter', '--user', 'x', '--add-config', 'producer_byte_rate=fast']);
    expect(nan.code).toBe(2);
    expect(nan.stderr).toMatch(/not key=number/);
  });
});
