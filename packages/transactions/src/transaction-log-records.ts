// __transaction_state records as Kafka writes them (transaction-coordinator/TransactionLog{Key,Value}.json):
// key = int16 version 0 · transactional_id; value = int16 version (1, flexible; 0 read too) ·
// producer_id · producer_epoch · transaction_timeout_ms · transaction_status:int8 ·
// [transaction_partitions => topic [partition_ids]] · last_update · start, with previous_producer_id
// as tag 0. A null value is the tombstone of an expired id.
import type { CoordinatorRecordSerde, RawRecord } from '@mq/coordinator';
import { CorruptMessageError, type DataMessageSpec, Reader, Writer, dataCodec, isDataVersion } from '@mq/protocol';
import type { TxnMetadata } from './transaction-metadata';
import { isTxnStateId } from './transaction-state';

export const TransactionLogKey = {
  name: 'TransactionLogKey',
  validVersions: '0',
  flexibleVersions: 'none',
  fields: [{ name: 'transactionalId', type: 'string', versions: '0' }],
} as const satisfies DataMessageSpec;

export const TransactionLogValue = {
  name: 'TransactionLogValue',
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: [
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'previousProducerId', type: 'int64', versions: '1+', taggedVersions: '1+', tag: 0, default: -1n },
    { name: 'nextProducerId', type: 'int64', versions: '1+', taggedVersions: '1+', tag: 1, default: -1n },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
    { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'transactionStatus', type: 'int8', versions: '0+' },
    {
      name: 'transactionPartitions',
      type: '[]struct',
      versions: '0+',
      nullableVersions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        { name: 'partitionIds', type: '[]int32', versions: '0+' },
      ],
    },
    { name: 'transactionLastUpdateTimestampMs', type: 'int64', versions: '0+' },
    { name: 'transactionStartTimestampMs', type: 'int64', versions: '0+' },
    { name: 'clientTransactionVersion', type: 'int16', versions: '1+', taggedVersions: '1+', tag: 2, default: 0 },
  ],
} as const satisfies DataMessageSpec;

const KEY_VERSION = 0;
const VALUE_VERSION = 1;

/** One record: the id's whole state, or null (tombstone: the id expired). */
export interface TxnRecord {
  readonly transactionalId: string;
  readonly value: Omit<TxnMetadata, 'transactionalId' | 'lastProducerEpoch'> | null;
}

interface DecodedValue {
  producerId: bigint;
  previousProducerId: bigint;
  producerEpoch: number;
  transactionTimeoutMs: number;
  transactionStatus: number;
  transactionPartitions: { topic: string; partitionIds: number[] }[] | null;
  transactionLastUpdateTimestampMs: bigint;
  transactionStartTimestampMs: bigint;
}

function write(spec: DataMessageSpec, version: number, body: unknown): Buffer {
  const w = new Writer(64);
  w.int16(version);
  dataCodec(spec, version).encode(w, body);
  return Buffer.from(w.finishBuffer());
}

function read(spec: DataMessageSpec, buf: Buffer): Record<string, unknown> {
  const r = new Reader(buf);
  const version = r.int16();
  if (!isDataVersion(spec, version)) throw new CorruptMessageError(`unknown ${spec.name} version ${version}`);
  const body = dataCodec(spec, version).decode(r) as Record<string, unknown>;
  if (r.remaining !== 0) throw new CorruptMessageError(`${r.remaining} bytes left over after a ${spec.name} v${version}`);
  return body;
}

export const txnRecordSerde: CoordinatorRecordSerde<TxnRecord> = {
  serialize(r: TxnRecord): RawRecord {
    const key = write(TransactionLogKey, KEY_VERSION, { transactionalId: r.transactionalId });
    if (r.value === null) return { key, value: null };
    const v = r.value;
    return {
      key,
      value: write(TransactionLogValue, VALUE_VERSION, {
        producerId: v.producerId,
        previousProducerId: v.previousProducerId,
        nextProducerId: -1n,
        producerEpoch: v.producerEpoch,
        transactionTimeoutMs: v.txnTimeoutMs,
        transactionStatus: v.state,
        transactionPartitions: [...v.partitions].map(([topic, set]) => ({ topic, partitionIds: [...set].sort((a, b) => a - b) })),
        transactionLastUpdateTimestampMs: v.txnLastUpdateTimestamp,
        transactionStartTimestampMs: v.txnStartTimestamp,
        clientTransactionVersion: 0,
      }),
    };
  },
  deserialize(key: Buffer, value: Buffer | null): TxnRecord {
    const transactionalId = String(read(TransactionLogKey, key).transactionalId);
    if (value === null) return { transactionalId, value: null };
    const v = read(TransactionLogValue, value) as unknown as DecodedValue;
    if (!isTxnStateId(v.transactionStatus)) throw new CorruptMessageError(`unknown transaction status ${v.transactionStatus}`);
    return {
      transactionalId,
      value: {
        producerId: v.producerId,
        previousProducerId: v.previousProducerId,
        producerEpoch: v.producerEpoch,
        txnTimeoutMs: v.transactionTimeoutMs,
        state: v.transactionStatus,
        partitions: new Map((v.transactionPartitions ?? []).map((p) => [p.topic, new Set(p.partitionIds)])),
        txnLastUpdateTimestamp: v.transactionLastUpdateTimestampMs,
        txnStartTimestamp: v.transactionStartTimestampMs,
      },
    };
  },
};
