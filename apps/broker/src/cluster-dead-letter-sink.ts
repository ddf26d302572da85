// The dead-letter sink of a cluster member. A dead-letter topic is created by the controller — in
// process when this broker is the controller, else as CreateTopics to it — with the source topic's
// partition count and replication factor (dead letters as durable as the records they came from,
// whatever default.replication.factor says; at most as many as brokers are registered), then waited
// for in this broker's image. A batch goes to the DLQ partition's leader with acks=all: appended
// here and awaited on the ISR when this broker leads it, else sent there as Produce (acks -1).
// While the controller or a leader moves each step is retried until a deadline; a retried append
// may write a dead letter twice (the DLQ is at-least-once, as Kafka's idempotence is not used for
// it), never lose one it reported written.
import { ApiKey, ErrorCode, KafkaError, kafkaErrorCode } from '@mq/protocol';
import type { TopicManager } from '@mq/partition';
import type { InterBrokerSecurity, ReplicaManager } from '@mq/replication';
import type { DeadLetterSink } from '@mq/share';
import type { Clock } from '@mq/timerwheel';
import { brokerConnectionPool } from './broker-connections';
import { leaderAppend } from './leader-append';
import { retryWhileMoving } from './retry-while-moving';

/** How long creating the topic or one append keeps retrying while the controller / the leader moves. */
export const DEAD_LETTER_DEADLINE_MS = 30_000;
const REQUEST_TIMEOUT_MS = 10_000;
const CREATE_TOPICS_VERSION = 7;

/** What a moving controller or leader answers, or a topic still opening; anything else is final. */
const MOVING: ReadonlySet<number> = new Set([
  ErrorCode.NOT_CONTROLLER,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.LEADER_NOT_AVAILABLE,
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  ErrorCode.REQUEST_TIMED_OUT,
  ErrorCode.NETWORK_EXCEPTION,
  ErrorCode.KAFKA_STORAGE_ERROR,
]);

export interface ClusterDeadLetterSinkOptions {
  readonly nodeId: number;
  readonly topics: TopicManager;
  readonly replication: ReplicaManager;
  readonly clock: Clock;
  readonly security?: InterBrokerSecurity;
}

export function clusterDeadLetterSink(opts: ClusterDeadLetterSinkOptions): DeadLetterSink & { close(): void } {
  const { topics, replication, nodeId, clock } = opts;
  const pool = brokerConnectionPool({ clock, clientId: `mq-dead-letters-${nodeId}`, requestTimeoutMs: REQUEST_TIMEOUT_MS, ...(opts.security !== undefined ? { security: opts.security } : {}) });
  const retrying = <T>(what: string, attempt: () => Promise<T>): Promise<T> => retryWhileMoving(clock, DEAD_LETTER_DEADLINE_MS, MOVING, what, attempt);
  const endpoint = (id: number): { host: string; port: number } | undefined => (id < 0 ? undefined : topics.image.brokers.get(id));

  /** Creates the topic at the controller; resolves once the controller has it (TOPIC_ALREADY_EXISTS counts). */
  const create = async (name: string, partitions: number, replicationFactor: number): Promise<void> => {
    const controller = topics.image.controller?.nodeId;
    if (controller === undefined) throw new KafkaError(ErrorCode.NOT_CONTROLLER, 'no controller is elected');
    if (controller === nodeId) {
      await topics.createTopic(name, partitions, {}, false, { replicationFactor }).catch((err: unknown) => {
        if (kafkaErrorCode(err) !== ErrorCode.TOPIC_ALREADY_EXISTS) throw err;
      });
      return;
    }
    const at = endpoint(controller);
    if (at === undefined) throw new KafkaError(ErrorCode.NOT_CONTROLLER, `controller ${controller} has no endpoint yet`);
    const conn = await pool.connect(at.host, at.port);
    const res = await conn.send(ApiKey.CreateTopics, CREATE_TOPICS_VERSION, {
      topics: [{ name, numPartitions: partitions, replicationFactor, assignments: [], configs: [] }],
      timeoutMs: REQUEST_TIMEOUT_MS,
      validateOnly: false,
    });
    const t = res.topics[0];
    if (t === undefined) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `creating ${name}: an empty CreateTopics response`);
    if (t.errorCode !== ErrorCode.NONE && t.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS) throw new KafkaError(t.errorCode, `creating ${name}: ${t.errorMessage ?? 'refused by the controller'}`);
  };

  const creating = new Map<string, Promise<number>>();

  const appendAtLeader = leaderAppend({ nodeId, topics, replication, pool });

  return {
    ensureTopic(name, source) {
      const known = topics.image.topics.get(name);
      if (known !== undefined) return Promise.resolve(known.partitions.length);
      let pending = creating.get(name);
      if (pending === undefined) {
        const partitions = source.partitions.length;
        // As many replicas as the source has, but no more than brokers are registered now: a dead letter
        // must not wait for a broker that is down (a reassignment can add the replica later).
        const sourceReplicas = topics.image.topics.get(source.name)?.partitions[0]?.replicas.length ?? 1;
        const replicationFactor = Math.max(1, Math.min(sourceReplicas, topics.image.brokers.size));
        let created = false;
        pending = retrying(`creating the dead-letter topic ${name}`, async () => {
          if (!created) {
            await create(name, partitions, replicationFactor);
            created = true;
          }
          // The controller has it: wait until this broker's image does too.
          const t = topics.image.topics.get(name);
          if (t === undefined) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${name} is not in this broker's metadata yet`);
          return t.partitions.length;
        }).finally(() => creating.delete(name));
        creating.set(name, pending);
      }
      return pending;
    },
    append(topic, partition, batch) {
      return retrying(`dead-lettering to ${topic}-${partition}`, () => appendAtLeader(topic, partition, batch, 'the dead letters'));
    },
    close() {
      pool.close();
    },
  };
}
