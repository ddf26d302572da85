// Share-group APIs (KIP-932, keys 76-79 and 90-92): every version round-trips; golden bytes laid
// out by hand after what the released clients write and read — librdkafka 2.15 (ShareFetch /
// ShareAcknowledge v1: MaxRecords and BatchSize, no PartitionMaxBytes) and @kafkats/client 0.12
// (v2: acquire mode and IsRenewAck; the ShareAcknowledge response's lock timeout from v2 only).
import { describe, expect, it } from 'vitest';
import { alterShareGroupOffsetsSchema } from '../../src/apis/alter-share-group-offsets';
import { deleteShareGroupOffsetsSchema } from '../../src/apis/delete-share-group-offsets';
import { describeShareGroupOffsetsSchema } from '../../src/apis/describe-share-group-offsets';
import { shareAcknowledgeSchema } from '../../src/apis/share-acknowledge';
import { shareFetchSchema } from '../../src/apis/share-fetch';
import { shareGroupDescribeSchema } from '../../src/apis/share-group-describe';
import { shareGroupHeartbeatSchema } from '../../src/apis/share-group-heartbeat';
import { decodeBody, encodeBody, hex, roundTripEveryVersion } from './round-trip';

for (const schema of [
  shareGroupHeartbeatSchema,
  shareGroupDescribeSchema,
  shareFetchSchema,
  shareAcknowledgeSchema,
  describeShareGroupOffsetsSchema,
  alterShareGroupOffsetsSchema,
  deleteShareGroupOffsetsSchema,
]) {
  roundTripEveryVersion(schema);
}

const topicId = Buffer.alloc(16, 0x22).toString('base64url');
const idHex = '22'.repeat(16);

describe('ShareGroupHeartbeat v1', () => {
  it('join request: group, member, epoch 0, rack null, topics', () => {
    const bytes = encodeBody(shareGroupHeartbeatSchema, 'request', 1, { groupId: 'g', memberId: 'm', memberEpoch: 0, subscribedTopicNames: ['t'] });
    expect(bytes.toString('hex')).toBe(hex('02 67 02 6d 00000000 00 02 02 74 00').toString('hex'));
    expect(decodeBody(shareGroupHeartbeatSchema, 'request', 1, bytes)).toMatchObject({ rackId: null, subscribedTopicNames: ['t'] });
  });

  it('response with an assignment (int8 presence marker, own tag section)', () => {
    const body = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      memberId: 'm',
      memberEpoch: 1,
      heartbeatIntervalMs: 5000,
      assignment: { topicPartitions: [{ topicId, partitions: [0] }] },
    };
    const bytes = encodeBody(shareGroupHeartbeatSchema, 'response', 1, body);
    expect(bytes.toString('hex')).toBe(hex(`00000000 0000 00 02 6d 00000001 00001388 01 02 ${idHex} 02 00000000 00 00 00`).toString('hex'));
  });
});

