// KIP-848 members on a current librdkafka (2.15.1, bundled by @confluentinc/kafka-javascript and
// built from source): `group.protocol=consumer`, consuming in flowing mode into a shared ledger,
// auto-committing every 100 ms. Subscriptions are topic names or librdkafka regexes ("^...").
import { createRequire } from 'node:module';

type Rdkafka = typeof import('@confluentinc/kafka-javascript');
type KafkaConsumer = InstanceType<Rdkafka['KafkaConsumer']>;

const rdkafka = createRequire(import.meta.url)('@confluentinc/kafka-javascript') as Rdkafka;

export const LIBRDKAFKA_VERSION: string = rdkafka.librdkafkaVersion;

export interface Consumed {
  member: string;
  topic: string;
  partition: number;
  offset: number;
  key: string;
}

export class RdLedger {
  readonly consumed: Consumed[] = [];
  readonly errors: string[] = [];

  keys(): string[] {
    return this.consumed.map((c) => c.key);
  }

  /** Keys consumed more than once (exactly-once check). */
  duplicates(): string[] {
    const seen = new Set<string>();
    const dup: string[] = [];
    for (const k of this.keys()) {
      if (seen.has(k)) dup.push(k);
      seen.add(k);
    }
    return dup;
  }
}

export class RdMember {
  private constructor(
    readonly name: string,
    private readonly consumer: KafkaConsumer,
  ) {}

  static start(name: string, opts: { bootstrap: string; groupId: string; topics: string[]; instanceId?: string }, ledger: RdLedger): Promise<RdMember> {
    const consumer = new rdkafka.KafkaConsumer(
      {
        'metadata.broker.list': opts.bootstrap,
        'group.id': opts.groupId,
        'group.protocol': 'consumer',
        'client.id': name,
        'enable.auto.commit': true,
        'auto.commit.interval.ms': 100,
        'topic.metadata.refresh.interval.ms': 1_000,
        'fetch.wait.max.ms': 100,
        ...(opts.instanceId === undefined ? {} : { 'group.instance.id': opts.instanceId }),
      },
      { 'auto.offset.reset': 'earliest' },
    );
    consumer.on('data', (m) => {
      ledger.consumed.push({ member: name, topic: m.topic, partition: m.partition, offset: m.offset, key: m.key?.toString() ?? '' });
    });
    consumer.on('event.error', (err) => ledger.errors.push(`${name}: ${err.message}`));
    return new Promise((resolve, reject) => {
      consumer.connect({}, (err) => {
        if (err) {
          reject(new Error(`${name} connect: ${err.message}`));
          return;
        }
        consumer.subscribe(opts.topics);
        consumer.consume();
        resolve(new RdMember(name, consumer));
      });
    });
  }

  /** Partitions librdkafka currently has assigned, as "topic:partition". */
  assigned(): string[] {
    return this.consumer
      .assignments()
      .map((a) => `${a.topic}:${a.partition}`)
      .sort();
  }

  /** Graceful close: commits and sends the leave heartbeat (memberEpoch -1). */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.consumer.isConnected()) {
        resolve();
        return;
      }
      this.consumer.disconnect(() => resolve());
    });
  }
}
