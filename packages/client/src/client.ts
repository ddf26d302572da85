// MqClient: the entry point. Owns the Cluster (connections, metadata, retries) shared by the
// producers, consumers and admin it creates; close() closes them all.
import { Admin } from './admin/admin';
import { Cluster, type ClusterOptions } from './cluster';
import { Consumer, type ConsumerOptions } from './consumer/consumer';
import { Producer, type ProducerOptions } from './producer/producer';
import { ShareConsumer, type ShareConsumerOptions } from './share/share-consumer';

export type ClientOptions = ClusterOptions;

export class MqClient {
  readonly cluster: Cluster;
  private readonly producers = new Set<Producer>();
  private readonly consumers = new Set<Consumer>();
  private readonly shareConsumers = new Set<ShareConsumer>();

  constructor(opts: ClientOptions) {
    this.cluster = new Cluster(opts);
  }

  producer(opts?: ProducerOptions): Producer {
    const p = new Producer(this.cluster, opts);
    this.producers.add(p);
    return p;
  }

  consumer(opts?: ConsumerOptions): Consumer {
    const c = new Consumer(this.cluster, opts);
    this.consumers.add(c);
    return c;
  }

  /** A share-group (KIP-932) consumer: per-record accept / release / reject. */
  shareConsumer(opts: ShareConsumerOptions): ShareConsumer {
    const c = new ShareConsumer(this.cluster, opts);
    this.shareConsumers.add(c);
    return c;
  }

  admin(): Admin {
    return new Admin(this.cluster);
  }

  /** Flushes producers, closes consumers (leaving their groups), then every connection. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.producers].map((p) => p.close()));
    await Promise.allSettled([...this.consumers].map((c) => c.close()));
    await Promise.allSettled([...this.shareConsumers].map((c) => c.close()));
    await this.cluster.close();
  }
}
