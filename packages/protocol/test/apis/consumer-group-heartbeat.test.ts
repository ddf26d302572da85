// ConsumerGroupHeartbeat (key 68) schema: every version round-trips; the nullable assignment
// struct (int8 presence marker) and the v1 topic regex.
import { describe, expect, it } from 'vitest';
import { consumerGroupHeartbeatSchema } from '../../src/apis/consumer-group-heartbeat';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { dashedUuid, decodePlatformaticRequest, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(consumerGroupHeartbeatSchema);

describe('ConsumerGroupHeartbeat request', () => {
  it('v0 join bytes; unchanged fields are null', () => {
    const bytes = encodeBody(consumerGroupHeartbeatSchema, 'request', 0, {
      groupId: 'g',
      memberId: 'm',
      memberEpoch: 0,
      rebalanceTimeoutMs: 300000,
      subscribedTopicNames: ['t'],
    });
    // group · member · epoch 0 · instance null · rack null · rebalance timeout · topics [t] · assignor null ·
    // owned partitions null · tags.
    expect(bytes.toString('hex')).toBe(hex('02 67 02 6d 00000000 00 00 000493e0 02 02 74 00 00 00').toString('hex'));
    expect(decodeBody(consumerGroupHeartbeatSchema, 'request', 0, bytes)).toMatchObject({
      instanceId: null,
      subscribedTopicRegex: null,
      serverAssignor: null,
      topicPartitions: null,
    });
  });

  it('v1 request adds the subscribed topic regex', () => {
    const decoded = roundTrip(consumerGroupHeartbeatSchema, 'request', 1, {
      groupId: 'g',
      memberId: 'm',
      memberEpoch: 3,
      subscribedTopicNames: null,
      subscribedTopicRegex: 'orders-.*',
      topicPartitions: [{ topicId: Buffer.alloc(16, 9).toString('base64url'), partitions: [0, 2] }],
    });
    expect(decoded.subscribedTopicRegex).toBe('orders-.*');
  });
});

describe('ConsumerGroupHeartbeat response', () => {
  const base = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, memberId: 'm', memberEpoch: 4, heartbeatIntervalMs: 5000 };

  it('a null assignment is a single -1 byte', () => {
    const bytes = encodeBody(consumerGroupHeartbeatSchema, 'response', 0, { ...base, assignment: null });
    expect(bytes.toString('hex')).toBe(hex('00000000 0000 00 02 6d 00000004 00001388 ff 00').toString('hex'));
    expect(decodeBody(consumerGroupHeartbeatSchema, 'response', 0, bytes).assignment).toBeNull();
  });

  it('a present assignment is marked 1 and carries its own tag section', () => {
    const topicId = Buffer.alloc(16, 0x11).toString('base64url');
    const assignment = { topicPartitions: [{ topicId, partitions: [1] }] };
    const bytes = encodeBody(consumerGroupHeartbeatSchema, 'response', 1, { ...base, assignment });
    expect(bytes.toString('hex')).toBe(
      hex(`00000000 0000 00 02 6d 00000004 00001388 01 02 ${'11'.repeat(16)} 02 00000001 00 00 00`).toString('hex'),
    );
    expect(decodeBody(consumerGroupHeartbeatSchema, 'response', 1, bytes).assignment).toEqual(assignment);
  });
});

describe('ConsumerGroupHeartbeat with real clients', () => {
  platformaticParsesEveryResponse(consumerGroupHeartbeatSchema, 'consumerGroupHeartbeat');

  it.each([0, 1])('decodes the @platformatic/kafka v%i request', (version) => {
    const topicId = Buffer.alloc(16, 0x42).toString('base64url');
    const decoded = decodePlatformaticRequest(consumerGroupHeartbeatSchema, 'consumerGroupHeartbeat', version, [
      'g',
      'member-uuid',
      0,
      null,
      null,
      300000,
      ['t'],
      'ignored-below-v1',
      'uniform',
      [{ topicId: dashedUuid(topicId), partitions: [0, 1] }],
    ]);
    expect(decoded).toEqual({
      groupId: 'g',
      memberId: 'member-uuid',
      memberEpoch: 0,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 300000,
      subscribedTopicNames: ['t'],
      subscribedTopicRegex: version >= 1 ? 'ignored-below-v1' : null,
      serverAssignor: 'uniform',
      topicPartitions: [{ topicId, partitions: [0, 1] }],
    });
  });
});
