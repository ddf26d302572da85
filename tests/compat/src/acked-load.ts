// The load of the fault tests: one idempotent acks=all kafkajs producer per partition, each sending
// numbered values ("p<partition>-<seq>", or another prefix) one request at a time, as fast as it is answered. Records
// every acknowledged (partition, offset, value) for the history checker, when each ack arrived, and
// each failed send (its error named) — a failed send is not a loss, an acknowledged one never read is.
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { Acked } from './history-checker';

export interface AckedLoadOptions {
  readonly topic: string;
  readonly partitions: number;
  /** Producer retries before a send fails (default 1000: ride out any failover). */
  readonly retries?: number;
  /** The produce request's timeout (default 30 s). */
  readonly timeoutMs?: number;
  /**
   * kafkajs's requestTimeout (default 30 s, kafkajs's): how long a request to a broker that never
   * answers (a SIGSTOPped one keeps its sockets open) waits before the producer retries elsewhere.
   */
  readonly requestTimeoutMs?: number;
  /**
   * Default true. A test whose sends are meant to fail turns it off: kafkajs reuses the sequence of
   * a failed send for the next value, so a broker that kept the failed batch answers the next send
   * as its duplicate (Kafka does the same) — a client quirk, not what these tests look for.
   */
  readonly idempotent?: boolean;
  /** Values are `<prefix><partition>-<seq>`; default "p" (two loads on one topic need two prefixes). */
  readonly prefix?: string;
  /** TLS and SASL of the listener the producers use (a SASL_SSL cluster). */
  readonly security?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
}

export class AckedLoad {
  readonly acked: Acked[] = [];
  /** One line per failed send: partition, value and the error (with its cause chain). */
  readonly failures: string[] = [];
  /** Per partition, when each ack arrived (Date.now()). */
  readonly ackTimes: number[][];
  private running = true;
  private readonly loops: Promise<void>[];

  private constructor(bootstrap: string, opts: AckedLoadOptions) {
    const retry = { retries: opts.retries ?? 1_000, initialRetryTime: 50, maxRetryTime: 300 };
    const kafka = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING, retry, requestTimeout: opts.requestTimeoutMs ?? 30_000, ...opts.security });
    this.ackTimes = Array.from({ length: opts.partitions }, () => []);
    this.loops = Array.from({ length: opts.partitions }, async (_, partition) => {
      const producer = kafka.producer({ idempotent: opts.idempotent ?? true, maxInFlightRequests: 1, retry });
      await producer.connect();
      try {
        for (let seq = 0; this.running; seq++) {
          const value = `${opts.prefix ?? 'p'}${partition}-${seq}`;
          try {
            const [meta] = await producer.send({ topic: opts.topic, acks: -1, timeout: opts.timeoutMs ?? 30_000, messages: [{ partition, value }] });
            this.acked.push({ partition, offset: BigInt(meta!.baseOffset!), value });
            this.ackTimes[partition]!.push(Date.now());
          } catch (err) {
            this.failures.push(`${value}: ${errorChain(err)}`);
          }
        }
      } finally {
        await producer.disconnect().catch(() => undefined);
      }
    });
  }

  /** Starts the producers (the topic must exist). */
  static start(bootstrap: string, opts: AckedLoadOptions): AckedLoad {
    return new AckedLoad(bootstrap, opts);
  }

  /** Acknowledgements so far, of one partition or of all. */
  ackedCount(partition?: number): number {
    return partition === undefined ? this.acked.length : this.ackTimes[partition]!.length;
  }

  /** When the last ack of `partition` arrived (0: none yet). */
  lastAckAt(partition: number): number {
    return this.ackTimes[partition]!.at(-1) ?? 0;
  }

  /** Stops after each producer's request in flight is answered. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

/** An error's message with its causes (kafkajs wraps the broker's error in retry errors). */
export function errorChain(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { name?: string; message?: string; type?: string; cause?: unknown; originalError?: unknown; errors?: unknown[] } | undefined; e !== undefined && parts.length < 5; ) {
    // KafkaJSAggregateError (CreateTopics): one error per topic.
    const inner = Array.isArray(e.errors) ? ` [${e.errors.map((x) => errorChain(x)).join('; ')}]` : '';
    parts.push(`${e.name ?? 'Error'}${e.type !== undefined ? ` ${e.type}` : ''}: ${e.message ?? String(e)}${inner}`);
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return parts.join(' <- ');
}
