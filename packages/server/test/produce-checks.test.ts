// The Produce handler's hook for broker-side checks (produce-checks.ts) over real sockets: a topic
// with schema validation on a broker without a schema registry refuses every batch INVALID_RECORD
// (stores nothing); a check's per-record errors reach Produce v8+ as record_errors, and v7 gets
// CORRUPT_MESSAGE (as Kafka answers clients that predate INVALID_RECORD).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecordBatch } from '@mq/records';
import { ApiKey, ErrorCode, InvalidRecordError } from '@mq/protocol';
import { RawClient } from './raw-client';
import { startTestBroker, type TestBroker } from './test-broker';

let broker: TestBroker;
let c: RawClient;

interface PartitionAnswer {
  errorCode: number;
  baseOffset: bigint;
  recordErrors: { batchIndex: number; batchIndexErrorMessage: string | null }[];
  errorMessage: string | null;
}

async function produce(topic: string, values: string[], version = 9): Promise<PartitionAnswer> {
  const records = await buildRecordBatch({ records: values.map((v) => ({ key: null, value: Buffer.from(v) })) });
  const body = { transactionalId: null, acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] };
  const res = (await c.send(ApiKey.Produce, version, body)) as { responses: { partitionResponses: PartitionAnswer[] }[] };
  return res.responses[0]!.partitionResponses[0]!;
}

beforeEach(async () => {
  broker = await startTestBroker();
  c = await RawClient.connect(broker.port);
});
afterEach(async () => {
  c.close();
  await broker.stop();
});

describe('produce checks', () => {
  it('a validated topic on a broker without a schema registry refuses every batch', async () => {
    await broker.topics.createTopic('validated', 1, { 'confluent.value.schema.validation': 'true' });
    await broker.topics.createTopic('plain', 1);
    const refused = await produce('validated', ['a']);
    expect(refused.errorCode).toBe(ErrorCode.INVALID_RECORD);
    expect(refused.errorMessage).toBe('topic validated has schema validation on, but this broker runs no schema registry (it needs the HTTP listener)');
    expect(broker.topics.partition('validated', 0).logEndOffset).toBe(0n);
    expect((await produce('plain', ['a'])).errorCode).toBe(ErrorCode.NONE);
  });

  it('a check’s record errors are the response’s record_errors (v8+); v7 reads CORRUPT_MESSAGE', async () => {
    await broker.topics.createTopic('checked', 1);
    const seen: number[] = [];
    broker.server.services.produceChecks = {
      forTopic: (topic) =>
        topic.name !== 'checked'
          ? undefined
          : (batch) => {
              seen.push(batch.length);
              const bad = batch.includes('bad');
              if (bad) throw new InvalidRecordError('rejected by the check', { recordErrors: [{ batchIndex: 1, message: 'record 1: bad' }] });
            },
    };
    const refused = await produce('checked', ['good', 'bad']);
    expect(refused).toMatchObject({ errorCode: ErrorCode.INVALID_RECORD, errorMessage: 'rejected by the check', recordErrors: [{ batchIndex: 1, batchIndexErrorMessage: 'record 1: bad' }] });
    expect((await produce('checked', ['bad'], 7)).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(broker.topics.partition('checked', 0).logEndOffset).toBe(0n);
    expect((await produce('checked', ['good'])).errorCode).toBe(ErrorCode.NONE);
    expect(seen).toHaveLength(3);
  });
});
