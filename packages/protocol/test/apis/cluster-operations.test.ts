// ElectLeaders (43), AlterPartitionReassignments (45), ListPartitionReassignments (46): every version
// round-trips; hand-computed v0/v1 bytes; kafkajs 2.2.4's 45/46 requests decode with our schemas and
// our responses parse with kafkajs and @platformatic/kafka.
import { describe, expect, it } from 'vitest';
import { alterPartitionReassignmentsSchema } from '../../src/apis/alter-partition-reassignments';
import { electLeadersSchema } from '../../src/apis/elect-leaders';
import { listPartitionReassignmentsSchema } from '../../src/apis/list-partition-reassignments';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { kafkajsDecodeResponse, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(electLeadersSchema);
roundTripEveryVersion(alterPartitionReassignmentsSchema);
roundTripEveryVersion(listPartitionReassignmentsSchema);

describe('ElectLeaders', () => {
  it('v0 request bytes: no election type; a null topic list means every partition', () => {
    const one = encodeBody(electLeadersSchema, 'request', 0, { topicPartitions: [{ topic: 't', partitions: [0, 2] }], timeoutMs: 1000 });
    expect(one.toString('hex')).toBe(hex('00000001 0001 74 00000002 00000000 00000002 000003e8').toString('hex'));
    const all = encodeBody(electLeadersSchema, 'request', 0, { topicPartitions: null, timeoutMs: 1000 });
    expect(all.toString('hex')).toBe(hex('ffffffff 000003e8').toString('hex'));
    expect(decodeBody(electLeadersSchema, 'request', 0, all).topicPartitions).toBeNull();
  });

  it('v1 request carries the election type before the topics', () => {
    const bytes = encodeBody(electLeadersSchema, 'request', 1, { electionType: 1, topicPartitions: null, timeoutMs: 60000 });
    expect(bytes.toString('hex')).toBe(hex('01 ffffffff 0000ea60').toString('hex'));
  });

  it('v1 response bytes: top-level error code, per-partition code and message', () => {
    const body = { throttleTimeMs: 0, errorCode: 0, replicaElectionResults: [{ topic: 't', partitionResult: [{ partitionId: 1, errorCode: 84, errorMessage: null }] }] };
    const bytes = encodeBody(electLeadersSchema, 'response', 1, body);
    expect(bytes.toString('hex')).toBe(hex('00000000 0000 00000001 0001 74 00000001 00000001 0054 ffff').toString('hex'));
    expect(roundTrip(electLeadersSchema, 'response', 2, body)).toEqual(body);
  });
});

describe('AlterPartitionReassignments / ListPartitionReassignments', () => {
  it('a null replica list (cancel) round-trips', () => {
    const body = { timeoutMs: 5, topics: [{ name: 't', partitions: [{ partitionIndex: 0, replicas: null }, { partitionIndex: 1, replicas: [3, 1] }] }] };
    expect(roundTrip(alterPartitionReassignmentsSchema, 'request', 0, body)).toEqual(body);
  });

  it('decodes the kafkajs v0 requests (kafkajs writes the flexible header tag buffer into the body)', async () => {
    const alter = await kafkajsRequestBytes('alterPartitionReassignments', 0, { topics: [{ topic: 't', partitionAssignment: [{ partition: 2, replicas: [1, 3] }] }], timeout: 5000 });
    expect(alter[0]).toBe(0);
    expect(decodeBody(alterPartitionReassignmentsSchema, 'request', 0, alter.subarray(1))).toEqual({
      timeoutMs: 5000,
      topics: [{ name: 't', partitions: [{ partitionIndex: 2, replicas: [1, 3] }] }],
    });
    const list = await kafkajsRequestBytes('listPartitionReassignments', 0, { topics: null, timeout: 5000 });
    expect(decodeBody(listPartitionReassignmentsSchema, 'request', 0, list.subarray(1))).toEqual({ timeoutMs: 5000, topics: null });
  });

  it('kafkajs parses our v0 ListPartitionReassignments response', async () => {
    const body = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, topics: [{ name: 't', partitions: [{ partitionIndex: 0, replicas: [3, 1], addingReplicas: [3], removingReplicas: [1] }] }] };
    const parsed = await kafkajsDecodeResponse('listPartitionReassignments', 0, Buffer.concat([Buffer.from([0]), encodeBody(listPartitionReassignmentsSchema, 'response', 0, body)]));
    expect(JSON.stringify(parsed)).toContain('"addingReplicas":[3]');
  });

  platformaticParsesEveryResponse(alterPartitionReassignmentsSchema, 'alterPartitionReassignments');
  platformaticParsesEveryResponse(listPartitionReassignmentsSchema, 'listPartitionReassignments');
});
