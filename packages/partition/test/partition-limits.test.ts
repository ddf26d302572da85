// Broker-wide limits in TopicManager on real temp dirs: max.partitions refuses with POLICY_VIOLATION
// (as Kafka's controller does for an over-limit request), open files stay bounded across partitions,
// and storage events from every partition's log reach the manager's logger.
import { mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyViolationError } from '@mq/errors';
import { buildRecordBatch } from '@mq/records';
import { TopicManager } from '../src/topic-manager';
import type { PartitionLogger } from '../src/topic-manager';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mq-partition-limits-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const batch = () => buildRecordBatch({ records: [{ key: null, value: Buffer.from('v') }] });

describe('max.partitions', () => {
  it('refuses CreateTopics and CreatePartitions past the broker-wide cap with POLICY_VIOLATION, counting what is on disk', async () => {
    let tm = await TopicManager.open({ dataDir: dir, maxPartitions: 10 });
    await tm.createTopic('a', 6);
    const err = await tm.createTopic('b', 5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyViolationError);
    expect((err as PolicyViolationError).errorCode).toBe(44);
    expect((err as Error).message).toBe('creating topic b with 5 partitions would bring the broker to 11 partitions, above max.partitions 10 (it holds 6)');
    await expect(tm.createTopic('b', 5, {}, true)).rejects.toBeInstanceOf(PolicyViolationError); // validateOnly too
    await expect(tm.createPartitions('a', 11)).rejects.toBeInstanceOf(PolicyViolationError);
    expect(tm.get('b')).toBeUndefined();
    await tm.createTopic('b', 4);
    expect(tm.totalPartitions).toBe(10);
    await tm.close();

    tm = await TopicManager.open({ dataDir: dir, maxPartitions: 10 });
    expect(tm.totalPartitions).toBe(10);
    await expect(tm.createTopic('c', 1)).rejects.toBeInstanceOf(PolicyViolationError);
    await tm.deleteTopic('a');
    await tm.createTopic('c', 6);
    expect(tm.totalPartitions).toBe(10);
    await tm.close();
  });
});

describe('open files', () => {
  it('300 written partitions under maxOpenFiles 16 hold at most ~16 segment fds', async () => {
    const tm = await TopicManager.open({ dataDir: dir, maxOpenFiles: 16 });
    const before = (await readdir('/proc/self/fd')).length;
    await tm.createTopic('many', 300, { 'flush.messages': '9223372036854775807' });
    for (const p of tm.get('many')!.partitions) await p.append(await batch());
    await new Promise((r) => setTimeout(r, 50));
    expect((await readdir('/proc/self/fd')).length - before).toBeLessThanOrEqual(16 + 4);
    for (const p of tm.get('many')!.partitions.slice(0, 20)) expect((await p.read(0n, 1000)).length).toBeGreaterThan(0);
    await tm.close();
  });
});

describe('logger', () => {
  it('recovery of a partition reports through the TopicManager logger, naming topic-partition', async () => {
    let tm = await TopicManager.open({ dataDir: dir });
    await tm.createTopic('orders', 1);
    for (let i = 0; i < 3; i++) await tm.partition('orders', 0).append(await batch());
    await tm.close();
    // A torn tail after a crash: no clean-shutdown marker and the last batch cut short.
    await rm(join(dir, 'orders-0', '.clean-shutdown'));
    const seg = join(dir, 'orders-0', '00000000000000000000.log');
    await truncate(seg, (await stat(seg)).size - 5);
    const lines: { level: string; obj: object; msg?: string }[] = [];
    const logger: PartitionLogger = {
      info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
      warn: (obj, msg) => lines.push({ level: 'warn', obj, msg }),
      error: (obj, msg) => lines.push({ level: 'error', obj, msg }),
    };
    tm = await TopicManager.open({ dataDir: dir, logger });
    expect(tm.partition('orders', 0).logEndOffset).toBe(2n);
    const warn = lines.find((l) => l.level === 'warn');
    expect(warn?.msg).toMatch(/^recovery truncated partition orders-0 segment 00000000000000000000\.log at byte \d+: dropped 1 records, offsets 2–2/);
    await tm.close();
  });
});
