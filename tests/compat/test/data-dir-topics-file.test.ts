// Acceptance: meta/topics.json deleted or corrupted between two runs of a real mq-broker process —
// the restarted broker lists the same topics (same ids) and serves every stored record; a corrupt
// file is named in a WARN line.
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kcatConsumeAll, kcatMetadata, kcatProduceFile } from '../src/kcat';
import { parseConsumed, verifyKeyedRecords, writeKeyedInput } from '../src/keyed-messages';
import { restartingBrokerPerTest } from '../src/restarting-broker';

const FORMAT = '%p %o %k %s\\n';
const COUNT = 3_000;

describe('topics.json is not the only record (child-process broker)', () => {
  const broker = restartingBrokerPerTest('topics-file', { 'num.partitions': 3 });

  it.each([
    ['deleted', (path: string) => unlink(path), 'topics file is missing'],
    ['corrupt', (path: string) => writeFile(path, '{"version": 2, "topics": [{"na'), 'topics file is unreadable'],
  ])('topics.json %s: restart brings back topics, ids and data', async (_what, damage, warning) => {
    const first = await broker.start();
    const input = await writeKeyedInput(join(broker.workDir, 'in.txt'), COUNT);
    await kcatProduceFile(first.bootstrap, 'orders', input, { keyDelimiter: ':' });
    await kcatProduceFile(first.bootstrap, 'audit', input, { keyDelimiter: ':' });
    const topicsPath = join(broker.dataDir, 'meta', 'topics.json');
    const before = JSON.parse(await readFile(topicsPath, 'utf8')) as { topics: { name: string; topicId: string }[] };
    expect(await first.stop()).toBe(0);

    await damage(topicsPath);
    const second = await broker.start();
    const meta = await kcatMetadata(second.bootstrap);
    expect(meta.topics.map((t) => `${t.topic}:${t.partitions.length}`).sort()).toEqual(['audit:3', 'orders:3']);
    for (const topic of ['orders', 'audit']) {
      const records = parseConsumed(await kcatConsumeAll(second.bootstrap, topic, FORMAT));
      expect(verifyKeyedRecords(records, COUNT).problems).toEqual([]);
    }
    const warn = second.logLines.map((l) => JSON.parse(l) as { level: number; msg: string; path?: string }).find((l) => l.msg.startsWith('topics file'));
    expect(warn).toMatchObject({ level: 40, path: topicsPath });
    expect(warn?.msg).toContain(warning);
    const after = JSON.parse(await readFile(topicsPath, 'utf8')) as { topics: { name: string; topicId: string }[] };
    const ids = (f: typeof before) => Object.fromEntries(f.topics.map((t) => [t.name, t.topicId]));
    expect(ids(after)).toEqual(ids(before));
    expect(await second.stop()).toBe(0);
  });
});
