// Importing a data dir written before the coordinator runtime: its group records were in one log,
// <dataDir>/__consumer_offsets-0, with no partition.metadata and value layouts of their own
// (records/legacy-records.ts). Before __consumer_offsets becomes a topic that dir is renamed aside
// (so the topic's partition 0 starts empty), and after the topic exists its records are converted
// to Kafka's and appended, in log order, to the partition each group hashes to; then the old dir is
// removed. A crash at any point is safe: the renamed dir stays until everything is appended, and
// appending it again only repeats the same records (the last one per key wins).
import { access, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PartitionRecordWriter, type RawRecord } from '@mq/coordinator';
import { Log } from '@mq/log';
import type { Topic } from '@mq/partition';
import { decodeRecordBatch, iterateBatches } from '@mq/records';
import type { TopicResolver } from './consumer-group-assignment';
import { CONSUMER_OFFSETS_TOPIC, partitionFor } from './consumer-offsets-topic';
import { type GroupRecord, MemberState } from './records/group-record';
import { serializeGroupRecord } from './records/group-record-serde';
import { decodeLegacyRecord, type LegacyRecord } from './records/legacy-records';

const LEGACY_DIR = `${CONSUMER_OFFSETS_TOPIC}-0`;
/** Not a `<topic>-<n>` name: topic recovery never mistakes it for a partition. */
export const LEGACY_ASIDE_DIR = `${CONSUMER_OFFSETS_TOPIC}.pre-runtime`;
const READ_BYTES = 1024 * 1024;
/** Records per appended batch: well under the default max.message.bytes for any group record. */
const BATCH_RECORDS = 200;

const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * Before the topic exists: moves a pre-runtime __consumer_offsets-0 aside. Returns whether an import
 * is pending (moved now or by an earlier, interrupted start).
 */
export async function setAsideLegacyOffsets(dataDir: string, topicExists: boolean): Promise<boolean> {
  const legacy = join(dataDir, LEGACY_DIR);
  if (!topicExists && (await exists(legacy)) && !(await exists(join(legacy, 'partition.metadata')))) {
    await rename(legacy, join(dataDir, LEGACY_ASIDE_DIR));
  }
  return exists(join(dataDir, LEGACY_ASIDE_DIR));
}

export interface LegacyImportResult {
  records: number;
  skipped: number;
}

/** Converts and appends the set-aside records to the topic's partitions, then removes the old dir. */
export async function importLegacyOffsets(
  dataDir: string,
  topic: Topic,
  topics: TopicResolver,
  onError: (err: unknown, context: string) => void,
  now: () => number = Date.now,
): Promise<LegacyImportResult> {
  const dir = join(dataDir, LEGACY_ASIDE_DIR);
  const files = await readdir(dir);
  const byPartition = new Map<number, RawRecord[]>();
  let records = 0;
  let skipped = 0;
  /** Members of each group's last snapshot: a later snapshot without one means it left (tombstones). */
  const members = new Map<string, Set<string>>();
  if (files.some((f) => f.endsWith('.log'))) {
    const log = await Log.open(dir, { cleanupPolicy: 'compact', retentionMs: -1, segmentBytes: 100 * 1024 * 1024 });
    try {
      let offset = log.logStartOffset;
      const end = log.logEndOffset;
      while (offset < end) {
        const chunk = await log.read(offset, READ_BYTES);
        if (chunk.length === 0) break;
        let next = offset;
        for (const { batch } of iterateBatches(chunk)) {
          const decoded = await decodeRecordBatch(batch);
          for (const r of decoded.records) {
            if (r.offset < offset || r.key === null) continue;
            let legacy: LegacyRecord;
            try {
              legacy = decodeLegacyRecord({ key: r.key, value: r.value });
            } catch (err) {
              skipped++;
              onError(err, `importing ${LEGACY_DIR}: skipping the unreadable record at offset ${r.offset}`);
              continue;
            }
            const p = partitionFor(legacy.groupId, topic.partitions.length);
            let list = byPartition.get(p);
            if (list === undefined) byPartition.set(p, (list = []));
            for (const rec of convert(legacy, topics, members)) list.push(serializeGroupRecord(rec));
            records++;
          }
          next = decoded.header.baseOffset + BigInt(decoded.header.lastOffsetDelta) + 1n;
        }
        if (next <= offset) break;
        offset = next;
      }
    } finally {
      await log.close();
    }
  }
  for (const [p, list] of byPartition) {
    const writer = new PartitionRecordWriter(topic.partitions[p]!, now);
    for (let i = 0; i < list.length; i += BATCH_RECORDS) await writer.append(list.slice(i, i + BATCH_RECORDS));
  }
  // Only now: everything is in the topic (acknowledged under its flush policy).
  await rm(dir, { recursive: true, force: true });
  return { records, skipped };
}

/** One pre-runtime record as Kafka's records (a consumer group snapshot becomes its metadata, members and assignments). */
function convert(r: LegacyRecord, topics: TopicResolver, members: Map<string, Set<string>>): GroupRecord[] {
  if (r.type !== 'consumer-group') {
    // A classic group tombstone ended the group's KIP-848 records too.
    if (r.type === 'group' && r.value === null) members.delete(r.groupId);
    return [r];
  }
  const groupId = r.groupId;
  const previous = members.get(groupId) ?? new Set<string>();
  const current = new Set(r.value?.members.map((m) => m.memberId) ?? []);
  const out: GroupRecord[] = [];
  for (const gone of previous) {
    if (current.has(gone)) continue;
    out.push({ type: 'consumer-member', groupId, memberId: gone, value: null });
    out.push({ type: 'consumer-assignment', groupId, memberId: gone, value: null });
  }
  if (r.value === null) {
    members.delete(groupId);
    out.push({ type: 'consumer-group', groupId, value: null });
    return out;
  }
  members.set(groupId, current);
  out.push({ type: 'consumer-group', groupId, value: { groupEpoch: r.value.groupEpoch } });
  for (const m of r.value.members) {
    out.push({
      type: 'consumer-member',
      groupId,
      memberId: m.memberId,
      value: {
        instanceId: m.instanceId,
        rackId: null,
        clientId: m.clientId,
        clientHost: m.clientHost,
        subscribedTopicNames: m.subscribedTopicNames,
        subscribedTopicRegex: m.subscribedTopicRegex,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        serverAssignor: m.serverAssignor,
      },
    });
    const assigned = m.assigned.flatMap((tp) => {
      const meta = topics.byName(tp.topic);
      return meta === undefined ? [] : [{ topicId: meta.topicId, partitions: [...tp.partitions] }];
    });
    out.push({
      type: 'consumer-assignment',
      groupId,
      memberId: m.memberId,
      value: { memberEpoch: m.memberEpoch, previousMemberEpoch: m.previousMemberEpoch, state: MemberState.STABLE, assigned, pendingRevocation: [] },
    });
  }
  return out;
}