describe('ShareFetch', () => {
  const request = {
    groupId: 'g',
    memberId: 'm',
    shareSessionEpoch: 1,
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 1024,
    maxRecords: 500,
    batchSize: 500,
    shareAcquireMode: 1,
    isRenewAck: false,
    topics: [{ topicId, partitions: [{ partitionIndex: 0, acknowledgementBatches: [{ firstOffset: 3n, lastOffset: 4n, acknowledgeTypes: [1, 3] }] }] }],
    forgottenTopicsData: [],
  };
  const head = '02 67 02 6d 00000001 000001f4 00000001 00000400 000001f4 000001f4';
  const topics = `02 ${idHex} 02 00000000 02 0000000000000003 0000000000000004 03 01 03 00 00 00 01 00`;

  it('v1 request (librdkafka): max records and batch size, no acquire mode', () => {
    const bytes = encodeBody(shareFetchSchema, 'request', 1, request);
    expect(bytes.toString('hex')).toBe(hex(`${head} ${topics}`).toString('hex'));
  });

  it('v2 request (@kafkats/client): acquire mode int8 and renew flag before the topics', () => {
    const bytes = encodeBody(shareFetchSchema, 'request', 2, request);
    expect(bytes.toString('hex')).toBe(hex(`${head} 01 00 ${topics}`).toString('hex'));
    expect(decodeBody(shareFetchSchema, 'request', 2, bytes)).toEqual(request);
  });

  it('response: lock timeout after the error message; records and acquired ranges per partition', () => {
    const records = Buffer.from('abcd', 'hex');
    const body = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      acquisitionLockTimeoutMs: 30000,
      responses: [
        {
          topicId,
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              errorMessage: null,
              acknowledgeErrorCode: 0,
              acknowledgeErrorMessage: null,
              currentLeader: { leaderId: 1, leaderEpoch: 0 },
              records,
              acquiredRecords: [{ firstOffset: 0n, lastOffset: 9n, deliveryCount: 1 }],
            },
          ],
        },
      ],
      nodeEndpoints: [],
    };
    const bytes = encodeBody(shareFetchSchema, 'response', 1, body);
    expect(bytes.toString('hex')).toBe(
      hex(
        `00000000 0000 00 00007530 02 ${idHex} 02 00000000 0000 00 0000 00 00000001 00000000 00 03 abcd 02 0000000000000000 0000000000000009 0001 00 00 00 01 00`,
      ).toString('hex'),
    );
  });
});

describe('ShareAcknowledge', () => {
  const response = {
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    acquisitionLockTimeoutMs: 30000,
    responses: [{ topicId, partitions: [{ partitionIndex: 0, errorCode: 121, errorMessage: null, currentLeader: { leaderId: 1, leaderEpoch: 0 } }] }],
    nodeEndpoints: [],
  };
  const partitions = `02 ${idHex} 02 00000000 0079 00 00000001 00000000 00 00 00 01`;

  it('v1 response (librdkafka) has no lock timeout', () => {
    const bytes = encodeBody(shareAcknowledgeSchema, 'response', 1, response);
    expect(bytes.toString('hex')).toBe(hex(`00000000 0000 00 ${partitions} 00`).toString('hex'));
  });

  it('v2 response (@kafkats/client) carries it after the error message', () => {
    const bytes = encodeBody(shareAcknowledgeSchema, 'response', 2, response);
    expect(bytes.toString('hex')).toBe(hex(`00000000 0000 00 00007530 ${partitions} 00`).toString('hex'));
  });

  it('v2 request: renew flag before the topics', () => {
    const bytes = encodeBody(shareAcknowledgeSchema, 'request', 2, { groupId: 'g', memberId: 'm', shareSessionEpoch: 2, isRenewAck: true, topics: [] });
    expect(bytes.toString('hex')).toBe(hex('02 67 02 6d 00000002 01 01 00').toString('hex'));
  });
});

describe("AlterShareGroupOffsets / DeleteShareGroupOffsets: mq's forwardedByCoordinator tag", () => {
  it('is absent from what a client sends (no tagged fields) and read back as -1', () => {
    const bytes = encodeBody(deleteShareGroupOffsetsSchema, 'request', 0, { groupId: 'g', topics: [{ topicName: 't' }] });
    // group_id "g", one topic "t" (+ its empty tag buffer), then the request's empty tag buffer.
    expect(bytes).toEqual(hex('0267 02 0274 00 00'));
    expect(decodeBody(deleteShareGroupOffsetsSchema, 'request', 0, bytes).forwardedByCoordinator).toBe(-1);
  });

  it('a forwarding coordinator sends its node id as tagged field 0x6d71', () => {
    const bytes = encodeBody(alterShareGroupOffsetsSchema, 'request', 0, { groupId: 'g', forwardedByCoordinator: 2, topics: [] });
    // group_id "g", no topics, one tagged field: tag 0x6d71 (varint f1 da 01), size 4, int32 2.
    expect(bytes).toEqual(hex('0267 01 01 f1da01 04 00000002'));
    expect(decodeBody(alterShareGroupOffsetsSchema, 'request', 0, bytes).forwardedByCoordinator).toBe(2);
  });
});
