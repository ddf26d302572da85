// Acceptance (#10 item 5): a data dir written by the broker before the coordinator runtime (group
// records in one log <dataDir>/__consumer_offsets-0, fixtures/legacy-offsets, made by its
// make-fixture.ts on that code) starts on today's broker, which imports it into the internal topic
// __consumer_offsets: kafkajs reads every committed offset back through OffsetFetch, a deleted group
// stays deleted, a consumer of the old group resumes after its commits, and a second restart keeps it all.
import { access, cp, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { committedOffsets, consumeAfterCommits } from '../src/fixture-groups';
import { makeTempDir, removeDir } from '../src/temp-dir';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'legacy-offsets', 'data');

const exists = (p: string) => access(p).then(() => true, () => false);

describe('a data dir from the broker before the coordinator runtime', () => {
  let dataDir: string | undefined;
  const brokers: BrokerProcess[] = [];
  afterEach(async () => {
    for (const b of brokers.splice(0)) await b.kill();
    await removeDir(dataDir);
  });

  it('starts, keeps every committed offset (OffsetFetch via kafkajs) and the consumer resumes after them', async () => {
    dataDir = await makeTempDir('legacy-offsets');
    await cp(FIXTURE, dataDir, { recursive: true });
    let broker = await BrokerProcess.start({ dataDir });
    brokers.push(broker);
    const check = async (b: BrokerProcess) => {
      const kafka = new Kafka({ clientId: 'legacy', brokers: [b.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
      const admin = kafka.admin();
      await admin.connect();
      try {
        expect(await committedOffsets(admin, 'legacy-app', 'orders')).toEqual(['0:10', '1:10', '2:10']);
        expect(await committedOffsets(admin, 'legacy-admin', 'orders')).toEqual(['0:4', '1:-1', '2:8']);
        expect(await committedOffsets(admin, 'legacy-admin', 'audit')).toEqual(['0:3']);
        expect(await committedOffsets(admin, 'legacy-kip848', 'audit')).toEqual(['0:2:kip848 meta']);
        expect(await committedOffsets(admin, 'legacy-deleted', 'orders')).toEqual(['0:-1', '1:-1', '2:-1']);
        const listed = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
        expect(listed).toEqual(['legacy-admin', 'legacy-app', 'legacy-kip848']);
      } finally {
        await admin.disconnect();
      }
      return kafka;
    };
    const kafka = await check(broker);
    // Imported into the internal topic; the old log is gone.
    const entries = await readdir(dataDir);
    expect(entries).not.toContain('__consumer_offsets.pre-runtime');
    expect(entries.filter((e) => e.startsWith('__consumer_offsets-')).length).toBe(50);
    expect(await exists(join(dataDir, '__consumer_offsets-0', 'partition.metadata'))).toBe(true);

    // The old group's consumer resumes after what it committed: only the 3 new messages.
    expect(await consumeAfterCommits(kafka, 'legacy-app', 'orders')).toEqual(['new0', 'new1', 'new2']);

    // A second restart reads the new layout (no import) and keeps everything, including the new commits.
    expect(await broker.stop()).toBe(0);
    broker = await BrokerProcess.start({ dataDir });
    brokers.push(broker);
    const again = new Kafka({ clientId: 'legacy', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10 } }).admin();
    await again.connect();
    expect(await committedOffsets(again, 'legacy-app', 'orders')).toEqual(['0:11', '1:11', '2:11']);
    expect(await committedOffsets(again, 'legacy-admin', 'orders')).toEqual(['0:4', '1:-1', '2:8']);
    expect(await committedOffsets(again, 'legacy-kip848', 'audit')).toEqual(['0:2:kip848 meta']);
    await again.disconnect();
  });
});
