// The leader-epoch cache of one partition (Kafka's LeaderEpochFileCache, KIP-101): for each leader
// epoch the first offset written in it, persisted in <partition dir>/leader-epoch-checkpoint in
// Kafka's checkpoint format (version line, count line, "epoch startOffset" lines). Invariant: epochs
// and start offsets both strictly increase. It answers OffsetForLeaderEpoch and drives truncation.
import { join } from 'node:path';
import { type FileSystem, nodeFileSystem } from '@mq/log';
import { writeFileAtomic } from './partition-files';

export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
const CHECKPOINT_VERSION = 0;
/** Kafka's UNDEFINED_EPOCH / UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1n;

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: bigint;
}

/** What OffsetForLeaderEpoch answers: the largest epoch ≤ the one asked and where it ended. */
export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: bigint;
}

export class LeaderEpochCache {
  private entries: EpochEntry[];
  private readonly path: string;
  /** The file no longer matches `entries` (an in-memory entry for a legacy log is not persisted). */
  private dirty = false;

  private constructor(
    dir: string,
    entries: EpochEntry[],
    private readonly fs: FileSystem,
  ) {
    this.path = join(dir, LEADER_EPOCH_CHECKPOINT_FILE);
    this.entries = entries;
  }

  /**
   * Reads the checkpoint (absent: empty). A file that does not parse is refused with an error naming
   * it rather than silently dropped: truncation decisions depend on it. Read and written through the
   * partition's FileSystem seam, so injected storage faults reach the checkpoint as they reach the log.
   */
  static load(dir: string, fs: FileSystem = nodeFileSystem): LeaderEpochCache {
    let text: string;
    try {
      text = fs.readFileSync(join(dir, LEADER_EPOCH_CHECKPOINT_FILE)).toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new LeaderEpochCache(dir, [], fs);
      throw err;
    }
    return new LeaderEpochCache(dir, parseCheckpoint(text, join(dir, LEADER_EPOCH_CHECKPOINT_FILE)), fs);
  }

  get all(): readonly EpochEntry[] {
    return this.entries;
  }

  get latestEpoch(): number {
    return this.entries[this.entries.length - 1]?.epoch ?? UNDEFINED_EPOCH;
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /**
   * Records that `epoch` starts at `startOffset`. An epoch not above the latest is ignored (it is
   * already known or stale); returns whether the cache changed.
   */
  assign(epoch: number, startOffset: bigint): boolean {
    if (epoch < 0) return false;
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined && epoch <= last.epoch) return false;
    // A newer epoch starting at or below an older one's start supersedes it (nothing was written in it).
    while (this.entries.length > 0 && this.entries[this.entries.length - 1]!.startOffset >= startOffset) this.entries.pop();
    this.entries.push({ epoch, startOffset });
    this.dirty = true;
    return true;
  }

  /**
   * Kafka's endOffsetFor: for the latest epoch, the log end offset; otherwise the start offset of the
   * first epoch above `requested`, paired with the largest known epoch ≤ `requested` (or `requested`
   * itself when it predates every entry). Unknown (above every entry, or an empty cache): undefined.
   */
  endOffsetFor(requested: number, logEndOffset: bigint): EpochEndOffset {
    if (requested === UNDEFINED_EPOCH || this.entries.length === 0) return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requested === this.latestEpoch) return { epoch: requested, endOffset: logEndOffset };
    let floor: EpochEntry | undefined;
    for (const e of this.entries) {
      if (e.epoch > requested) return { epoch: floor?.epoch ?? requested, endOffset: e.startOffset };
      floor = e;
    }
    return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
  }

  /** Drops entries starting at or after `endOffset` (the log was truncated there). */
  truncateFromEnd(endOffset: bigint): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.startOffset < endOffset);
    if (this.entries.length !== before) this.dirty = true;
  }

  /** Writes the checkpoint if it changed since the last write (atomic: temp file, fsync, rename). */
  async flush(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const lines = [String(CHECKPOINT_VERSION), String(this.entries.length), ...this.entries.map((e) => `${e.epoch} ${e.startOffset}`)];
    try {
      await writeFileAtomic(this.path, `${lines.join('\n')}\n`, this.fs);
    } catch (err) {
      this.dirty = true;
      throw err;
    }
  }

  /** Marks the in-memory state as already persisted (an entry inferred for a legacy log). */
  markClean(): void {
    this.dirty = false;
  }
}

function parseCheckpoint(text: string, path: string): EpochEntry[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const fail = (why: string): never => {
    throw new Error(`leader epoch checkpoint ${path} is malformed: ${why}`);
  };
  if (lines[0]?.trim() !== String(CHECKPOINT_VERSION)) fail(`unsupported version line ${JSON.stringify(lines[0] ?? '')}`);
  const count = Number(lines[1]);
  if (!Number.isInteger(count) || count < 0 || count !== lines.length - 2) fail(`count line ${JSON.stringify(lines[1] ?? '')} does not match ${lines.length - 2} entries`);
  const out: EpochEntry[] = [];
  for (const line of lines.slice(2)) {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(line);
    if (m === null) fail(`bad entry ${JSON.stringify(line)}`);
    const entry = { epoch: Number(m![1]), startOffset: BigInt(m![2]!) };
    const prev = out[out.length - 1];
    if (prev !== undefined && (entry.epoch <= prev.epoch || entry.startOffset < prev.startOffset)) fail(`entries out of order at ${JSON.stringify(line)}`);
    out.push(entry);
  }
  return out;
}
