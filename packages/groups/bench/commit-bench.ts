// Offset-commit benchmark: simple commits (generation -1) from G groups, C in flight per group, each
// one partition's offset, on a real coordinator over a temp data dir (__consumer_offsets with the
// broker's default partitions and flush policy: fsync before every acknowledgement). Prints
// commits/s and per-commit latency percentiles.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TopicManager } from '@mq/partition';
import { GroupCoordinator } from '../src/index';

const GROUPS = Number(process.env.GROUPS ?? 20);
const COMMITS = Number(process.env.COMMITS ?? 200);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 4);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mq-commit-bench-'));
  const topics = await TopicManager.open({ dataDir: dir });
  const c = await GroupCoordinator.open({ topicManager: topics, topicExists: () => true });
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: GROUPS }, async (_, g) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < COMMITS) {
            const i = next++;
            const t0 = performance.now();
            const res = await c.commitOffsets({
              groupId: `g${g}`, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null,
              topics: [{ name: 't', partitions: [{ partitionIndex: i % 8, committedOffset: BigInt(i), committedLeaderEpoch: -1, committedMetadata: null }] }],
            });
            if (res.topics[0]!.partitions[0]!.errorCode !== 0) throw new Error(`commit failed: ${res.topics[0]!.partitions[0]!.errorCode}`);
            latencies.push(performance.now() - t0);
          }
        }),
      );
    }),
  );
  const ms = performance.now() - start;
  await c.close();
  await topics.close();
  await rm(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2);
  console.log(`${GROUPS} groups × ${COMMITS} commits, ${IN_FLIGHT} in flight per group: ${((GROUPS * COMMITS) / (ms / 1000)).toFixed(0)} commits/s, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms`);
}

await main();
