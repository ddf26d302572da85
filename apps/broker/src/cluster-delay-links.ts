// The delay store's links to the rest of a cluster: due messages appended at each target
// partition's leader (acks=all; an idempotent batch, so retrying it while the leader moves cannot
// write it twice), and a delayed produce forwarded to the leader of its delay partition as a
// Produce to __mq_delayed (DelayStore.scheduleForwarded). A forward is retried only while nothing
// can have been written (no connection, or the leader answered NOT_LEADER_OR_FOLLOWER before
// writing); a request that went out and failed is the producer's error (REQUEST_TIMED_OUT).
import { DELAYED_TOPIC, type DelayTargetWriter, type DelayedMessage, forwardedBatch } from '@mq/delay';
import type { TopicManager } from '@mq/partition';
import { ApiKey, ErrorCode, KafkaError, kafkaErrorCode } from '@mq/protocol';
import type { InterBrokerSecurity, ReplicaManager } from '@mq/replication';
import type { Clock } from '@mq/timerwheel';
import { brokerConnectionPool } from './broker-connections';
import { leaderAppend } from './leader-append';
import { retryWhileMoving } from './retry-while-moving';

/** How long one delivery or one forward keeps retrying while a leader moves (the store retries deliveries after that too). */
const DEADLINE_MS = 15_000;
const REQUEST_TIMEOUT_MS = 10_000;
const PRODUCE_VERSION = 9;
/** Kafka's max.message.bytes default, for a topic this broker holds no replica of and that does not set it. */
const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

/** What a moving leader answers before it writes anything. */
const MOVING: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.NETWORK_EXCEPTION,
]);

/** An idempotent delivery may be repeated whatever happened to the last attempt. */
const DELIVERY_RETRIABLE: ReadonlySet<number> = new Set([...MOVING, ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND, ErrorCode.REQUEST_TIMED_OUT, ErrorCode.KAFKA_STORAGE_ERROR]);

export interface ClusterDelayLinksOptions {
  readonly nodeId: number;
  readonly topics: TopicManager;
  readonly replication: ReplicaManager;
  readonly clock: Clock;
  readonly security?: InterBrokerSecurity;
}

export interface ClusterDelayLinks {
  readonly writer: DelayTargetWriter;
  forward(storePartition: number, messages: readonly DelayedMessage[]): Promise<bigint>;
  close(): void;
}

export function clusterDelayLinks(opts: ClusterDelayLinksOptions): ClusterDelayLinks {
  const { topics, clock, nodeId } = opts;
  const pool = brokerConnectionPool({ clock, clientId: `mq-delay-${nodeId}`, requestTimeoutMs: REQUEST_TIMEOUT_MS, ...(opts.security !== undefined ? { security: opts.security } : {}) });
  const appendAtLeader = leaderAppend({ nodeId, topics, replication: opts.replication, pool });
  const writer: DelayTargetWriter = {
    maxMessageBytes(topic, partition) {
      const t = topics.image.topics.get(topic);
      if (t === undefined || t.partitions[partition] === undefined) return undefined;
      const local = topics.get(topic)?.partitions[partition];
      return local?.topicConfig.maxMessageBytes ?? Number(t.configs['max.message.bytes'] ?? DEFAULT_MAX_MESSAGE_BYTES);
    },
    append(topic, partition, batch) {
      return retryWhileMoving(clock, DEADLINE_MS, DELIVERY_RETRIABLE, `delivering delayed messages to ${topic}-${partition}`, async () => {
        try {
          return await appendAtLeader(topic, partition, batch, 'the delayed messages');
        } catch (err) {
          // A leader that has not learned of the topic yet, while this image has it: it is moving, not gone.
          if (kafkaErrorCode(err) === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && topics.image.topics.get(topic)?.partitions[partition] !== undefined) {
            throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, (err as Error).message, { cause: err });
          }
          throw err;
        }
      });
    },
  };
  const forward = async (storePartition: number, messages: readonly DelayedMessage[]): Promise<bigint> => {
    const batch = await forwardedBatch(messages, clock.now());
    return retryWhileMoving(clock, DEADLINE_MS, MOVING, `forwarding delayed messages to ${DELAYED_TOPIC}-${storePartition}`, async () => {
      const leader = topics.image.topics.get(DELAYED_TOPIC)?.partitions[storePartition]?.leader ?? -1;
      // Led here but not loaded yet (the store answers NOT_LEADER_OR_FOLLOWER meanwhile), or no leader: wait.
      const at = leader < 0 || leader === nodeId ? undefined : topics.image.brokers.get(leader);
      if (at === undefined) throw new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, `${DELAYED_TOPIC}-${storePartition} has no leader to forward to`);
      const conn = await pool.connect(at.host, at.port).catch((err: unknown) => {
        throw new KafkaError(ErrorCode.NETWORK_EXCEPTION, `connecting to broker ${leader}: ${(err as Error).message}`, { cause: err });
      });
      const res = await conn
        .send(ApiKey.Produce, PRODUCE_VERSION, {
          transactionalId: null,
          acks: -1,
          timeoutMs: REQUEST_TIMEOUT_MS,
          topicData: [{ name: DELAYED_TOPIC, partitionData: [{ index: storePartition, records: batch }] }],
        })
        .catch((err: unknown) => {
          // Sent: the leader may have held them. Not retried, so a message is never held twice.
          throw new KafkaError(ErrorCode.REQUEST_TIMED_OUT, `forwarding delayed messages to broker ${leader}: ${(err as Error).message}`, { cause: err });
        });
      const p = res.responses[0]?.partitionResponses[0];
      if (p === undefined) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `${DELAYED_TOPIC}-${storePartition}: an empty Produce response`);
      if (p.errorCode !== ErrorCode.NONE) throw new KafkaError(p.errorCode, `${DELAYED_TOPIC}-${storePartition} at broker ${leader}: ${p.errorMessage ?? 'refused'}`);
      return p.baseOffset;
    });
  };
  return { writer, forward, close: () => pool.close() };
}
