// Acceptance: librdkafka features beyond plain produce/consume, through kcat — the idempotent producer
// (InitProducerId + sequences), acks=0 (no response at all), start offsets by relative position and by
// timestamp (ListOffsets), and a near-1 MB message.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/child-process';
import { KCAT, kcat, kcatConsumeAll, kcatProduceFile } from '../src/kcat';
import { parseConsumed, verifyKeyedRecords, writeKeyedInput } from '../src/keyed-messages';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const FORMAT = '%p %o %k %s\\n';

describe('kcat features', () => {
  let broker: Broker;
  let dataDir: string;
  let workDir: string;
  let bootstrap: string;

  beforeAll(async () => {
    dataDir = await makeTempDir('features-data');
    workDir = await makeTempDir('features-work');
    broker = await startBroker({ dataDir, config: { numPartitions: 2 } });
    bootstrap = `${broker.host}:${broker.port}`;
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
    await removeDir(workDir);
  });

  it('idempotent producer (enable.idempotence=true): 20,000 messages exactly once, in order', async () => {
    const input = await writeKeyedInput(join(workDir, 'idem.txt'), 20_000);
    const res = await kcatProduceFile(bootstrap, 'feat-idempotent', input, { keyDelimiter: ':', extra: ['-X', 'enable.idempotence=true', '-X', 'debug=eos'] });
    // librdkafka logs the producer id it got from InitProducerId; a broker without it would fail the run.
    expect(res.stderr).toMatch(/PID|ProducerId|pid/i);
    const records = parseConsumed(await kcatConsumeAll(bootstrap, 'feat-idempotent', FORMAT));
    expect(verifyKeyedRecords(records, 20_000).problems).toEqual([]);
  });

  it('acks=0: the broker sends no response and still stores every message', async () => {
    const input = await writeKeyedInput(join(workDir, 'acks0.txt'), 10_000);
    await kcatProduceFile(bootstrap, 'feat-acks0', input, { keyDelimiter: ':', extra: ['-X', 'request.required.acks=0'] });
    // kcatProduceFile appends acks=-1 first; librdkafka takes the last value given.
    const deadline = Date.now() + 30_000;
    let records = parseConsumed(await kcatConsumeAll(bootstrap, 'feat-acks0', FORMAT));
    while (records.length < 10_000 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      records = parseConsumed(await kcatConsumeAll(bootstrap, 'feat-acks0', FORMAT));
    }
    expect(verifyKeyedRecords(records, 10_000).problems).toEqual([]);
  });

  it('starts at a relative offset from the end (-o -N) and at a timestamp (-o s@T)', async () => {
    const produce = (lines: string[]): Promise<unknown> => kcat(['-P', '-b', bootstrap, '-t', 'feat-offsets', '-p', '0'], 60_000, `${lines.join('\n')}\n`);
    await produce(['a0', 'a1', 'a2', 'a3', 'a4']);
    await new Promise((r) => setTimeout(r, 50));
    const boundary = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    await produce(['b0', 'b1', 'b2']);
    const tail = await kcat(['-C', '-b', bootstrap, '-t', 'feat-offsets', '-p', '0', '-o', '-2', '-e', '-q', '-f', '%o %s\\n'], 60_000);
    expect(tail.stdout.toString().trim().split('\n')).toEqual(['6 b1', '7 b2']);
    const fromTime = await kcat(['-C', '-b', bootstrap, '-t', 'feat-offsets', '-p', '0', '-o', `s@${boundary}`, '-e', '-q', '-f', '%o %s\\n'], 60_000);
    expect(fromTime.stdout.toString().trim().split('\n')).toEqual(['5 b0', '6 b1', '7 b2']);
  });

  it('round-trips a 900 KiB message and rejects one above max.message.bytes', async () => {
    const big = Buffer.alloc(900 * 1024, 'q');
    const file = join(workDir, 'big.bin');
    await writeFile(file, big);
    await kcat(['-P', '-b', bootstrap, '-t', 'feat-big', '-p', '0', file], 60_000);
    const out = await kcat(['-C', '-b', bootstrap, '-t', 'feat-big', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%S\\n'], 60_000);
    expect(out.stdout.toString().trim()).toBe(String(big.length));

    const huge = join(workDir, 'huge.bin');
    await writeFile(huge, Buffer.alloc(2 * 1024 * 1024, 'z'));
    // Allow the client to send it (its own limit is 1 MB) so the broker is the one to refuse.
    const res = await run(KCAT, ['-P', '-b', bootstrap, '-t', 'feat-big', '-p', '0', '-X', 'message.max.bytes=10000000', '-X', 'message.timeout.ms=10000', huge], { timeoutMs: 60_000 });
    expect(`${res.stderr}`).toMatch(/too large|MSG_SIZE_TOO_LARGE|Broker: Message size too large/i);
    const after = await kcat(['-C', '-b', bootstrap, '-t', 'feat-big', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%S\\n'], 60_000);
    expect(after.stdout.toString().trim()).toBe(String(big.length));
  });
});
