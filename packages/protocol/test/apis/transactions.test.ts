// The transaction APIs' schemas (keys 24-28, 61, 65, 66): every version round-trips; golden bytes for
// EndTxn v0 and AddPartitionsToTxn v3; kafkajs' requests decode with ours; @platformatic/kafka and
// kafkajs parse our responses.
import { describe, expect, it } from 'vitest';
import { addOffsetsToTxnSchema } from '../../src/apis/add-offsets-to-txn';
import { addPartitionsToTxnSchema } from '../../src/apis/add-partitions-to-txn';
import { describeProducersSchema } from '../../src/apis/describe-producers';
import { describeTransactionsSchema } from '../../src/apis/describe-transactions';
import { endTxnSchema } from '../../src/apis/end-txn';
import { listTransactionsSchema } from '../../src/apis/list-transactions';
import { txnOffsetCommitSchema } from '../../src/apis/txn-offset-commit';
import { writeTxnMarkersSchema } from '../../src/apis/write-txn-markers';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';
import { kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

for (const s of [
  addPartitionsToTxnSchema,
  addOffsetsToTxnSchema,
  endTxnSchema,
  writeTxnMarkersSchema,
  txnOffsetCommitSchema,
  describeProducersSchema,
  describeTransactionsSchema,
  listTransactionsSchema,
]) {
  roundTripEveryVersion(s);
}

describe('EndTxn', () => {
  it('v0 request bytes', () => {
    const body = { transactionalId: 't', producerId: 5n, producerEpoch: 2, committed: true };
    expect(encodeBody(endTxnSchema, 'request', 0, body).toString('hex')).toBe(hex('0001 74 0000000000000005 0002 01').toString('hex'));
  });

  it.each([0, 1])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('endTxn', version, { transactionalId: 't', producerId: '7', producerEpoch: 1, transactionResult: false });
    expect(decodeBody(endTxnSchema, 'request', version, bytes)).toEqual({ transactionalId: 't', producerId: 7n, producerEpoch: 1, committed: false });
  });

  it.each([0, 1])('kafkajs decodes our v%i response', async (version) => {
    const bytes = encodeBody(endTxnSchema, 'response', version, { throttleTimeMs: 0, errorCode: 0 });
    expect(await kafkajsDecodeResponse('endTxn', version, bytes)).toMatchObject({ errorCode: 0 });
  });
});

describe('AddPartitionsToTxn', () => {
  it('v3 request bytes: compact strings, one topic', () => {
    const body = { v3AndBelowTransactionalId: 't', v3AndBelowProducerId: 1n, v3AndBelowProducerEpoch: 0, v3AndBelowTopics: [{ name: 'a', partitions: [2] }] };
    expect(encodeBody(addPartitionsToTxnSchema, 'request', 3, body).toString('hex')).toBe(
      hex('02 74 0000000000000001 0000 02 02 61 02 00000002 00 00').toString('hex'),
    );
  });

  it('v4 carries a batch of transactions with verify_only', () => {
    const body = { transactions: [{ transactionalId: 't', producerId: 1n, producerEpoch: 3, verifyOnly: true, topics: [{ name: 'a', partitions: [0, 1] }] }] };
    expect(decodeBody(addPartitionsToTxnSchema, 'request', 4, encodeBody(addPartitionsToTxnSchema, 'request', 4, body))).toMatchObject(body);
  });

  it.each([0, 1])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('addPartitionsToTxn', version, {
      transactionalId: 't',
      producerId: '3',
      producerEpoch: 0,
      topics: [{ topic: 'a', partitions: [0, 1] }],
    });
    expect(decodeBody(addPartitionsToTxnSchema, 'request', version, bytes)).toMatchObject({
      v3AndBelowTransactionalId: 't',
      v3AndBelowProducerId: 3n,
      v3AndBelowProducerEpoch: 0,
      v3AndBelowTopics: [{ name: 'a', partitions: [0, 1] }],
    });
  });

  it.each([0, 1])('kafkajs decodes our v%i response', async (version) => {
    const bytes = encodeBody(addPartitionsToTxnSchema, 'response', version, {
      throttleTimeMs: 0,
      resultsByTopicV3AndBelow: [{ name: 'a', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }] }],
    });
    expect(await kafkajsDecodeResponse('addPartitionsToTxn', version, bytes)).toMatchObject({
      errors: [{ topic: 'a', partitionErrors: [{ partition: 0, errorCode: 0 }] }],
    });
  });
});

describe('TxnOffsetCommit and AddOffsetsToTxn', () => {
  it.each([0, 1])('decodes the kafkajs TxnOffsetCommit v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('txnOffsetCommit', version, {
      transactionalId: 't',
      groupId: 'g',
      producerId: '9',
      producerEpoch: 2,
      topics: [{ topic: 'a', partitions: [{ partition: 1, offset: '42', metadata: null }] }],
    });
    expect(decodeBody(txnOffsetCommitSchema, 'request', version, bytes)).toMatchObject({
      transactionalId: 't',
      groupId: 'g',
      producerId: 9n,
      producerEpoch: 2,
      topics: [{ name: 'a', partitions: [{ partitionIndex: 1, committedOffset: 42n, committedMetadata: null }] }],
    });
  });

  it.each([0, 1])('decodes the kafkajs AddOffsetsToTxn v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('addOffsetsToTxn', version, { transactionalId: 't', producerId: '9', producerEpoch: 2, groupId: 'g' });
    expect(decodeBody(addOffsetsToTxnSchema, 'request', version, bytes)).toEqual({ transactionalId: 't', producerId: 9n, producerEpoch: 2, groupId: 'g' });
  });
});

describe('transaction APIs with @platformatic/kafka', () => {
  describe('AddPartitionsToTxn', () => platformaticParsesEveryResponse(addPartitionsToTxnSchema, 'addPartitionsToTxn'));
  describe('AddOffsetsToTxn', () => platformaticParsesEveryResponse(addOffsetsToTxnSchema, 'addOffsetsToTxn'));
  describe('EndTxn', () => platformaticParsesEveryResponse(endTxnSchema, 'endTxn'));
  describe('TxnOffsetCommit', () => platformaticParsesEveryResponse(txnOffsetCommitSchema, 'txnOffsetCommit'));
  describe('DescribeProducers', () => platformaticParsesEveryResponse(describeProducersSchema, 'describeProducers'));
  describe('DescribeTransactions', () => platformaticParsesEveryResponse(describeTransactionsSchema, 'describeTransactions'));
  describe('ListTransactions', () => platformaticParsesEveryResponse(listTransactionsSchema, 'listTransactions'));
});
