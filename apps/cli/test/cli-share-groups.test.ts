// End to end for queues: `mq queue receive` (accept / release / reject over the Kafka protocol with
// @mq/client's share consumer), then `mq share-groups list | describe | reset-offsets | delete`,
// all through the spawned CLI against a real broker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { runCli } from './run-cli';

let broker: RunningBroker;
let b: string[];
beforeAll(async () => {
  broker = await startBroker({ port: 0, share: { autoOffsetReset: 'earliest' } });
  b = ['-b', `127.0.0.1:${broker.port}`];
});
afterAll(async () => {
  await broker?.stop();
});

const receive = (args: string[]) => runCli([...b, 'queue', 'receive', '-g', 'jobs-workers', '-t', 'jobs', '--wait-ms', '1500', ...args]);

describe('mq queue receive and mq share-groups', () => {
  it('receives with release, reject and ack; lists, describes, resets and deletes the share group', { timeout: 240_000 }, async () => {
    expect((await runCli([...b, 'topics', 'create', 'jobs', '--partitions', '1'])).code).toBe(0);
    const input = Array.from({ length: 6 }, (_, i) => `j${i}`).join('\n') + '\n';
    expect((await runCli([...b, 'produce', 'jobs'], { input })).code).toBe(0);

    // Release two: they come back first, with delivery count 2.
    const released = await receive(['-n', '2', '--release']);
    expect(released.stderr).toBe('');
    expect(released.code).toBe(0);
    expect(released.stdout).toBe('j0\nj1\n');
    const again = await runCli([...b, '-o', 'json', 'queue', 'receive', '-g', 'jobs-workers', '-t', 'jobs', '-n', '1', '--reject']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ value: 'j0', offset: '0', deliveryCount: 2 });
    // Accept the rest: j1 (delivery 2) then j2..j5; j0 was rejected and never returns.
    const rest = await receive(['--ack']);
    expect(rest.code).toBe(0);
    expect(rest.stdout).toBe('j1\nj2\nj3\nj4\nj5\n');
    expect((await receive(['-n', '1'])).stdout).toBe('');

    const list = await runCli([...b, '-o', 'json', 'share-groups', 'list']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toContainEqual({ group: 'jobs-workers', state: 'Empty' });

    const desc = await runCli([...b, '-o', 'json', 'share-groups', 'describe', 'jobs-workers']);
    expect(desc.code).toBe(0);
    expect(JSON.parse(desc.stdout)).toMatchObject({ group: 'jobs-workers', state: 'Empty', members: [], partitions: [{ topic: 'jobs', partition: 0, startOffset: '6', highWatermark: '6', lag: '0' }] });
    const table = await runCli([...b, 'share-groups', 'describe', 'jobs-workers']);
    expect(table.stdout).toMatch(/^Share group: jobs-workers +State: Empty/);

    // Reset: a plan first, then --execute; the records are delivered again.
    const dry = await runCli([...b, 'share-groups', 'reset-offsets', 'jobs-workers', '--topic', 'jobs', '--to-offset', '4']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/jobs\s+0\s+6\s+4/);
    expect(dry.stderr).toMatch(/dry run/);
    const exec = await runCli([...b, 'share-groups', 'reset-offsets', 'jobs-workers', '--topic', 'jobs', '--to-offset', '4', '--execute']);
    expect(exec.code).toBe(0);
    expect((await receive([])).stdout).toBe('j4\nj5\n');

    const badReset = await runCli([...b, 'share-groups', 'reset-offsets', 'jobs-workers', '--topic', 'jobs']);
    expect(badReset.code).toBe(2);
    expect((await runCli([...b, 'queue', 'receive', '-g', 'g', '-t', 'jobs', '--ack', '--reject'])).code).toBe(2);
    const unknownTopic = await runCli([...b, 'queue', 'receive', '-g', 'g', '-t', 'nope', '--wait-ms', '100']);
    expect(unknownTopic.code).toBe(1);
    expect(unknownTopic.stderr).toMatch(/nope/);
    const unknownGroup = await runCli([...b, 'share-groups', 'describe', 'no-such-group']);
    expect(unknownGroup.code).toBe(1);
    expect(unknownGroup.stderr).toMatch(/GROUP_ID_NOT_FOUND/);

    expect((await runCli([...b, 'share-groups', 'delete', 'jobs-workers', '--topic', 'jobs'])).code).toBe(0);
    expect((await runCli([...b, 'share-groups', 'delete', 'jobs-workers'])).code).toBe(0);
    const after = await runCli([...b, '-o', 'json', 'share-groups', 'list']);
    expect(JSON.parse(after.stdout).map((g: { group: string }) => g.group)).not.toContain('jobs-workers');
  });
});
