// `mq cluster config describe|set|delete` through the spawned CLI against a real single broker (node
// 0, dynamic broker configs in its meta/ store): set on the broker and as the cluster default,
// describe with sources and synonyms (json and table; --all adds the static settings; the default
// lists only what is set there), delete falling back, --validate-only; the broker's INVALID_CONFIG
// as one line with exit 1, and usage errors (no target, both, malformed key=value) with exit 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { runCli } from './run-cli';

const LEADER = 'leader.replication.throttled.rate';
const FOLLOWER = 'follower.replication.throttled.rate';
const LONG_MAX = '9223372036854775807';

interface Described {
  name: string;
  value: string | null;
  source: string;
  readOnly: boolean;
  synonyms: { name: string; value: string | null; source: string }[];
}

let broker: RunningBroker;
let b: string[];
beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  b = ['-b', `127.0.0.1:${broker.port}`];
});
afterAll(async () => {
  await broker?.stop();
});

async function describeJson(...args: string[]): Promise<Map<string, Described>> {
  const r = await runCli([...b, '-o', 'json', 'cluster', 'config', 'describe', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return new Map((JSON.parse(r.stdout) as Described[]).map((e) => [e.name, e]));
}

describe('mq cluster config', { timeout: 120_000 }, () => {
  it('sets a broker value and a cluster default, describes them with sources and synonyms, deletes back to the default', async () => {
    expect(await describeJson('--broker', '0')).toEqual(new Map());
    const setDefault = await runCli([...b, 'cluster', 'config', 'set', '--default', `${LEADER}=5000000`]);
    expect(setDefault.code, setDefault.stderr).toBe(0);
    const setOwn = await runCli([...b, 'cluster', 'config', 'set', '--broker', '0', `${LEADER}=2097152`, `${FOLLOWER}=1048576`]);
    expect(setOwn.code, setOwn.stderr).toBe(0);
    expect(setOwn.stdout).toMatch(/0\s+leader\.replication\.throttled\.rate\s+2097152\s+set/);

    const own = await describeJson('--broker', '0');
    expect(own.get(LEADER)).toMatchObject({
      value: '2097152',
      source: 'DYNAMIC_BROKER_CONFIG',
      readOnly: false,
      synonyms: [
        { name: LEADER, value: '2097152', source: 'DYNAMIC_BROKER_CONFIG' },
        { name: LEADER, value: '5000000', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' },
        { name: LEADER, value: LONG_MAX, source: 'DEFAULT_CONFIG' },
      ],
    });
    expect(own.get(FOLLOWER)).toMatchObject({ value: '1048576', source: 'DYNAMIC_BROKER_CONFIG' });
    // Only dynamic values without --all; --all adds the static settings, read-only.
    expect([...own.keys()].sort()).toEqual([FOLLOWER, LEADER]);
    const all = await describeJson('--broker', '0', '--all');
    expect(all.get('num.partitions')).toMatchObject({ readOnly: true });
    expect(all.get(LEADER)?.value).toBe('2097152');
    // The cluster default lists what is set there, nothing static (as Kafka's --entity-default).
    const defaults = await describeJson('--default', '--all');
    expect([...defaults.keys()]).toEqual([LEADER]);
    expect(defaults.get(LEADER)).toMatchObject({ value: '5000000', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
    // A key by name is shown whatever its source.
    expect((await describeJson('--broker', '0', '-k', 'num.partitions')).get('num.partitions')).toMatchObject({ source: 'DEFAULT_CONFIG' });

    const table = await runCli([...b, 'cluster', 'config', 'describe', '--broker', '0']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/leader\.replication\.throttled\.rate\s+2097152\s+DYNAMIC_BROKER_CONFIG\s+false\s+DYNAMIC_BROKER_CONFIG:leader\.replication\.throttled\.rate=2097152, DYNAMIC_DEFAULT_BROKER_CONFIG:leader\.replication\.throttled\.rate=5000000/);

    const del = await runCli([...b, 'cluster', 'config', 'delete', '--broker', '0', LEADER, FOLLOWER]);
    expect(del.code, del.stderr).toBe(0);
    const after = await describeJson('--broker', '0', '-k', LEADER, '-k', FOLLOWER);
    expect(after.get(LEADER)).toMatchObject({ value: '5000000', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
    expect(after.get(FOLLOWER)).toMatchObject({ value: LONG_MAX, source: 'DEFAULT_CONFIG' });
    expect((await runCli([...b, 'cluster', 'config', 'delete', '--default', LEADER])).code).toBe(0);
    const none = await runCli([...b, 'cluster', 'config', 'describe', '--default']);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain('no cluster-wide default is set');
  });

  it('--validate-only stores nothing', async () => {
    const checked = await runCli([...b, 'cluster', 'config', 'set', '--broker', '0', `${FOLLOWER}=4096`, '--validate-only']);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('valid');
    expect(await describeJson('--broker', '0')).toEqual(new Map());
  });

  it('the broker refuses static keys and bad values INVALID_CONFIG: one line, exit 1', async () => {
    for (const assignment of ['num.partitions=4', `${LEADER}=-1`, `${LEADER}=fast`, 'no.such.key=1']) {
      const r = await runCli([...b, 'cluster', 'config', 'set', '--broker', '0', assignment]);
      expect(r.code, assignment).toBe(1);
      expect(r.stderr, assignment).toMatch(/^error: INVALID_CONFIG \(code 40\): /);
      expect(r.stderr.trim().split('\n'), assignment).toHaveLength(1);
    }
    const del = await runCli([...b, 'cluster', 'config', 'delete', '--default', 'num.partitions']);
    expect(del.code).toBe(1);
    expect(del.stderr).toContain('INVALID_CONFIG');
    expect(await describeJson('--broker', '0')).toEqual(new Map());
  });

  it('usage errors exit 2 before anything is sent', async () => {
    const cases: [string[], RegExp][] = [
      [['describe'], /--broker <id> or --default/],
      [['describe', '--broker', '0', '--default'], /not both/],
      [['set', '--broker', '0', 'novalue'], /"novalue" is not key=value/],
      [['set', '--broker', '0', `${LEADER}=1`, `${LEADER}=2`], /given twice/],
      [['set', '--broker', 'one', `${LEADER}=1`], /not an integer/],
      [['set', '--broker', '0'], /missing required argument/],
      [['delete', '--default'], /missing required argument/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli([...b, 'cluster', 'config', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });
});
