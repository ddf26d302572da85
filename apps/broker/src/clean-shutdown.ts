// The broker's clean-shutdown marker (as Kafka's `.kafka_cleanshutdown` in each log dir): written
// once a graceful stop has closed every log, taken away at start. A start that finds a data dir in
// use without it warns that the last run did not stop cleanly, with what log recovery rescanned
// and truncated. (Each partition log keeps its own marker too; that one decides recovery.)
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOCK_FILE_NAME, type TopicManager } from '@mq/partition';

export const CLEAN_SHUTDOWN_MARKER = '.mq_cleanshutdown';

/** What the data dir says about the last run: never used, stopped cleanly, or not. */
export type LastShutdown = 'fresh' | 'clean' | 'unclean';

/** Reads and removes the marker; call with the data dir lock held, before anything else writes there. */
export async function takeCleanShutdownMarker(dataDir: string): Promise<LastShutdown> {
  const entries = await readdir(dataDir);
  if (entries.includes(CLEAN_SHUTDOWN_MARKER)) {
    await rm(join(dataDir, CLEAN_SHUTDOWN_MARKER), { force: true });
    return 'clean';
  }
  return entries.some((e) => e !== LOCK_FILE_NAME) ? 'unclean' : 'fresh';
}

/** After every log closed cleanly. */
export async function writeCleanShutdownMarker(dataDir: string): Promise<void> {
  await writeFile(join(dataDir, CLEAN_SHUTDOWN_MARKER), `${new Date().toISOString()}\n`);
}

export interface RecoverySummary {
  readonly partitions: number;
  readonly partitionsRecovered: number;
  readonly segmentsRescanned: number;
  readonly bytesTruncated: number;
  /** `<topic>-<n>` of each partition that lost a torn or corrupt tail (the first 20). */
  readonly truncated: readonly string[];
}

/** What recovery did to the partitions TopicManager opened. */
export function recoverySummary(topics: TopicManager): RecoverySummary {
  let partitions = 0;
  let partitionsRecovered = 0;
  let segmentsRescanned = 0;
  let bytesTruncated = 0;
  const truncated: string[] = [];
  for (const t of topics.list()) {
    for (const p of t.partitions) {
      // A cluster member's topic has holes where it hosts no replica.
      if (p === undefined) continue;
      partitions++;
      const r = p.recovery;
      if (r.recoveredSegments > 0) partitionsRecovered++;
      segmentsRescanned += r.recoveredSegments;
      bytesTruncated += r.truncatedBytes;
      if (r.truncatedBytes > 0 && truncated.length < 20) truncated.push(`${t.name}-${p.index}`);
    }
  }
  return { partitions, partitionsRecovered, segmentsRescanned, bytesTruncated, truncated };
}
