// Mutated requests (valid frames with random bytes flipped in the body) against a live broker:
// every one is answered or its connection closed, the broker never crashes, and a clean
// connection keeps working afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { ApiKey, encodeRequest } from '@mq/protocol';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker;
const templates: Buffer[] = [];

function req(apiKey: number, version: number, body: object): Buffer {
  return encodeRequest(apiKey, version, { correlationId: 7, clientId: 'fuzz' }, body as never);
}

beforeAll(async () => {
  // A flipped max_wait_ms is a legitimate long poll: cap it so every fetch answers well within 2 s.
  broker = await startTestBroker({ fetchMaxWaitMsCap: 300 });
  await broker.topics.createTopic('fz', 2);
  const records = await buildRecordBatch({ records: [{ key: Buffer.from('k'), value: Buffer.from('v') }] });
  templates.push(
    req(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 1000, topicData: [{ name: 'fz', partitionData: [{ index: 0, records }] }] }),
    req(ApiKey.Produce, 9, { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{ name: 'fz', partitionData: [{ index: 1, records }] }] }),
    req(ApiKey.Fetch, 11, {
      replicaId: -1, maxWaitMs: 10, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: 'fz', partitions: [{ partition: 0, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
      forgottenTopicsData: [], rackId: '',
    }),
    req(ApiKey.Metadata, 9, { topics: [{ name: 'fz' }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false }),
    req(ApiKey.ListOffsets, 5, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'fz', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n }] }] }),
    req(ApiKey.CreateTopics, 5, { topics: [{ name: 'fz-new', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 1000, validateOnly: true }),
    req(ApiKey.DescribeConfigs, 4, { resources: [{ resourceType: 2, resourceName: 'fz', configurationKeys: null }], includeSynonyms: false, includeDocumentation: false }),
    req(ApiKey.IncrementalAlterConfigs, 1, { resources: [{ resourceType: 2, resourceName: 'fz', configs: [{ name: 'retention.ms', configOperation: 0, value: '1000' }] }], validateOnly: true }),
    req(ApiKey.InitProducerId, 4, { transactionalId: null, transactionTimeoutMs: 1000, producerId: -1n, producerEpoch: -1 }),
    req(ApiKey.DeleteRecords, 2, { topics: [{ name: 'fz', partitions: [{ partitionIndex: 1, offset: 0n }] }], timeoutMs: 1000 }),
    req(ApiKey.CreatePartitions, 3, { topics: [{ name: 'fz', count: 2, assignments: null }], timeoutMs: 1000, validateOnly: true }),
    req(ApiKey.AlterConfigs, 2, { resources: [{ resourceType: 2, resourceName: 'fz', configs: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: true }),
    req(ApiKey.DeleteTopics, 6, { topics: [{ name: 'fz-none', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }], timeoutMs: 1000 }),
    req(ApiKey.DescribeCluster, 1, { includeClusterAuthorizedOperations: false, endpointType: 1 }),
    req(ApiKey.ApiVersions, 3, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }),
  );
});

afterAll(async () => {
  await broker.stop();
});

/**
 * Sends one frame on a fresh connection; resolves when answered, closed, or silent for 2 s (only
 * legitimate for a produce whose acks byte was flipped to 0 and that succeeded).
 */
async function exchange(frame: Buffer): Promise<'answered' | 'closed' | 'silent'> {
  const c = await RawClient.connect(broker.port);
  const got = new Promise<'answered'>((resolve) => c.socket.once('data', () => resolve('answered')));
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<'silent'>((resolve) => (timer = setTimeout(() => resolve('silent'), 2_000)));
  c.writeRaw(frame);
  const outcome = await Promise.race([got, c.closed.then(() => 'closed' as const), silent]);
  clearTimeout(timer);
  c.close();
  return outcome;
}

describe('mutated requests', () => {
  it('are answered or closed, and the broker keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(templates.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (which, flips) => {
          const frame = Buffer.from(templates[which]!);
          // Keep the size prefix and API key/version intact so the body reaches the decoder/handler.
          for (const [pos, value] of flips) frame[8 + (pos % (frame.length - 8))] = value;
          const outcome = await exchange(frame);
          const isProduce = frame.readInt16BE(4) === ApiKey.Produce;
          expect(isProduce ? ['answered', 'closed', 'silent'] : ['answered', 'closed']).toContain(outcome);
        },
      ),
      { numRuns: 300, seed: 20261123 },
    );
    const c = await RawClient.connect(broker.port);
    expect(((await c.send(ApiKey.ApiVersions, 2, {})) as { errorCode: number }).errorCode).toBe(0);
    c.close();
  }, 60_000);
});
