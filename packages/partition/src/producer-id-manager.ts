// Allocates producer ids for InitProducerId from the metadata store's producer-id block. Ids are
// reserved in blocks (the store commits the end of the current block before any id in it is
// handed out: meta/producer-ids.json on one node), so a restart never reissues an id even after a crash.
import { InvalidUpdateVersionError, LocalMetadataStore, type MetadataStore } from '@mq/metadata';

const BLOCK_SIZE = 1000n;
const MAX_BLOCK_ATTEMPTS = 5;

export class ProducerIdManager {
  private next: bigint;
  private blockEnd: bigint;
  private readonly store: MetadataStore;
  private pending: Promise<unknown> = Promise.resolve();

  /** `store` must be loaded; ids start at its block start. */
  constructor(store: MetadataStore) {
    this.store = store;
    this.next = store.image.nextProducerIdBlock;
    this.blockEnd = this.next;
  }

  /** Standalone: the data dir's own meta/producer-ids.json. */
  static async open(dataDir: string): Promise<ProducerIdManager> {
    const store = new LocalMetadataStore({ dataDir, nodeId: 0 });
    await store.load();
    return new ProducerIdManager(store);
  }

  /** A producer id never handed out before by this data dir (or cluster). */
  nextProducerId(): Promise<bigint> {
    const run = this.pending.then(async () => {
      for (let attempt = 1; this.next >= this.blockEnd; attempt++) {
        // Another broker may have taken blocks since: start from the store's current block start.
        const start = this.store.image.nextProducerIdBlock > this.next ? this.store.image.nextProducerIdBlock : this.next;
        const end = start + BLOCK_SIZE;
        try {
          await this.store.commit([{ type: 'producerIds', nextBlockStart: end }]);
        } catch (err) {
          // A cluster store refuses a block another broker took first: retry from its end once it is seen.
          if (attempt >= MAX_BLOCK_ATTEMPTS || !(err instanceof InvalidUpdateVersionError)) throw err;
          if (this.store.image.nextProducerIdBlock <= start) await nextDelta(this.store);
          continue;
        }
        this.next = start;
        this.blockEnd = end;
      }
      return this.next++;
    });
    this.pending = run.catch(() => undefined);
    return run;
  }
}

function nextDelta(store: MetadataStore): Promise<void> {
  return new Promise((resolve) => {
    const off = store.watch(() => {
      off();
      resolve();
    });
  });
}
