// DeadLetterSink: where the DeadLetterQueue's batches go. On one node that is this broker's own
// TopicManager (localDeadLetterSink: the topic auto-created here, the batch appended to the local
// partition). In a cluster the broker supplies its own sink: the dead-letter topic is created by
// the controller (replicated like any topic) and each batch goes to the DLQ partition's leader with
// acks=all — here when this broker leads it, else forwarded — so a dead letter is durable on the
// ISR before the state that archives its record is written.
import type { Topic, TopicManager } from '@mq/partition';
import { ErrorCode, kafkaErrorCode } from '@mq/protocol';

export interface DeadLetterSink {
  /**
   * The dead-letter topic `name` exists (created when missing with the partition count of `source`,
   * the topic whose records it takes); resolves with its partition count.
   */
  ensureTopic(name: string, source: Topic): Promise<number>;
  /** Appends one record batch to `topic`-`partition`; resolves with its base offset once it is durable. */
  append(topic: string, partition: number, batch: Buffer): Promise<bigint>;
}

/** One node: the dead-letter topic is created in this broker's TopicManager and appended to locally. */
export function localDeadLetterSink(topics: TopicManager): DeadLetterSink {
  const creating = new Map<string, Promise<Topic>>();
  const ensure = (name: string, partitions: number): Promise<Topic> => {
    const existing = topics.get(name);
    if (existing !== undefined) return Promise.resolve(existing);
    let pending = creating.get(name);
    if (pending === undefined) {
      pending = topics
        .createTopic(name, partitions)
        .catch((err: unknown) => {
          // Created meanwhile (an admin, another writer): use it as it is.
          if (kafkaErrorCode(err) !== ErrorCode.TOPIC_ALREADY_EXISTS) throw err;
          return undefined;
        })
        .then((t) => {
          const topic = t ?? topics.get(name);
          if (topic === undefined) throw new Error(`dead-letter topic ${name} was not created`);
          return topic;
        })
        .finally(() => creating.delete(name));
      creating.set(name, pending);
    }
    return pending;
  };
  return {
    async ensureTopic(name, source) {
      return (await ensure(name, source.partitions.length)).partitions.length;
    },
    async append(topic, partition, batch) {
      return (await topics.partition(topic, partition).append(batch)).baseOffset;
    },
  };
}
