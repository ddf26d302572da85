// Acceptance: open files are bounded. A real broker child under `prlimit --nofile=4096` creates
// 10,000 partitions through batched CreateTopics, takes produces on a sample, stops on SIGTERM with
// exit 0, restarts, serves metadata, offsets and fetches for all of them, and stops cleanly again.
// Under a tiny fd limit, EMFILE on accept is logged at WARN and the broker keeps serving.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrokerProcess } from '../src/broker-process';
import { kcat, kcatMetadata } from '../src/kcat';
import { makeTempDir, removeDir } from '../src/temp-dir';

const TOPICS = 10;
const PER_TOPIC = 1_000;
const SAMPLE = [0, 1, 499, 998, 999];

function parseLines(lines: readonly string[]): { level: number; msg: string; [k: string]: unknown }[] {
  return lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as { level: number; msg: string }];
    } catch {
      return [];
    }
  });
}

describe('open files stay bounded', () => {
  let dataDir: string;
  let workDir: string;
  let broker: BrokerProcess | undefined;

  beforeEach(async () => {
    dataDir = await makeTempDir('fds-data');
    workDir = await makeTempDir('fds-work');
  });
  afterEach(async () => {
    await broker?.kill();
    broker = undefined;
    await removeDir(dataDir);
    await removeDir(workDir);
  });

  it('10,000 partitions under a 4096-fd limit: create, produce, SIGTERM exit 0, restart, fetch, SIGTERM exit 0', async () => {
    const configFile = join(workDir, 'broker.json');
    // Acks after the write, fsync once a second: this checks file handles, not disk latency.
    await writeFile(configFile, JSON.stringify({ 'log.flush.interval.messages': '9223372036854775807', 'log.flush.interval.ms': 1000, 'auto.create.topics.enable': false }));
    broker = await BrokerProcess.start({ dataDir, configFile, nofile: 4096 });
    const kafka = () => new Kafka({ clientId: 'compat-fds', brokers: [broker!.bootstrap], logLevel: logLevel.NOTHING, requestTimeout: 120_000 });
    const admin = kafka().admin();
    await admin.connect();
    const names = Array.from({ length: TOPICS }, (_, i) => `many-${i}`);
    // Batched: two CreateTopics requests of 5,000 partitions each.
    for (const batch of [names.slice(0, TOPICS / 2), names.slice(TOPICS / 2)]) {
      expect(await admin.createTopics({ topics: batch.map((topic) => ({ topic, numPartitions: PER_TOPIC })), timeout: 120_000 })).toBe(true);
    }
    const producer = kafka().producer();
    await producer.connect();
    for (const topic of names) {
      await producer.send({ topic, acks: -1, messages: SAMPLE.map((partition) => ({ partition, key: `k${partition}`, value: `${topic}/${partition}` })) });
    }
    await producer.disconnect();
    await admin.disconnect();
    expect(await broker.stop(120_000), `broker log:\n${broker.logLines.slice(-20).join('\n')}`).toBe(0);
    const first = parseLines(broker.logLines);
    expect(first.filter((l) => l.level >= 50), 'no ERROR lines').toEqual([]);
    expect(existsSync(join(dataDir, 'many-0-0', '.clean-shutdown'))).toBe(true);
    expect(existsSync(join(dataDir, 'many-9-999', '.clean-shutdown'))).toBe(true);

    broker = await BrokerProcess.start({ dataDir, configFile, nofile: 4096, startTimeoutMs: 60_000 });
    const meta = await kcatMetadata(broker.bootstrap);
    expect(meta.topics.filter((t) => t.topic.startsWith('many-')).reduce((n, t) => n + t.partitions.length, 0)).toBe(TOPICS * PER_TOPIC);
    const admin2 = kafka().admin();
    await admin2.connect();
    for (const topic of names) {
      const offsets = await admin2.fetchTopicOffsets(topic);
      expect(offsets).toHaveLength(PER_TOPIC);
      for (const o of offsets) expect(o.high, `${topic}-${o.partition}`).toBe(SAMPLE.includes(o.partition) ? '1' : '0');
    }
    await admin2.disconnect();
    for (const topic of [names[0]!, names[9]!]) {
      for (const p of SAMPLE) {
        const res = await kcat(['-C', '-b', broker.bootstrap, '-t', topic, '-p', String(p), '-o', 'beginning', '-e', '-q', '-f', '%k=%s\n'], 60_000);
        expect(res.stdout.toString()).toBe(`k${p}=${topic}/${p}\n`);
      }
    }
    // Writes after the restart still land (the marker of a partition goes before its first write).
    await kcat(['-P', '-b', broker.bootstrap, '-t', names[3]!, '-p', '7', '-K', ':'], 60_000, 'late:after-restart\n');
    expect(await broker.stop(120_000), `broker log:\n${broker.logLines.slice(-20).join('\n')}`).toBe(0);
    const second = parseLines(broker.logLines);
    expect(second.filter((l) => l.level >= 50 || String(l.msg).includes('EMFILE')), 'no ERROR or EMFILE lines').toEqual([]);
    expect(second.some((l) => l.msg === 'broker stopped')).toBe(true);
  });

  it('connections refused for EMFILE (which libuv drops without an error) are reported at WARN with the limit to raise, and the broker serves again once fds free up', async () => {
    broker = await BrokerProcess.start({ dataDir, nofile: 64 });
    const sockets: Socket[] = [];
    // Each accepted connection costs the broker one fd: 100 of them must run into the limit of 64.
    for (let i = 0; i < 100; i++) {
      const s = connect({ host: broker.host, port: broker.port });
      s.on('error', () => undefined);
      sockets.push(s);
      await new Promise<void>((resolve) => {
        s.once('connect', () => resolve());
        s.once('error', () => resolve());
        s.once('close', () => resolve());
      });
    }
    const deadline = Date.now() + 10_000;
    while (!broker.logLines.some((l) => l.includes('new connections are dropped on accept')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const warn = parseLines(broker.logLines).find((l) => String(l.msg).startsWith('open files at '));
    expect(warn, `broker log:\n${broker.logLines.slice(-10).join('\n')}`).toBeDefined();
    expect(warn!.level).toBe(40);
    expect(warn!.msg).toContain('EMFILE');
    expect(warn!.msg).toContain('ulimit -n');
    expect(warn!.limit).toBe(64);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 300));
    const meta = await kcatMetadata(broker.bootstrap);
    expect(meta.brokers).toHaveLength(1);
    expect(broker.isAlive()).toBe(true);
    expect(await broker.stop()).toBe(0);
  });

  it('max.partitions: CreateTopics past the cap gets POLICY_VIOLATION with the numbers, and nothing is created', async () => {
    const configFile = join(workDir, 'broker.json');
    await writeFile(configFile, JSON.stringify({ 'max.partitions': 5 }));
    broker = await BrokerProcess.start({ dataDir, configFile });
    const admin = new Kafka({ clientId: 'compat-cap', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'fits', numPartitions: 4 }] });
      const err = await admin.createTopics({ topics: [{ topic: 'too-many', numPartitions: 2 }] }).catch((e: unknown) => e);
      const detail = (err as { errors?: { type?: string; message?: string }[] }).errors?.[0];
      expect(detail?.type).toBe('POLICY_VIOLATION');
      expect(await admin.listTopics()).not.toContain('too-many');
      await admin.createPartitions({ topicPartitions: [{ topic: 'fits', count: 5 }] });
    } finally {
      await admin.disconnect();
    }
    expect(await broker.stop()).toBe(0);
  });
});
