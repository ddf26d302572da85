// Acceptance: a disk that fills up under a real broker (its data dir on a 4 MiB tmpfs; root only,
// otherwise skipped). A produce that hits ENOSPC is answered KAFKA_STORAGE_ERROR, never acknowledged,
// logged with the partition and offsets, and leaves no half batch: once space is back the partition
// takes writes at the next offset, and a consumer reads exactly the acknowledged records, also after
// a restart.
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { kcat } from '../src/kcat';

const mountPoint = join(tmpdir(), `mq-compat-enospc-${process.pid}`);
function mountTmpfs(): boolean {
  try {
    execFileSync('mkdir', ['-p', mountPoint]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const canMount = (() => {
  if (!mountTmpfs()) return false;
  execFileSync('umount', [mountPoint]);
  return true;
})();

describe.skipIf(!canMount)('disk full (ENOSPC on a real 4 MiB tmpfs)', () => {
  let broker: BrokerProcess | undefined;
  afterEach(async () => {
    await broker?.kill();
    broker = undefined;
    try {
      execFileSync('umount', [mountPoint], { stdio: 'ignore' });
    } catch {
      // Not mounted, or still busy: detach lazily so no mount outlives the test.
      try {
        execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
      } catch {
        // not mounted
      }
    }
    await rm(mountPoint, { recursive: true, force: true });
  });

  it('answers KAFKA_STORAGE_ERROR, acknowledges nothing it did not store, and the partition works on once space is back', async () => {
    expect(mountTmpfs()).toBe(true);
    const dataDir = join(mountPoint, 'data');
    await mkdir(dataDir);
    broker = await BrokerProcess.start({ dataDir });
    const kafka = new Kafka({ clientId: 'compat-enospc', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'full', numPartitions: 1 }] });
    await admin.disconnect();
    // Leave ~1 MiB free: a ballast file we can delete to give the space back.
    const ballast = join(mountPoint, 'ballast');
    await writeFile(ballast, Buffer.alloc(3 * 1024 * 1024 - 64 * 1024));
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    const acked: string[] = [];
    let failure: { type?: string; message?: string } | undefined;
    for (let i = 0; i < 40 && failure === undefined; i++) {
      const value = `${i}:${'x'.repeat(100_000)}`;
      try {
        await producer.send({ topic: 'full', acks: -1, messages: [{ value }] });
        acked.push(value.slice(0, value.indexOf(':')));
      } catch (err) {
        const cause = (err as { type?: string; cause?: { type?: string } }).cause ?? err;
        failure = { type: (cause as { type?: string }).type, message: (err as Error).message };
      }
    }
    expect(failure?.type, `produce error: ${JSON.stringify(failure)}`).toBe('KAFKA_STORAGE_ERROR');
    expect(acked.length).toBeGreaterThan(0);
    // The broker's log line travels through its stdout pipe and may arrive after the produce answer.
    const findEnospc = () => broker!.logLines.find((l) => l.includes('ENOSPC'));
    await expect.poll(findEnospc, { timeout: 10_000, message: `broker log:\n${broker.logLines.slice(-10).join('\n')}` }).toBeDefined();
    const enospc = findEnospc();
    const line = JSON.parse(enospc!) as { level: number; msg: string; partition: string; component: string };
    expect(line.level).toBe(50);
    expect(line.partition).toBe('full-0');
    expect(line.component).toBe('storage');
    expect(line.msg).toMatch(new RegExp(`^append to partition full-0 segment 00000000000000000000\\.log at byte \\d+ failed: ENOSPC \\(no space left on device\\); 1 batches \\(\\d+ bytes, offsets ${acked.length}–${acked.length}\\) not stored and not acknowledged`));

    // Space back: the next batch lands at the next offset, as if the failed one never happened.
    await rm(ballast);
    await producer.send({ topic: 'full', acks: -1, messages: [{ value: 'after:space-back' }] });
    await producer.disconnect();
    const read = async (): Promise<string[]> =>
      (await kcat(['-C', '-b', broker!.bootstrap, '-t', 'full', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %s\n'], 60_000)).stdout
        .toString()
        .trim()
        .split('\n')
        .map((l) => {
          const [offset, value] = l.split(' ');
          return `${offset} ${value!.slice(0, value!.indexOf(':'))}`;
        });
    const expected = [...acked.map((v, i) => `${i} ${v}`), `${acked.length} after`];
    expect(await read()).toEqual(expected);
    expect(await broker.stop()).toBe(0);
    broker = await BrokerProcess.start({ dataDir });
    expect(await read()).toEqual(expected);
    expect(await broker.stop()).toBe(0);
  });
});
