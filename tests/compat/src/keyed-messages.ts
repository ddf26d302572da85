// Deterministic keyed test messages: written as kcat -P input (one "key:value" line each) and
// checked against kcat -C "%p %o %k %s" output (exactly-once, values intact, order per partition).
import { writeFile } from 'node:fs/promises';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];

export function messageKey(i: number): string {
  return `k${String(i).padStart(7, '0')}`;
}

/** ~100-byte value: index, a few words chosen from the index (compressible, but not constant), padding. */
export function messageValue(i: number): string {
  let x = (i * 2654435761) >>> 0;
  let s = `v${i}`;
  while (s.length < 92) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += `-${WORDS[x % WORDS.length]}`;
  }
  return s.slice(0, 92) + String(i % 97).padStart(8, '.');
}

/** Writes `count` lines "key:value\n" and returns the file's path. */
export async function writeKeyedInput(path: string, count: number, first = 0): Promise<string> {
  const lines: string[] = new Array<string>(count);
  for (let n = 0; n < count; n++) lines[n] = `${messageKey(first + n)}:${messageValue(first + n)}`;
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

export interface ConsumedRecord {
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string;
  readonly value: string;
}

/** Parses kcat -C output written with format "%p %o %k %s\n". */
export function parseConsumed(out: Buffer | string): ConsumedRecord[] {
  const text = typeof out === 'string' ? out : out.toString('utf8');
  const records: ConsumedRecord[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [p, o, k, v, ...rest] = line.split(' ');
    if (p === undefined || o === undefined || k === undefined || v === undefined || rest.length > 0) {
      throw new Error(`unparseable kcat line: ${JSON.stringify(line.slice(0, 200))}`);
    }
    records.push({ partition: Number(p), offset: BigInt(o), key: k, value: v });
  }
  return records;
}

export interface VerifyReport {
  readonly total: number;
  readonly perPartition: Record<number, number>;
  /** Human-readable problems; empty when the consumed records are exactly the produced ones. */
  readonly problems: string[];
}

/**
 * Checks that `records` hold exactly messages first..first+count-1, each once with its value, that
 * offsets in each partition are strictly increasing, and that each partition holds its messages in
 * the order they were produced (message index increases with offset).
 */
export function verifyKeyedRecords(records: readonly ConsumedRecord[], count: number, first = 0): VerifyReport {
  const problems: string[] = [];
  const seen = new Uint8Array(count);
  const lastIndex = new Map<number, number>();
  const lastOffset = new Map<number, bigint>();
  const perPartition: Record<number, number> = {};
  const note = (msg: string): void => {
    if (problems.length < 20) problems.push(msg);
  };
  for (const r of records) {
    perPartition[r.partition] = (perPartition[r.partition] ?? 0) + 1;
    const m = /^k(\d{7})$/.exec(r.key);
    const i = m === null ? -1 : Number(m[1]) - first;
    if (i < 0 || i >= count) {
      note(`unexpected key ${r.key} at ${r.partition}/${r.offset}`);
      continue;
    }
    if (seen[i] === 1) note(`duplicate ${r.key} at ${r.partition}/${r.offset}`);
    seen[i] = 1;
    if (r.value !== messageValue(first + i)) note(`wrong value for ${r.key} at ${r.partition}/${r.offset}`);
    const prevOffset = lastOffset.get(r.partition);
    if (prevOffset !== undefined && r.offset <= prevOffset) note(`offset went back in partition ${r.partition}: ${prevOffset} then ${r.offset}`);
    lastOffset.set(r.partition, r.offset);
    const prev = lastIndex.get(r.partition);
    if (prev !== undefined && i <= prev) note(`out of order in partition ${r.partition}: ${messageKey(first + prev)} before ${r.key}`);
    lastIndex.set(r.partition, i);
  }
  let missing = 0;
  for (let i = 0; i < count; i++) if (seen[i] === 0) missing++;
  if (missing > 0) problems.push(`${missing} of ${count} messages missing (first: ${messageKey(first + seen.indexOf(0))})`);
  return { total: records.length, perPartition, problems };
}
