// Honesty check against a real C client: data produced by kcat (librdkafka) is read byte-exact by
// our consumer, data we produce is read byte-exact by kcat, and librdkafka's Java-compatible
// murmur2 partitioner agrees with ours on where each key lands.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsumerRecord, murmur2Partition } from '../src/index';
import { type Harness, pollUntil, startHarness, topicName } from './helpers';

const execFileAsync = promisify(execFile);
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function kcatProduce(args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('kcat', ['-P', '-b', h.bootstrap, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${stderr}`))));
    p.stdin.end(input);
  });
}

async function consumeAll(topic: string, partitions: number, n: number): Promise<ConsumerRecord[]> {
  const c = h.client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 });
  c.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
  try {
    return await pollUntil(() => c.poll(), n);
  } finally {
    await c.close();
  }
}

describe('kcat interop', () => {
  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])('reads kcat-produced %s data byte-exact', async (codec) => {
    const topic = topicName(`kcat-${codec}`);
    await h.client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const lines = Array.from({ length: 50 }, (_, i) => `key-${i}:value ${i} ünïcødé ${'z'.repeat(i)}`);
    await kcatProduce(['-t', topic, '-p', '0', '-K', ':', '-z', codec, '-H', 'trace=abc', '-H', 'empty='], lines.join('\n') + '\n');
    const got = await consumeAll(topic, 1, 50);
    expect(got.map((r) => `${r.key!.toString('utf8')}:${r.value!.toString('utf8')}`)).toEqual(lines);
    expect(got.map((r) => r.offset)).toEqual(lines.map((_, i) => BigInt(i)));
    for (const r of got) {
      expect(r.headers.map((x) => [x.key, x.value?.toString()])).toEqual([['trace', 'abc'], ['empty', '']]);
    }
  });

  it('puts keys on the same partitions as librdkafka murmur2_random', async () => {
    const topic = topicName('kcat-murmur');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 7 }]);
    const keys = Array.from({ length: 40 }, (_, i) => `customer-${i * 7919}`);
    await kcatProduce(['-t', topic, '-K', '\t', '-X', 'partitioner=murmur2_random'], keys.map((k) => `${k}\tv`).join('\n') + '\n');
    const got = await consumeAll(topic, 7, 40);
    for (const r of got) expect(r.partition, r.key!.toString()).toBe(murmur2Partition(r.key!, 7));
    const ours = await h.client.producer().send({ topic, messages: keys.map((key) => ({ key, value: 'ours' })) });
    const theirs = new Map(got.map((r) => [r.key!.toString(), r.partition]));
    for (let i = 0; i < keys.length; i++) expect(ours[i]!.partition).toBe(theirs.get(keys[i]!));
  });

  it('shares a consumer group with a librdkafka member (range assignment, consumer protocol codec)', async () => {
    const topic = topicName('kcat-group');
    const groupId = topicName('kgroup');
    await h.client.admin().createTopics([{ name: topic, numPartitions: 4 }]);
    const kcat = spawn('kcat', ['-b', h.bootstrap, '-G', groupId, '-q', '-X', 'partition.assignment.strategy=range', topic], { stdio: ['ignore', 'pipe', 'pipe'] });
    kcat.stdout.resume();
    kcat.stderr.resume();
    try {
      const admin = h.client.admin();
      const waitFor = async (pred: (members: number, state: string) => boolean): Promise<void> => {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const [d] = await admin.describeGroups([groupId]);
          if (pred(d!.members.length, d!.state)) return;
          if (Date.now() > deadline) throw new Error(`group never reached the expected state (${d!.members.length} members, ${d!.state})`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await waitFor((n, state) => n === 1 && state === 'Stable');
      const ours = h.client.consumer({ groupId, maxWaitMs: 100, heartbeatIntervalMs: 300, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000 });
      ours.subscribe([topic]);
      const deadline = Date.now() + 30_000;
      while (ours.assignment().length !== 2) {
        if (Date.now() > deadline) throw new Error(`our member got ${ours.assignment().length} partitions`);
        await ours.poll();
      }
      await waitFor((n, state) => n === 2 && state === 'Stable');
      const [d] = await admin.describeGroups([groupId]);
      expect(d!.protocol).toBe('range');
      const all = d!.members.flatMap((m) => m.assignment.map((tp) => tp.partition)).sort();
      expect(all).toEqual([0, 1, 2, 3]);
      const theirs = d!.members.find((m) => m.clientId !== 'client-test')!;
      expect(theirs.assignment).toHaveLength(2);
      await ours.close();
    } finally {
      kcat.kill('SIGTERM');
      await new Promise((r) => kcat.once('close', r));
    }
  });

  it.each(['none', 'gzip', 'zstd'] as const)('kcat reads what we produce (%s) byte-exact', async (compression) => {
    const topic = topicName(`ours-${compression}`);
    await h.client.admin().createTopics([{ name: topic, numPartitions: 1 }]);
    const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i} ✓`, headers: { n: `${i}` } }));
    await h.client.producer({ compression, lingerMs: 5 }).send({ topic, messages });
    const { stdout } = await execFileAsync('kcat', ['-C', '-b', h.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p|%o|%k|%s|%h\n'], {
      timeout: 20_000,
    });
    expect(stdout.trimEnd().split('\n')).toEqual(messages.map((m, i) => `0|${i}|${m.key}|${m.value}|n=${i}`));
  });
});
