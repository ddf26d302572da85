// ShareRecord over a fetched ConsumerRecord (lazily decoded: key, value and headers are read
// through, not copied) with its delivery count and the acknowledgement given to it.
import type { TraceContext } from '@mq/trace';
import type { ConsumerRecord } from '../consumer/consumer-record';
import { InvalidArgumentError } from '../errors';
import type { AcknowledgeKind, ShareRecord } from './share-record';

export class ShareRecordImpl implements ShareRecord {
  private given: AcknowledgeKind | undefined;

  constructor(
    private readonly record: ConsumerRecord,
    readonly topicId: string,
    readonly deliveryCount: number,
  ) {}

  get topic(): string {
    return this.record.topic;
  }
  get partition(): number {
    return this.record.partition;
  }
  get offset(): bigint {
    return this.record.offset;
  }
  get timestamp(): bigint {
    return this.record.timestamp;
  }
  get key(): Buffer | null {
    return this.record.key;
  }
  get value(): Buffer | null {
    return this.record.value;
  }
  get headers(): ConsumerRecord['headers'] {
    return this.record.headers;
  }
  get traceContext(): TraceContext | undefined {
    return this.record.traceContext;
  }
  get acknowledgement(): AcknowledgeKind | undefined {
    return this.given;
  }

  accept(): void {
    this.give('accept');
  }
  release(): void {
    this.give('release');
  }
  reject(): void {
    this.give('reject');
  }

  renew(): void {
    if (!this.renewable) throw new InvalidArgumentError("renew() needs acknowledgementMode 'explicit' (implicit mode accepts the record at the next poll)");
    if (this.given !== undefined) throw new InvalidArgumentError(`${this.topic}-${this.partition}@${this.offset} was already acknowledged (${this.given})`);
    this.renewRequested = true;
  }

  private give(kind: AcknowledgeKind): void {
    // Once sent it cannot be changed; before that the last word counts, as in Kafka's consumer.
    if (this.sent) throw new InvalidArgumentError(`${this.topic}-${this.partition}@${this.offset} was already acknowledged (${this.given})`);
    this.given = kind;
  }

  /** Set when the acknowledgement left with a request. */
  sent = false;
  /** renew() was called since the last request took the renewal. */
  renewRequested = false;
  /** Whether renew() is allowed (explicit acknowledgement mode). */
  renewable = false;
}
