// Appending a batch at a partition's leader with acks=all, from any cluster member: appended here
// and awaited on the ISR when this broker leads it, else sent there as Produce (acks -1). One
// attempt; callers retry what they may (dead letters, delayed deliveries). Rejects with a KafkaError.
import { ApiKey, ErrorCode, KafkaError } from '@mq/protocol';
import type { TopicManager } from '@mq/partition';
import type { ReplicaManager } from '@mq/replication';
import type { BrokerConnectionPool } from './broker-connections';

/** acks=all: how long an append waits for the ISR (here and, as the Produce timeout, at another leader). */
const ISR_TIMEOUT_MS = 5_000;
/** Produce v9: flexible, acks=-1, no leader hints needed (the appender reads the leader from its image). */
const PRODUCE_VERSION = 9;

export interface LeaderAppendOptions {
  readonly nodeId: number;
  readonly topics: TopicManager;
  readonly replication: ReplicaManager;
  readonly pool: BrokerConnectionPool;
}

/** Appends `batch` to topic-partition at its leader; resolves with the base offset there (a duplicate's: the first append's). */
export type LeaderAppend = (topic: string, partition: number, batch: Buffer, what: string) => Promise<bigint>;

export function leaderAppend(opts: LeaderAppendOptions): LeaderAppend {
  const { topics, replication, nodeId, pool } = opts;
  const appendHere = async (topic: string, partition: number, batch: Buffer, what: string): Promise<bigint> => {
    const refused = replication.checkProduce(topic, partition, -1);
    if (refused !== ErrorCode.NONE) throw new KafkaError(refused, `${topic}-${partition} refused ${what} here`);
    const appended = await topics.partition(topic, partition).append(batch);
    const code = await replication.awaitIsr(topic, partition, appended.lastOffset, ISR_TIMEOUT_MS);
    if (code !== ErrorCode.NONE) throw new KafkaError(code, `${topic}-${partition}: the ISR did not confirm ${what}`);
    return appended.baseOffset;
  };
  const appendThere = async (host: string, port: number, topic: string, partition: number, batch: Buffer, what: string): Promise<bigint> => {
    const conn = await pool.connect(host, port);
    const res = await conn.send(ApiKey.Produce, PRODUCE_VERSION, {
      transactionalId: null,
      acks: -1,
      timeoutMs: ISR_TIMEOUT_MS,
      topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }],
    });
    const p = res.responses[0]?.partitionResponses[0];
    if (p === undefined) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `${topic}-${partition}: an empty Produce response`);
    if (p.errorCode !== ErrorCode.NONE) throw new KafkaError(p.errorCode, `${topic}-${partition} at broker ${host}:${port}: ${p.errorMessage ?? `refused ${what}`}`);
    return p.baseOffset;
  };
  return (topic, partition, batch, what) => {
    const state = topics.image.topics.get(topic)?.partitions[partition];
    if (state === undefined) return Promise.reject(new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${topic}-${partition} is not in this broker's metadata`));
    if (state.leader === nodeId) return appendHere(topic, partition, batch, what);
    const at = state.leader < 0 ? undefined : topics.image.brokers.get(state.leader);
    if (at === undefined) return Promise.reject(new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, `${topic}-${partition} has no live leader`));
    return appendThere(at.host, at.port, topic, partition, batch, what);
  };
}
