// Acceptance: real mq-broker processes on one data dir. A second broker is refused with one line
// naming the holder (two writers once destroyed 40,000 of 40,000 acked records), the first keeps
// every acked record, and a broker killed by SIGKILL leaves a lock the next start takes over.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { run } from '../src/child-process';
import { kcatConsumeAll, kcatProduceFile } from '../src/kcat';
import { parseConsumed, verifyKeyedRecords, writeKeyedInput } from '../src/keyed-messages';
import { BROKER_MAIN } from '../src/paths';
import { makeTempDir, removeDir } from '../src/temp-dir';

const FORMAT = '%p %o %k %s\\n';

describe('data dir lock (child-process brokers)', () => {
  let dataDir: string;
  let workDir: string;
  const brokers: BrokerProcess[] = [];

  const start = async (): Promise<BrokerProcess> => {
    const b = await BrokerProcess.start({ dataDir });
    brokers.push(b);
    return b;
  };

  beforeEach(async () => {
    dataDir = await makeTempDir('lock-data');
    workDir = await makeTempDir('lock-work');
  });

  afterEach(async () => {
    for (const b of brokers.splice(0)) await b.kill();
    await removeDir(dataDir);
    await removeDir(workDir);
  });

  it('refuses a second broker on the same data dir; the first keeps all 40,000 acked records', async () => {
    const COUNT = 40_000;
    const first = await start();
    await kcatProduceFile(first.bootstrap, 'locked', await writeKeyedInput(join(workDir, 'a.txt'), COUNT), { keyDelimiter: ':' });

    const second = await run(process.execPath, [BROKER_MAIN, '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir], { timeoutMs: 30_000 });
    expect(second.timedOut).toBe(false);
    expect(second.code).toBe(1);
    const lines = second.stdout.toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { msg: string; err: string };
    expect(line.msg).toBe('broker failed to start');
    expect(line.err).toMatch(new RegExp(`^data dir ${dataDir} is locked by pid ${first.pid} on host \\S+ since \\d{4}-\\d\\d-\\d\\dT`));

    // The first broker never noticed: it keeps serving and appending.
    const more = await writeKeyedInput(join(workDir, 'b.txt'), 1_000, COUNT);
    await kcatProduceFile(first.bootstrap, 'locked', more, { keyDelimiter: ':' });
    expect(await first.stop()).toBe(0);

    const third = await start();
    const records = parseConsumed(await kcatConsumeAll(third.bootstrap, 'locked', FORMAT));
    expect(verifyKeyedRecords(records, COUNT + 1_000).problems).toEqual([]);
    expect(await third.stop()).toBe(0);
  });

  it('three brokers started at the same moment on a fresh dir: exactly one runs', async () => {
    const results = await Promise.allSettled([0, 1, 2].map(() => BrokerProcess.start({ dataDir })));
    const running = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    brokers.push(...running);
    expect(running).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(String(r.reason)).toMatch(new RegExp(`data dir ${dataDir} is locked by (pid ${running[0]!.pid} |another process)`));
    }
  });

  it('a broker killed by SIGKILL leaves a stale lock that the next start takes over', async () => {
    const COUNT = 5_000;
    const first = await start();
    await kcatProduceFile(first.bootstrap, 'crashed', await writeKeyedInput(join(workDir, 'a.txt'), COUNT), { keyDelimiter: ':' });
    const deadPid = first.pid;
    await first.kill();

    const second = await start();
    const takeover = second.logLines.map((l) => JSON.parse(l) as { msg: string; holder?: { pid: number } }).find((l) => l.msg.includes('lock'));
    expect(takeover?.holder?.pid).toBe(deadPid);
    const records = parseConsumed(await kcatConsumeAll(second.bootstrap, 'crashed', FORMAT));
    expect(verifyKeyedRecords(records, COUNT).problems).toEqual([]);
    expect(await second.stop()).toBe(0);
  });
});
