// Transaction markers: the control batch a coordinator writes to end a transaction (Kafka's
// EndTransactionMarker). Key: version int16 (0) · type int16 (ABORT 0, COMMIT 1);
// value: version int16 (0) · coordinatorEpoch int32. Attributes: transactional + control.
import { CorruptMessageError } from '@mq/errors';
import { buildRecordBatch } from './build-record-batch';
import type { DecodedRecord } from './record';

export const ControlRecordType = { abort: 0, commit: 1 } as const;

export interface EndTxnMarkerOptions {
  producerId: bigint;
  producerEpoch: number;
  commit: boolean;
  coordinatorEpoch: number;
  timestamp: bigint;
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
}

export function buildEndTxnMarker(opts: EndTxnMarkerOptions): Promise<Buffer> {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(opts.commit ? ControlRecordType.commit : ControlRecordType.abort, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(opts.coordinatorEpoch, 2);
  return buildRecordBatch({
    records: [{ key, value, timestamp: opts.timestamp }],
    baseOffset: opts.baseOffset,
    producerId: opts.producerId,
    producerEpoch: opts.producerEpoch,
    baseSequence: -1,
    partitionLeaderEpoch: opts.partitionLeaderEpoch,
    transactional: true,
    control: true,
  });
}

/** Reads a control record: its type (0 abort, 1 commit, others reserved) and coordinator epoch. */
export function readControlRecord(record: DecodedRecord): { type: number; coordinatorEpoch: number | null } {
  if (record.key === null || record.key.length < 4) throw new CorruptMessageError('control record key is too short');
  const type = record.key.readInt16BE(2);
  const coordinatorEpoch = record.value !== null && record.value.length >= 6 ? record.value.readInt32BE(2) : null;
  return { type, coordinatorEpoch };
}
