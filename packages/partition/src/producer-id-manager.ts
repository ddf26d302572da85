// Allocates producer ids for InitProducerId from a persisted counter. Ids are reserved in blocks
// (meta/producer-ids.json records the end of the current block before any id in it is handed out),
// so a restart never reissues an id even after a crash.
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-file';

const BLOCK_SIZE = 1000n;

export class ProducerIdManager {
  private next: bigint;
  private blockEnd: bigint;
  private readonly path: string;
  private pending: Promise<unknown> = Promise.resolve();

  private constructor(path: string, start: bigint) {
    this.path = path;
    this.next = start;
    this.blockEnd = start;
  }

  static async open(dataDir: string): Promise<ProducerIdManager> {
    const path = join(dataDir, 'meta', 'producer-ids.json');
    const text = await readFileIfExists(path);
    const start = text === undefined ? 0n : BigInt((JSON.parse(text) as { nextBlockStart: string }).nextBlockStart);
    return new ProducerIdManager(path, start);
  }

  /** A producer id never handed out before by this data dir. */
  nextProducerId(): Promise<bigint> {
    const run = this.pending.then(async () => {
      if (this.next >= this.blockEnd) {
        const end = this.next + BLOCK_SIZE;
        await writeFileAtomic(this.path, `${JSON.stringify({ nextBlockStart: end.toString() })}\n`);
        this.blockEnd = end;
      }
      return this.next++;
    });
    this.pending = run.catch(() => undefined);
    return run;
  }
}
