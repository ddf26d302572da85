// End to end for consumer groups: `mq consume --group` commits, then groups list/describe/lag,
// reset-offsets (dry run vs --execute), offset-delete and delete, all through the spawned CLI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
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

describe('mq groups', () => {
  it('consume --group commits; lag, describe, reset-offsets and delete work on the group', async () => {
    expect((await runCli([...b, 'topics', 'create', 'events', '--partitions', '2'])).code).toBe(0);
    const input = Array.from({ length: 10 }, (_, i) => `e${i}`).join('\n') + '\n';
    expect((await runCli([...b, 'produce', 'events', '--partition', '0'], { input })).code).toBe(0);

    // Read 6 of the 10: exactly 6 are committed.
    const c = await runCli([...b, 'consume', 'events', '--group', 'billing', '--from-beginning', '--count', '6']);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(c.stdout).toBe('e0\ne1\ne2\ne3\ne4\ne5\n');

    const list = await runCli([...b, '-o', 'json', 'groups', 'list']);
    expect(JSON.parse(list.stdout)).toContainEqual(expect.objectContaining({ group: 'billing', protocolType: 'consumer' }));

    const lag = await runCli([...b, '-o', 'json', 'groups', 'lag', 'billing']);
    expect(lag.code).toBe(0);
    const lagData = JSON.parse(lag.stdout);
    expect(lagData.totalLag).toBe('4');
    expect(lagData.partitions).toContainEqual(expect.objectContaining({ topic: 'events', partition: 0, committed: '6', highWatermark: '10', lag: '4' }));

    const desc = await runCli([...b, 'groups', 'describe', 'billing']);
    expect(desc.code).toBe(0);
    expect(desc.stdout).toMatch(/^Group: billing +State: Empty/);

    const dry = await runCli([...b, 'groups', 'reset-offsets', 'billing', '--topic', 'events', '--to-earliest']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/events\s+0\s+6\s+0/);
    expect(dry.stderr).toMatch(/dry run/);
    expect(JSON.parse((await runCli([...b, '-o', 'json', 'groups', 'lag', 'billing'])).stdout).totalLag).toBe('4');

    const exec = await runCli([...b, 'groups', 'reset-offsets', 'billing', '--topic', 'events', '--to-offset', '2', '--execute']);
    expect(exec.code).toBe(0);
    expect(exec.stderr).toBe('');
    expect(JSON.parse((await runCli([...b, '-o', 'json', 'groups', 'lag', 'billing'])).stdout).totalLag).toBe('8');

    // The group resumes from the reset position.
    const again = await runCli([...b, 'consume', 'events', '--group', 'billing', '--count', '2']);
    expect(again.stdout).toBe('e2\ne3\n');

    expect((await runCli([...b, 'groups', 'delete', 'billing'])).code).toBe(0);
    const after = await runCli([...b, '-o', 'json', 'groups', 'list']);
    expect(JSON.parse(after.stdout).map((g: { group: string }) => g.group)).not.toContain('billing');
    // Thirteen spawned CLI runs in a row: slow on a loaded 2-core machine, not stuck.
  }, 120_000);

  it('offset-delete removes the offsets of a topic the group left; a subscribed topic is refused', async () => {
    for (const t of ['od-kept', 'od-left']) expect((await runCli([...b, 'topics', 'create', t, '--partitions', '2'])).code).toBe(0);
    expect((await runCli([...b, 'produce', 'od-kept', '--partition', '0'], { input: 'a\nb\nc\n' })).code).toBe(0);
    expect((await runCli([...b, 'consume', 'od-kept', '--group', 'od', '--from-beginning', '--count', '3'])).code).toBe(0);
    expect((await runCli([...b, 'groups', 'reset-offsets', 'od', '--topic', 'od-left', '--to-offset', '0', '--execute'])).code).toBe(0);
    const topicsOf = async () => {
      const lag = JSON.parse((await runCli([...b, '-o', 'json', 'groups', 'lag', 'od'])).stdout) as { partitions: { topic: string; partition: number }[] };
      return [...new Set(lag.partitions.map((p) => p.topic))].sort();
    };
    expect(await topicsOf()).toEqual(['od-kept', 'od-left']);

    const del = await runCli([...b, '-o', 'json', 'groups', 'offset-delete', 'od', '--topic', 'od-left']);
    expect(del.stderr).toBe('');
    expect(del.code).toBe(0);
    expect(JSON.parse(del.stdout)).toEqual([
      { topic: 'od-left', partition: 0, deleted: true, error: null },
      { topic: 'od-left', partition: 1, deleted: true, error: null },
    ]);
    expect(await topicsOf()).toEqual(['od-kept']);

    // A live member subscribed to od-kept: its offsets stay (GROUP_SUBSCRIBED_TO_TOPIC), exit 1.
    const client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}` });
    const member = client.consumer({ groupId: 'od', autoCommit: false, maxWaitMs: 100 });
    try {
      member.subscribe(['od-kept']);
      await member.poll();
      const refused = await runCli([...b, 'groups', 'offset-delete', 'od', '--topic', 'od-kept:0']);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/od-kept\s+0\s+false\s+GROUP_SUBSCRIBED_TO_TOPIC/);
      expect(refused.stderr).toBe('error: the offsets of 1 of 1 partition(s) were not deleted\n');
    } finally {
      await member.close();
      await client.close();
    }
    expect(await topicsOf()).toEqual(['od-kept']);

    // Bad input: no --topic, a bad partition list, an unknown group.
    const noTopic = await runCli([...b, 'groups', 'offset-delete', 'od']);
    expect([noTopic.code, noTopic.stderr]).toEqual([2, expect.stringContaining('at least one --topic')]);
    const badPartition = await runCli([...b, 'groups', 'offset-delete', 'od', '--topic', 'od-kept:x']);
    expect([badPartition.code, badPartition.stderr]).toEqual([2, expect.stringContaining('"x" is not a partition number')]);
    const unknown = await runCli([...b, 'groups', 'offset-delete', 'no-such-group', '--topic', 'od-kept']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/GROUP_ID_NOT_FOUND|does not exist/i);
  }, 120_000);
});
