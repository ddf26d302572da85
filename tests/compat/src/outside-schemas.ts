// The set-up of broker-side validation on a broker without a `_schemas` replica (a cluster started
// with schema.registry.topic.replication.factor=2 of 3 brokers): which broker holds none, a validated
// topic whose one partition it leads, a schema registered for it, and records framed with an id —
// shared by the files that check how that broker authenticates its schema fetches.
import type { RunningCluster } from '@mq/broker';
import { type Admin, Kafka, logLevel, type Producer } from 'kafkajs';
import { onTestFailed } from 'vitest';
import { until } from './cluster-probe';

export interface RegistryAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** A registry REST call at broker `nodeId`'s HTTP listener, with `authorization` (null: none). */
export async function registryCall(cluster: RunningCluster, nodeId: number, method: string, path: string, body: unknown, authorization: string | null): Promise<RegistryAnswer> {
  const res = await fetch(`http://127.0.0.1:${cluster.broker(nodeId).httpPort}${path}`, {
    method,
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json', ...(authorization === null ? {} : { Authorization: authorization }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface OutsideSchemas {
  /** The broker holding no `_schemas` replica: it leads `topic`-0. */
  readonly outside: number;
  readonly replicas: readonly number[];
  /** The id of the Avro record `{ x: string }` registered under `<topic>-value`. */
  readonly id: number;
}

/** Waits for `_schemas`' two replicas and every registry, creates validated `topic` led by the broker outside them, registers its schema. */
export async function validatedTopicOutsideSchemas(cluster: RunningCluster, admin: Admin, topic: string, authorization: string): Promise<OutsideSchemas> {
  let replicas: number[] = [];
  await until('_schemas with 2 replicas', 60_000, async () => {
    replicas = (await admin.fetchTopicMetadata({ topics: ['_schemas'] })).topics[0]!.partitions[0]!.replicas;
    return replicas.length === 2;
  });
  const outside = cluster.brokers.map((b) => b.nodeId).find((n) => !replicas.includes(n))!;
  for (const b of cluster.brokers) {
    await until(`broker ${b.nodeId}'s registry`, 60_000, async () => (await registryCall(cluster, b.nodeId, 'GET', '/subjects', undefined, authorization)).status === 200);
  }
  await admin.createTopics({
    topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [outside, replicas[0]!] }], configEntries: [{ name: 'confluent.value.schema.validation', value: 'true' }] }],
    waitForLeaders: true,
  });
  await until(`${topic}-0 led by broker ${outside}`, 60_000, async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions[0]!.leader === outside);
  const reg = await registryCall(cluster, replicas[0]!, 'POST', `/subjects/${topic}-value/versions`, { schema: JSON.stringify({ type: 'record', name: 'Note', fields: [{ name: 'x', type: 'string' }] }) }, authorization);
  if (reg.status !== 200) throw new Error(`registering ${topic}-value: ${reg.status} ${JSON.stringify(reg.body)}`);
  return { outside, replicas, id: reg.body.id as number };
}

/** The record `{ x: "x" }` framed with schema id `id` (magic 0, the id, the Avro body). */
export function framedNote(id: number): Buffer {
  const b = Buffer.from([0, 0, 0, 0, 0, 0x02, 0x78]);
  b.writeUInt32BE(id, 1);
  return b;
}

/** The error type a produce of `value` to `topic` got (kafkajs' name for the code), undefined when it was stored. */
export function produceRefusal(producer: Producer, topic: string, value: Buffer): Promise<string | undefined> {
  return producer.send({ topic, acks: -1, messages: [{ value }] }).then(
    () => undefined,
    (e: unknown) => (e as { cause?: { type?: string } }).cause?.type ?? String(e),
  );
}

/**
 * Runs `body` with a connected kafkajs admin and producer (no producer retries: an answer is one
 * attempt), both closed after; a failure prints the brokers' schema and HTTP log lines.
 */
export async function withClients(cluster: RunningCluster, body: (admin: Admin, producer: Producer) => Promise<void>): Promise<void> {
  onTestFailed(() => {
    for (const b of cluster.brokers) console.log(`broker ${b.nodeId}:\n${b.logs().filter((l) => l.includes('schema') || l.includes('http')).slice(-30).join('\n')}`);
  });
  const kafka = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100 } });
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer({ retry: { retries: 0 } });
  await producer.connect();
  try {
    await body(admin, producer);
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}
