// Broker-side validation on a broker without a `_schemas` replica (replication factor 2 of 3, real
// etcd, broker processes) when the HTTP listeners require HTTP Basic: the schemas it fetches from
// the leader go with its inter-broker user (inter.broker.sasl.username / password), so a produce
// there is checked — a registered id stored, an unknown one refused — while a caller without
// credentials still gets 401 from every broker. Injected: requests without credentials, an unknown id.
import { type RunningCluster, startCluster } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { framedNote, produceRefusal, registryCall, validatedTopicOutsideSchemas, withClients } from '../src/outside-schemas';

const ALICE = `Basic ${Buffer.from('alice:alice-pw').toString('base64')}`;
let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({
    brokers: 3,
    config: {
      'http.port': '0',
      'http.authentication.methods': 'basic',
      'schema.registry.topic.replication.factor': '2',
      // PLAIN users: the HTTP Basic verifier reads them (no SASL listener is needed for that).
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required user_broker="broker-pw" user_alice="alice-pw";',
      'inter.broker.sasl.username': 'broker',
      'inter.broker.sasl.password': 'broker-pw',
      'connection.failed.authentication.delay.ms': '0',
    },
  });
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('validation without a _schemas replica under HTTP Basic', () => {
  it('fetches the schemas from the leader as the broker’s inter-broker user', async () => {
    await withClients(cluster, async (admin, producer) => {
      const { outside, id } = await validatedTopicOutsideSchemas(cluster, admin, 'notes', ALICE);
      expect((await registryCall(cluster, outside, 'GET', '/subjects', undefined, null)).status).toBe(401);
      expect(await produceRefusal(producer, 'notes', framedNote(id))).toBeUndefined();
      expect(await produceRefusal(producer, 'notes', framedNote(999_999))).toBe('CORRUPT_MESSAGE');
      expect((await admin.fetchTopicOffsets('notes')).map((o) => o.high)).toEqual(['1']);
    });
  });
});
