// Acceptance: a graceful stop (SIGTERM) closes every partition log cleanly — flushed, indexes written,
// clean-shutdown marker left — so the next start skips crash recovery. Checked on disk for topics made
// by auto-creation and by CreateTopics, with and without segment rolls.
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { kcatProduceFile } from '../src/kcat';
import { writeKeyedInput } from '../src/keyed-messages';
import { makeTempDir, removeDir } from '../src/temp-dir';

describe('graceful stop leaves clean logs', () => {
  let dataDir: string;
  let workDir: string;
  let broker: BrokerProcess | undefined;

  beforeEach(async () => {
    dataDir = await makeTempDir('clean-data');
    workDir = await makeTempDir('clean-work');
  });

  afterEach(async () => {
    await broker?.kill();
    broker = undefined;
    await removeDir(dataDir);
    await removeDir(workDir);
  });

  it.each([
    { how: 'auto-created', create: false, segmentBytes: undefined },
    { how: 'CreateTopics', create: true, segmentBytes: undefined },
    { how: 'CreateTopics, rolled segments', create: true, segmentBytes: '1048576' },
  ])('$how topic: .clean-shutdown after SIGTERM', async ({ create, segmentBytes }) => {
    const configFile = join(workDir, 'broker.json');
    await writeFile(configFile, JSON.stringify({ 'log.flush.interval.messages': '9223372036854775807', 'log.flush.interval.ms': 1000 }));
    broker = await BrokerProcess.start({ dataDir, configFile });
    if (create) {
      const admin = new Kafka({ clientId: 'compat-clean', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.createTopics({
        topics: [{ topic: 'clean', numPartitions: 1, configEntries: segmentBytes ? [{ name: 'segment.bytes', value: segmentBytes }] : [] }],
        waitForLeaders: true,
      });
      await admin.disconnect();
    }
    const input = await writeKeyedInput(join(workDir, 'in.txt'), 50_000);
    await kcatProduceFile(broker.bootstrap, 'clean', input, { keyDelimiter: ':' });
    expect(await broker.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'clean-0', '.clean-shutdown')), `clean-0/.clean-shutdown; broker log:\n${broker.logLines.slice(-20).join('\n')}`).toBe(true);
  });

  it('closes cleanly after clients that connected and hung up without sending a byte', async () => {
    broker = await BrokerProcess.start({ dataDir });
    await kcatProduceFile(broker.bootstrap, 'clean', await writeKeyedInput(join(workDir, 'in.txt'), 1_000), { keyDelimiter: ':' });
    // What a readiness probe does: connect, then destroy at once (20 times).
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const s = connect({ host: broker!.host, port: broker!.port });
        s.once('connect', () => {
          s.destroy();
          resolve();
        });
        s.once('error', () => resolve());
      });
    }
    expect(await broker.stop()).toBe(0);
    expect(broker.logLines.some((l) => l.includes('"broker stopped"')), `broker log:\n${broker.logLines.slice(-10).join('\n')}`).toBe(true);
    expect(existsSync(join(dataDir, 'clean-0', '.clean-shutdown'))).toBe(true);
  });

  it('closes cleanly after readiness probes hit the port while the broker was starting', async () => {
    // A free port chosen up front, as benchmark harnesses and orchestrators do.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a !== null ? a.port : 0));
      });
    });
    let probing = true;
    let accepted = 0;
    const probe = (async () => {
      while (probing) {
        await new Promise<void>((resolve) => {
          const s = connect({ host: '127.0.0.1', port });
          s.once('connect', () => {
            accepted++;
            s.destroy();
            resolve();
          });
          s.once('error', () => resolve());
        });
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    broker = await BrokerProcess.start({ dataDir, extraArgs: ['--port', String(port)] });
    await new Promise((r) => setTimeout(r, 100));
    probing = false;
    await probe;
    expect(accepted).toBeGreaterThan(0);
    await kcatProduceFile(broker.bootstrap, 'clean', await writeKeyedInput(join(workDir, 'in.txt'), 1_000), { keyDelimiter: ':' });
    expect(await broker.stop()).toBe(0);
    expect(broker.logLines.some((l) => l.includes('"broker stopped"')), `broker log:\n${broker.logLines.slice(-10).join('\n')}`).toBe(true);
    expect(existsSync(join(dataDir, 'clean-0', '.clean-shutdown'))).toBe(true);
  });
});
