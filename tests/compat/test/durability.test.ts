// Acceptance: a broker child process with flush.messages=1 ("flush: always") is crashed (SIGKILL)
// right after acked produces, or stopped gracefully (SIGTERM); after a restart on the same data dir
// every acked message reads back exactly once, and new produces continue the offsets. The SIGKILL case
// runs again with log.preallocate=true: the kill leaves a zero tail after the data, which recovery
// must trim without exposing it or losing an acked record.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kcatConsumeAll, kcatProduceFile } from '../src/kcat';
import { messageKey, messageValue, parseConsumed, verifyKeyedRecords, writeKeyedInput, type ConsumedRecord } from '../src/keyed-messages';
import { type RestartingBroker, restartingBrokerPerTest } from '../src/restarting-broker';

const FORMAT = '%p %o %k %s\\n';

/** Offsets of each partition must be exactly 0, 1, 2, ... in consumption order. */
function offsetGaps(records: readonly ConsumedRecord[]): string[] {
  const next = new Map<number, bigint>();
  const problems: string[] = [];
  for (const r of records) {
    const want = next.get(r.partition) ?? 0n;
    if (r.offset !== want && problems.length < 10) problems.push(`partition ${r.partition}: offset ${r.offset}, expected ${want}`);
    next.set(r.partition, r.offset + 1n);
  }
  return problems;
}

/** On-disk lengths of every segment file of the topic's partitions. */
async function segmentFileLengths(dataDir: string): Promise<number[]> {
  const out: number[] = [];
  for (const d of (await readdir(dataDir)).filter((n) => n.startsWith('durable-'))) {
    for (const f of (await readdir(join(dataDir, d))).filter((n) => n.endsWith('.log'))) out.push((await stat(join(dataDir, d, f))).size);
  }
  return out;
}

/** Acked produces, a SIGKILL with one batch in flight, a restart: every acked record once, offsets dense. */
async function sigkillLosesNothingAcked(broker: RestartingBroker, preallocate = false): Promise<void> {
  const BATCH = 100;
  const ACKED_BATCHES = 30;
  const first = await broker.start();
  const kafka = new Kafka({
    clientId: 'compat-durability',
    brokers: [first.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
  });
  const producer = kafka.producer({ retry: { retries: 0 } });
  await producer.connect();
  const batch = (b: number) =>
    Array.from({ length: BATCH }, (_, j) => ({ key: messageKey(b * BATCH + j), value: messageValue(b * BATCH + j) }));
  for (let b = 0; b < ACKED_BATCHES; b++) {
    await producer.send({ topic: 'durable', acks: -1, messages: batch(b) });
  }
  const acked = ACKED_BATCHES * BATCH;
  // One more batch in flight while the broker dies: it may or may not survive, but not in part twice.
  const inFlight = producer.send({ topic: 'durable', acks: -1, messages: batch(ACKED_BATCHES) }).then(
    () => 'acked',
    () => 'failed',
  );
  await first.kill();
  await inFlight;
  await producer.disconnect().catch(() => undefined);
  // Preallocated: the killed broker's active segments run 1 MiB of zeros past their data.
  if (preallocate) expect(Math.max(...(await segmentFileLengths(broker.dataDir)))).toBeGreaterThan(1024 * 1024);

  const second = await broker.start();
  const records = parseConsumed(await kcatConsumeAll(second.bootstrap, 'durable', FORMAT));
  const ackedRecords = records.filter((r) => Number(r.key.slice(1)) < acked);
  const report = verifyKeyedRecords(ackedRecords, acked);
  expect(report.problems).toEqual([]);
  const extra = records.filter((r) => Number(r.key.slice(1)) >= acked);
  expect(extra.every((r) => Number(r.key.slice(1)) < acked + BATCH)).toBe(true);
  expect(new Set(extra.map((r) => r.key)).size).toBe(extra.length);
  expect(offsetGaps(records)).toEqual([]);

  // The recovered log keeps accepting: new messages get the next offsets.
  const more = await writeKeyedInput(join(broker.workDir, 'more.txt'), 1_000, 1_000_000);
  await kcatProduceFile(second.bootstrap, 'durable', more, { keyDelimiter: ':' });
  const after = parseConsumed(await kcatConsumeAll(second.bootstrap, 'durable', FORMAT));
  expect(after).toHaveLength(records.length + 1_000);
  expect(offsetGaps(after)).toEqual([]);
  expect(verifyKeyedRecords(after.filter((r) => Number(r.key.slice(1)) >= 1_000_000), 1_000, 1_000_000).problems).toEqual([]);
  expect(await second.stop()).toBe(0);
}

describe('durability across restarts (child-process broker)', () => {
  const broker = restartingBrokerPerTest('durable', { 'num.partitions': 2, 'log.flush.interval.messages': 1 });

  it('SIGKILL after acked produces loses nothing that was acked', () => sigkillLosesNothingAcked(broker));

  it('SIGTERM stops gracefully (exit 0) and a restart serves every message', async () => {
    const COUNT = 20_000;
    const input = await writeKeyedInput(join(broker.workDir, 'input.txt'), COUNT);
    const first = await broker.start();
    await kcatProduceFile(first.bootstrap, 'graceful', input, { keyDelimiter: ':', codec: 'lz4' });
    expect(await first.stop()).toBe(0);

    const second = await broker.start();
    const records = parseConsumed(await kcatConsumeAll(second.bootstrap, 'graceful', FORMAT));
    expect(verifyKeyedRecords(records, COUNT).problems).toEqual([]);
    expect(offsetGaps(records)).toEqual([]);

    const more = await writeKeyedInput(join(broker.workDir, 'more.txt'), 1_000, COUNT);
    await kcatProduceFile(second.bootstrap, 'graceful', more, { keyDelimiter: ':' });
    expect(await second.stop()).toBe(0);

    const third = await broker.start();
    const all = parseConsumed(await kcatConsumeAll(third.bootstrap, 'graceful', FORMAT));
    expect(verifyKeyedRecords(all, COUNT + 1_000).problems).toEqual([]);
    expect(offsetGaps(all)).toEqual([]);
    expect(await third.stop()).toBe(0);
  });
});

describe('durability across a SIGKILL with preallocated segment files (child-process broker)', () => {
  const broker = restartingBrokerPerTest('durable', { 'num.partitions': 2, 'log.flush.interval.messages': 1, 'log.preallocate': true });
  it('SIGKILL after acked produces loses nothing that was acked', () => sigkillLosesNothingAcked(broker, true));
});
