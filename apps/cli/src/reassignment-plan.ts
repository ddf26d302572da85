// The reassignment plan file of kafka-reassign-partitions (`--reassignment-json-file`):
// {"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[2,3],"log_dirs":["any","any"]}]}
// parsed into reassignment targets; a malformed plan is a usage error naming what is wrong.
// log_dirs other than "any" are refused: an mq broker has one data dir, so there is no dir to pick.
import type { ReassignmentTarget } from '@mq/client';
import { UsageError } from './cli-error';

function isBrokerId(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

/** `text` as a plan; with `cancel` the replicas may be absent (each listed partition's reassignment is cancelled). */
export function parseReassignmentPlan(text: string, source: string, cancel: boolean): ReassignmentTarget[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source}: not JSON (${(err as Error).message})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${source}: want an object {"version":1,"partitions":[...]}`);
  const { version, partitions } = doc as { version?: unknown; partitions?: unknown };
  if (version !== undefined && version !== 1) throw new UsageError(`${source}: unsupported version ${JSON.stringify(version)} (only 1)`);
  if (!Array.isArray(partitions) || partitions.length === 0) throw new UsageError(`${source}: "partitions" must be a non-empty array`);
  return partitions.map((entry: unknown, i) => {
    const at = `${source}: partitions[${i}]`;
    if (entry === null || typeof entry !== 'object') throw new UsageError(`${at} is not an object`);
    const { topic, partition, replicas, log_dirs: logDirs } = entry as { topic?: unknown; partition?: unknown; replicas?: unknown; log_dirs?: unknown };
    if (typeof topic !== 'string' || topic === '') throw new UsageError(`${at}: "topic" must be a topic name`);
    if (!isBrokerId(partition)) throw new UsageError(`${at}: "partition" must be a partition index (an integer ≥ 0)`);
    if (logDirs !== undefined && (!Array.isArray(logDirs) || logDirs.some((d) => d !== 'any'))) {
      throw new UsageError(`${at}: log_dirs other than "any" are not supported (an mq broker has one data dir)`);
    }
    if (cancel) return { topic, partition, replicas: null };
    if (!Array.isArray(replicas) || !replicas.every(isBrokerId)) throw new UsageError(`${at}: "replicas" must be a list of broker ids`);
    return { topic, partition, replicas };
  });
}

/** `--replicas 1,2,3`: broker ids, in order (duplicates are left for the broker to refuse). */
export function parseReplicaList(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p))) throw new UsageError(`--replicas: "${value}" is not a comma-separated list of broker ids`);
  return parts.map(Number);
}
