// Conformance: every registered schema, request and response, against Apache Kafka's own message
// definitions (clients/*.json), version by version: valid and flexible versions, field order,
// names, types, nullable versions, tagged fields and tags, and defaults where they reach the wire.
// The definitions are read at test time from MQ_KAFKA_MESSAGES_DIR or ../shared/kafka-messages/
// beside the repository (not vendored); without them this test is skipped, saying so.
import { describe, expect, it } from 'vitest';
import { registeredApis } from '../src/index';
import { compareMessage, kafkaDefinitionsDir, loadKafkaMessages } from './support/kafka-definitions';

/**
 * Versions newer than the definitions (a 2024-10 snapshot, Kafka 3.9/4.0-dev): added in later Kafka
 * releases and checked against what real clients send (test/interop*.test.ts, test/apis/) instead.
 */
const NEWER_THAN_DEFINITIONS: Record<string, number> = {
  OffsetCommit: 10, // KIP-848 topic ids
  OffsetFetch: 10, // KIP-848 topic ids
  DescribeGroups: 6, // KIP-1043 error message
  DescribeCluster: 2, // include_fenced_brokers / is_fenced
  // KIP-932 went stable in Kafka 4.1 (v1; v0, the definitions' unstable early access, was removed) and
  // KIP-1222 added v2; checked against librdkafka 2.15's and @kafkats/client 0.12's codecs instead.
  ShareGroupHeartbeat: 1,
  ShareGroupDescribe: 1,
  ShareFetch: 2,
  ShareAcknowledge: 2,
};

/** APIs added after the definitions' snapshot (Kafka 4.1's share-group admin APIs): no file to compare. */
const NOT_IN_DEFINITIONS = new Set(['DescribeShareGroupOffsets', 'AlterShareGroupOffsets', 'DeleteShareGroupOffsets']);

const dir = kafkaDefinitionsDir();
if (dir === undefined) {
  console.warn('conformance.test.ts skipped: Kafka message definitions not found (set MQ_KAFKA_MESSAGES_DIR or provide ../shared/kafka-messages/clients)');
}

describe.skipIf(dir === undefined)('schemas conform to Kafka message definitions', () => {
  const kafka = dir === undefined ? new Map() : loadKafkaMessages(dir);

  it('finds a Kafka definition for every registered API', () => {
    const missing = registeredApis().filter((api) => !NOT_IN_DEFINITIONS.has(api.name)).flatMap((api) =>
      (['request', 'response'] as const).filter((t) => !kafka.has(`${api.apiKey}:${t}`)).map((t) => `${api.name} ${t}`),
    );
    expect(missing).toEqual([]);
  });

  for (const api of registeredApis().filter((a) => !NOT_IN_DEFINITIONS.has(a.name))) {
    it(`${api.name} (key ${api.apiKey}) v${api.minVersion}-${api.maxVersion}`, () => {
      const problems = (['request', 'response'] as const).flatMap((t) => {
        const theirs = kafka.get(`${api.apiKey}:${t}`);
        const name = `${api.name}${t === 'request' ? 'Request' : 'Response'}`;
        return theirs === undefined ? [] : compareMessage(name, api.schema[t], theirs, NEWER_THAN_DEFINITIONS[api.name]);
      });
      expect(problems).toEqual([]);
    });
  }
});

// The checker itself: a schema with known mistakes must be reported, so a silent pass means "same".
describe.skipIf(dir === undefined)('the conformance checker', () => {
  const kafka = dir === undefined ? new Map() : loadKafkaMessages(dir);

  it('reports wrong field order, types, nullability, defaults, flexible versions and tags', () => {
    const theirs = kafka.get('12:request')!; // Heartbeat: group_id generation_id member_id group_instance_id(3+)
    const wrong = {
      validVersions: '0-4',
      flexibleVersions: '3+',
      fields: [
        { name: 'generationId', type: 'int32', versions: '0+' },
        { name: 'groupId', type: 'string', versions: '0+' },
        { name: 'memberId', type: 'bytes', versions: '0+' },
        { name: 'groupInstanceId', type: 'string', versions: '3+', default: 'x' },
      ],
    } as const;
    const problems = compareMessage('HeartbeatRequest', wrong, theirs);
    expect(problems).toEqual(
      expect.arrayContaining([
        'HeartbeatRequest v0: fields [generationId, groupId, memberId], Kafka has [groupId, generationId, memberId]',
        'HeartbeatRequest.memberId v0: type bytes, Kafka string',
        'HeartbeatRequest v3: flexible, Kafka not flexible',
        'HeartbeatRequest.groupInstanceId: nullable in no version, Kafka 3-4',
        'HeartbeatRequest.groupInstanceId v4: default "x", Kafka null',
      ]),
    );
    // The same topic's tagged fields: ApiVersions v3+ response, SupportedFeatures is tag 0.
    const apiVersions = kafka.get('18:response')!;
    const renamedTag = compareMessage(
      'ApiVersionsResponse',
      { validVersions: '3', flexibleVersions: '3+', fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'apiKeys', type: '[]struct', versions: '0+', fields: [
          { name: 'apiKey', type: 'int16', versions: '0+' },
          { name: 'minVersion', type: 'int16', versions: '0+' },
          { name: 'maxVersion', type: 'int16', versions: '0+' },
        ] },
        { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
        { name: 'finalizedFeaturesEpoch', type: 'int64', versions: '3+', taggedVersions: '3+', tag: 0, default: -1n },
      ] },
      apiVersions,
    );
    expect(renamedTag).toEqual(
      expect.arrayContaining([
        'ApiVersionsResponse.finalizedFeaturesEpoch v3: tag 0 is supportedFeatures in Kafka',
        "ApiVersionsResponse.zkMigrationReady v3: Kafka's tagged field (tag 3) is missing",
      ]),
    );
  });
});
