// CreateTopics (key 19) schema: every version round-trips; v0 bytes and defaults; the v5 tagged
// topicConfigErrorCode and returned configs; v7 topic ids.
import { describe, expect, it } from 'vitest';
import { createTopicsSchema } from '../../src/apis/create-topics';
import { decodeBody, encodeBody, hex, roundTrip, roundTripEveryVersion } from './round-trip';
import { decodePlatformaticRequest, kafkajsRequestBytes, platformaticParsesEveryResponse } from './real-clients';

roundTripEveryVersion(createTopicsSchema);

describe('CreateTopics request', () => {
  const topic = { name: 't', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] };

  it('v0 request bytes; validateOnly absent, timeoutMs defaults to 60000', () => {
    const bytes = encodeBody(createTopicsSchema, 'request', 0, { topics: [topic] });
    expect(bytes.toString('hex')).toBe(
      hex(`00000001 0001 74 00000003 0001 00000000
           00000001 000e 636c65616e75702e706f6c696379 0007 636f6d70616374
           0000ea60`).toString('hex'),
    );
    expect(decodeBody(createTopicsSchema, 'request', 0, bytes)).toEqual({ topics: [topic], timeoutMs: 60000, validateOnly: false });
  });

  it('v4 request: -1 partitions and replication factor mean broker defaults (KIP-464)', () => {
    const decoded = roundTrip(createTopicsSchema, 'request', 4, {
      topics: [{ ...topic, numPartitions: -1, replicationFactor: -1, configs: [{ name: 'retention.ms', value: null }] }],
      timeoutMs: 5000,
      validateOnly: true,
    });
    expect(decoded.topics[0]!.configs[0]!.value).toBeNull();
  });
});

describe('CreateTopics response', () => {
  it('v5 writes topicConfigErrorCode as tag 0 only when it is not the default', () => {
    const base = { name: 't', errorCode: 0, errorMessage: null, numPartitions: 1, replicationFactor: 1, configs: null };
    const without = encodeBody(createTopicsSchema, 'response', 5, { throttleTimeMs: 0, topics: [{ ...base, topicConfigErrorCode: 0 }] });
    const withTag = encodeBody(createTopicsSchema, 'response', 5, { throttleTimeMs: 0, topics: [{ ...base, topicConfigErrorCode: 29 }] });
    // throttle · topics [1] · name "t" · error 0 · message null · partitions 1 · rf 1 · configs null · topic tags · body tags.
    expect(without.toString('hex')).toBe(hex('00000000 02 02 74 0000 00 00000001 0001 00 00 00').toString('hex'));
    // Same, but the topic's tag section holds one field: tag 0, size 2, int16 29.
    expect(withTag.toString('hex')).toBe(hex('00000000 02 02 74 0000 00 00000001 0001 00 01 00 02 001d 00').toString('hex'));
    expect(decodeBody(createTopicsSchema, 'response', 5, withTag).topics[0]!.topicConfigErrorCode).toBe(29);
    expect(decodeBody(createTopicsSchema, 'response', 5, without).topics[0]!.topicConfigErrorCode).toBe(0);
  });

  it('v7 returns topic ids and the resulting configs', () => {
    const topicId = Buffer.alloc(16, 0xab).toString('base64url');
    const t = {
      name: 't',
      topicId,
      errorCode: 0,
      errorMessage: null,
      topicConfigErrorCode: 0,
      numPartitions: 2,
      replicationFactor: 1,
      configs: [{ name: 'segment.bytes', value: '1048576', readOnly: false, configSource: 5, isSensitive: false }],
    };
    expect(roundTrip(createTopicsSchema, 'response', 7, { throttleTimeMs: 0, topics: [t] }).topics).toEqual([t]);
  });

  it('v0 response has no error message on the wire', () => {
    const bytes = encodeBody(createTopicsSchema, 'response', 0, { topics: [{ name: 't', errorCode: 36, errorMessage: 'exists' }] });
    expect(bytes.toString('hex')).toBe(hex('00000001 0001 74 0024').toString('hex'));
  });
});

describe('CreateTopics with real clients', () => {
  platformaticParsesEveryResponse(createTopicsSchema, 'createTopics');

  it.each([0, 1, 2, 3])('decodes the kafkajs v%i request', async (version) => {
    const bytes = await kafkajsRequestBytes('createTopics', version, {
      topics: [{ topic: 't', numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      validateOnly: true,
      timeout: 5000,
    });
    expect(decodeBody(createTopicsSchema, 'request', version, bytes)).toEqual({
      topics: [{ name: 't', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] }],
      timeoutMs: 5000,
      validateOnly: version >= 1,
    });
  });

  it('decodes the @platformatic/kafka v7 request', () => {
    const topics = [{ name: 't', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [0] }], configs: [] }];
    expect(decodePlatformaticRequest(createTopicsSchema, 'createTopics', 7, [topics, 1000, false])).toEqual({ topics, timeoutMs: 1000, validateOnly: false });
  });
});
