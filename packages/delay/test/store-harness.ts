// A DelayStore on a real TopicManager in a temp dir, on a ManualClock, with helpers to read what
// reached a target topic and to reopen everything from the same files (a restart).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TopicManager } from '@mq/partition';
import { type DecodedRecord, decodeRecordBatch, iterateBatches } from '@mq/records';
import { ManualClock } from '@mq/timerwheel';
import { type DelayStoreConfig, DelayStore, type DelayTargetWriter, type DelayedMessage, type Delivery, localTargetWriter } from '../src/index';

export const T0 = 1_700_000_000_000;

export class StoreHarness {
  clock = new ManualClock({ wallMs: T0 });
  topics!: TopicManager;
  store!: DelayStore;
  readonly deliveries: Delivery[] = [];
  readonly logged: string[] = [];
  /** Wraps the local target writer of each store opened from now on (fault injection). */
  wrapWriter: ((local: DelayTargetWriter) => DelayTargetWriter) | undefined;

  private constructor(
    readonly dir: string,
    private readonly config: Partial<DelayStoreConfig>,
  ) {}

  static async create(config: Partial<DelayStoreConfig> = {}): Promise<StoreHarness> {
    const h = new StoreHarness(await mkdtemp(join(tmpdir(), 'mq-delay-')), config);
    await h.open();
    await h.topics.createTopic('orders', 2);
    return h;
  }

  async open(): Promise<void> {
    this.topics = await TopicManager.open({ dataDir: this.dir, clock: this.clock });
    const log = (level: string) => (_obj: object, msg?: string) => this.logged.push(`${level}: ${msg ?? ''}`);
    this.store = await DelayStore.open({
      topicManager: this.topics,
      clock: this.clock,
      config: this.config,
      ...(this.wrapWriter !== undefined ? { writer: this.wrapWriter(localTargetWriter(this.topics)) } : {}),
      logger: { warn: log('warn'), error: log('error') },
      onDelivered: (d) => this.deliveries.push(...d),
    });
  }

  /** Closes the store and topics and opens them again from the same files, the clock at `wallMs`. */
  async restart(wallMs: number): Promise<void> {
    await this.store.close();
    await this.topics.close();
    this.clock = new ManualClock({ wallMs });
    await this.open();
  }

  message(value: string, dueAt: number, partition = 0, topic = 'orders'): DelayedMessage {
    return { topic, partition, dueAt, timestamp: this.clock.now(), key: Buffer.from(`k-${value}`), value: Buffer.from(value), headers: [{ key: 'trace', value: Buffer.from('t1') }] };
  }

  /** Moves the clock and waits until every delivery it made due has been appended and tombstoned. */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    await this.store.idle();
  }

  async records(topic = 'orders', partition = 0): Promise<DecodedRecord[]> {
    const p = this.topics.partition(topic, partition);
    const out: DecodedRecord[] = [];
    if (p.highWatermark === p.logStartOffset) return out;
    const chunk = await p.read(p.logStartOffset, 1 << 24);
    for (const { batch } of iterateBatches(chunk)) out.push(...(await decodeRecordBatch(batch)).records);
    return out;
  }

  async values(topic = 'orders', partition = 0): Promise<string[]> {
    return (await this.records(topic, partition)).map((r) => r.value!.toString());
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.topics.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
