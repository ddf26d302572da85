// Broker-side validation on a broker without a `_schemas` replica (replication factor 2 of 3, real
// etcd, broker processes) when the HTTP listeners accept bearer tokens only: the broker fetches the
// schemas from the leader with a token of its own, got by the OAuth client-credentials grant from a
// token endpoint on loopback (confluent.bearer.auth.credentials.source=OAUTHBEARER, as Confluent
// Server's broker towards its Schema Registry) and checked there as any bearer token (RS256 against
// the JWKS). With the ACL authorizer on, the leader authorizes the fetches as the token's subject:
// refused until that principal may DESCRIBE the cluster. Injected: requests without a token (401),
// a first broker token the leader refuses (another issuer: replaced), an unknown id, the broker's
// principal without ACLs.
import { type RunningCluster, startCluster } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../src/cluster-probe';
import { JwksServer, TestSigningKeys, claimsFor } from '../src/oauthbearer-tokens';
import { framedNote, produceRefusal, registryCall, validatedTopicOutsideSchemas, withClients } from '../src/outside-schemas';

const ISSUER = 'https://idp.example.test';
const keys = new TestSigningKeys();
let jwks: JwksServer;
let cluster: RunningCluster;
let alice: string;

beforeAll(async () => {
  jwks = await JwksServer.start(() => keys.jwks(), {
    keys,
    // The first token names another issuer: refused (401) by the leader, so the broker gets a new one.
    clients: new Map([['mq-broker', { secret: 'broker:secret/1', claims: () => claimsFor('mq-broker', 3600, Date.now(), { iss: jwks.tokens.length === 0 ? 'https://other.example.test' : ISSUER }), lifetimeSeconds: 3600 }]]),
  });
  alice = `Bearer ${keys.sign('RS256', claimsFor('alice', 3600, Date.now(), { iss: ISSUER }))}`;
  cluster = await startCluster({
    brokers: 3,
    config: {
      'http.port': '0',
      'http.authentication.methods': 'bearer',
      'sasl.oauthbearer.jwks.endpoint.url': jwks.url,
      'sasl.oauthbearer.expected.issuer': ISSUER,
      'schema.registry.topic.replication.factor': '2',
      'confluent.bearer.auth.credentials.source': 'OAUTHBEARER',
      'confluent.bearer.auth.issuer.endpoint.url': jwks.tokenUrl,
      'confluent.bearer.auth.client.id': 'mq-broker',
      'confluent.bearer.auth.client.secret': 'broker:secret/1',
      'authorizer.class.name': 'mq.acl.StandardAuthorizer',
      // The Kafka listeners are PLAINTEXT (the test's clients and replication); alice registers schemas.
      'super.users': 'User:ANONYMOUS;User:alice',
      'connection.failed.authentication.delay.ms': '0',
    },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await jwks?.close();
});

describe('validation without a _schemas replica under bearer-only HTTP authentication', () => {
  it('fetches the schemas from the leader with a client-credentials token, authorized as its subject', async () => {
    await withClients(cluster, async (admin, producer) => {
      const { outside, id } = await validatedTopicOutsideSchemas(cluster, admin, 'notes', alice);
      expect((await registryCall(cluster, outside, 'GET', '/subjects', undefined, null)).status).toBe(401);
      // The first token is refused and replaced; the second is good, but its subject may not read the registry yet.
      expect(await produceRefusal(producer, 'notes', framedNote(id))).toBe('CORRUPT_MESSAGE');
      expect(jwks.tokens.length).toBe(2);
      // kafkajs' enums: CLUSTER = 4, LITERAL = 3, DESCRIBE = 8, ALLOW = 3.
      await admin.createAcls({ acl: [{ resourceType: 4, resourceName: 'kafka-cluster', resourcePatternType: 3, principal: 'User:mq-broker', host: '*', operation: 8, permissionType: 3 }] });
      await until('a produce validated once mq-broker may DESCRIBE', 60_000, async () => (await produceRefusal(producer, 'notes', framedNote(id))) === undefined);
      expect(await produceRefusal(producer, 'notes', framedNote(999_999))).toBe('CORRUPT_MESSAGE');
      expect(await produceRefusal(producer, 'notes', framedNote(id))).toBeUndefined();
      expect(Number((await admin.fetchTopicOffsets('notes'))[0]!.high)).toBeGreaterThanOrEqual(2);
      // One token for every fetch since: kept until 80% of its hour has passed.
      expect(jwks.tokens.length).toBe(2);
    });
  });
});
