// Acceptance: the mq-broker binary refuses configuration that cannot work with one ConfigError line
// naming key, value and allowed range, exit 1, before it creates the data dir or binds a socket.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/child-process';
import { BROKER_MAIN } from '../src/paths';
import { makeTempDir, removeDir } from '../src/temp-dir';

let work: string;
beforeAll(async () => {
  work = await makeTempDir('bad-config');
});
afterAll(async () => {
  await removeDir(work);
});

describe('mq-broker refuses configuration that cannot work', () => {
  it.each([
    [{ 'num.partitions': 0 }, 'num.partitions: 0 is outside [1, 10000]'],
    [{ 'num.partitions': -5 }, 'num.partitions: -5 is outside [1, 10000]'],
    [{ 'num.partitions': 2.5 }, 'num.partitions: 2.5 is not an integer (allowed: [1, 10000])'],
    [{ 'num.partitions': 'many' }, 'num.partitions: not a number: many (allowed: [1, 10000])'],
    [{ 'socket.request.max.bytes': -1 }, 'socket.request.max.bytes: -1 is outside [1, 2147483647]'],
    [{ 'connections.max.idle.ms': -1 }, 'connections.max.idle.ms: -1 is outside [1, 2147483647]'],
    [{ 'group.max.size': 0 }, 'group.max.size: 0 is outside [1, 9007199254740991]'],
  ])('%j', async (props, message) => {
    const file = join(work, 'broker.json');
    await writeFile(file, JSON.stringify(props));
    const dataDir = join(work, 'data');
    const res = await run(process.execPath, [BROKER_MAIN, '--port', '0', '--data-dir', dataDir, '--config', file], { timeoutMs: 15_000 });
    expect(res.timedOut).toBe(false);
    expect(res.code).toBe(1);
    const lines = res.stdout.toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'broker failed to start', error: 'ConfigError', err: message });
    expect(existsSync(dataDir)).toBe(false);
  });
});
