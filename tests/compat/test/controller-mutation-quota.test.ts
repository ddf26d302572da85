// controller_mutation_rate (KIP-599) on a real broker: 2 partitions/s (a burst of 22 over the
// default 11 × 1 s window) for two client ids. @mq/client's CreateTopics v7 (strict): one request
// creating 20 + 6 + 1 partitions gets its first two topics (the second takes the bucket below zero)
// and THROTTLING_QUOTA_EXCEEDED for the third, with throttle_time_ms; kafkajs' CreateTopics v3
// (permissive) is never refused, only throttled; a client without a quota is neither; /metrics
// counts the throttles. Nothing refused was created.
import { startBroker } from '@mq/broker';
import { MqClient } from '@mq/client';
import { ErrorCode, kafkaErrorCode } from '@mq/protocol';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, parsePrometheus } from '../src/prometheus-text';

let broker: Awaited<ReturnType<typeof startBroker>>;
let bootstrap: string;

beforeAll(async () => {
  broker = await startBroker({ http: { port: 0 } });
  bootstrap = `127.0.0.1:${broker.port}`;
  const admin = new MqClient({ bootstrapServers: bootstrap, clientId: 'quota-admin' });
  await admin.admin().alterClientQuotas(
    ['strict-mutator', 'old-mutator'].map((name) => ({ entity: [{ entityType: 'client-id', entityName: name }], set: { controller_mutation_rate: 2 } })),
  );
  await admin.close();
});

afterAll(async () => {
  await broker?.stop();
});

async function topicNames(): Promise<string[]> {
  const c = new MqClient({ bootstrapServers: bootstrap, clientId: 'lister' });
  try {
    return (await c.admin().listTopics()).sort();
  } finally {
    await c.close();
  }
}

describe('controller_mutation_rate', () => {
  it('a strict client gets THROTTLING_QUOTA_EXCEEDED for the topic past an empty bucket; what it got before is created', async () => {
    const c = new MqClient({ bootstrapServers: bootstrap, clientId: 'strict-mutator' });
    try {
      const err = await c
        .admin()
        .createTopics([
          { name: 'm-a', numPartitions: 20 },
          { name: 'm-b', numPartitions: 6 },
          { name: 'm-c', numPartitions: 1 },
        ])
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(kafkaErrorCode(err)).toBe(ErrorCode.THROTTLING_QUOTA_EXCEEDED);
      expect(String(err)).toContain('m-c');
    } finally {
      await c.close();
    }
    const names = await topicNames();
    expect(names).toContain('m-a');
    expect(names).toContain('m-b');
    expect(names).not.toContain('m-c');
  });

  it('an older client (kafkajs, CreateTopics v3) is throttled, never refused; a client without a quota is neither', async () => {
    const kafka = new Kafka({ clientId: 'old-mutator', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'old-a', numPartitions: 30 }] })).toBe(true);
      expect(await admin.createTopics({ topics: [{ topic: 'old-b', numPartitions: 1 }] })).toBe(true);
    } finally {
      await admin.disconnect();
    }
    const free = new MqClient({ bootstrapServers: bootstrap, clientId: 'free-mutator' });
    try {
      await free.admin().createTopics([
        { name: 'free-a', numPartitions: 30 },
        { name: 'free-b', numPartitions: 30 },
      ]);
    } finally {
      await free.close();
    }
    expect(await topicNames()).toEqual(expect.arrayContaining(['old-a', 'old-b', 'free-a', 'free-b']));

    const samples = parsePrometheus(await (await fetch(`http://127.0.0.1:${broker.http!.port}/metrics`)).text());
    const quota = { quota: 'controller_mutation_rate' };
    // The strict request (−4 tokens) and kafkajs' first (−8): each earned a throttle time.
    expect(metricValue(samples, 'mq_quota_throttled_requests_total', quota)).toBeGreaterThanOrEqual(2);
    expect(metricValue(samples, 'mq_quota_throttle_time_seconds_total', quota)).toBeGreaterThanOrEqual(6);
    expect(metricValue(samples, 'mq_quota_limit', { ...quota, client_id: 'old-mutator' })).toBe(2);
    expect(samples.some((s) => s.labels.client_id === 'free-mutator')).toBe(false);
  });
});
