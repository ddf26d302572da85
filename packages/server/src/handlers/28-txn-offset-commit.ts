// TxnOffsetCommit (key 28), versions 0-4 (flexible 3+): offsets committed inside the producer's
// transaction. The coordinator of the transaction must have the group's partition in it
// (AddOffsetsToTxn first: else INVALID_TXN_STATE / PRODUCER_FENCED / INVALID_PRODUCER_ID_MAPPING);
// the group coordinator validates as for OffsetCommit (v3+ generation and member, KIP-447) and keeps
// the offsets pending until the transaction's marker commits (or drops) them. In a cluster the group
// coordinator is often not the transaction's: it then asks the transaction's coordinator with
// AddPartitionsToTxn v4 verify_only (KIP-890 part 1, as Kafka's group coordinator does); an answer
// that could not be had (the coordinator moving or unreachable, the previous transaction still
// completing) is COORDINATOR_NOT_AVAILABLE, which clients retry.
import { ApiKey, ErrorCode, type RequestBodyFor, type ResponseInputFor } from '@mq/protocol';
import { defineHandler } from '../handler';
import { coordinatorOf } from './group-coordinator-of';
import { fencedFor, transactionsOf } from './txn-coordinator-of';
import { UNVERIFIED } from './txn-produce-check';

type TxnOffsetCommitRequest = RequestBodyFor<typeof ApiKey.TxnOffsetCommit>;
type TxnOffsetCommitResponse = ResponseInputFor<typeof ApiKey.TxnOffsetCommit>;

export const txnOffsetCommitHandler = defineHandler<TxnOffsetCommitRequest, TxnOffsetCommitResponse>({
  apiKey: ApiKey.TxnOffsetCommit,
  minVersion: 0,
  maxVersion: 4,
  async handle(req, ctx) {
    const groups = coordinatorOf(ctx);
    const txns = transactionsOf(ctx);
    if (groups === undefined || txns === undefined) return this.errorResponse(req, ErrorCode.COORDINATOR_NOT_AVAILABLE, ctx);
    if (req.groupId === '') return this.errorResponse(req, ErrorCode.INVALID_GROUP_ID, ctx);
    const producer = { transactionalId: req.transactionalId, producerId: req.producerId, producerEpoch: req.producerEpoch };
    const offsets = { topic: '__consumer_offsets', partition: groups.partitionFor(req.groupId) };
    const remote = ctx.broker.txnVerification;
    const inTxn =
      remote !== undefined && txns.coordinatorStatus(req.transactionalId) !== ErrorCode.NONE
        ? await remote.verifyEach(producer, offsets.topic, offsets.partition)
        : txns.verify(producer, [offsets]);
    if (inTxn !== ErrorCode.NONE) return this.errorResponse(req, fencedFor(UNVERIFIED.has(inTxn) ? ErrorCode.COORDINATOR_NOT_AVAILABLE : inTxn, ctx, 2), ctx);
    const r = await groups.txnCommitOffsets(req);
    return { throttleTimeMs: 0, topics: r.topics };
  },
  errorResponse(req, errorCode) {
    return {
      throttleTimeMs: 0,
      topics: (req.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
    };
  },
});
