// Acceptance: transactions with librdkafka clients (Debian's librdkafka 2.0.2) against a real
// broker — kcat produces in a transaction (-X transactional.id) and reads with
// -X isolation.level=read_committed; an aborted kafkajs transaction is invisible to kcat's
// read_committed reads and visible to read_uncommitted ones; python3-confluent-kafka runs
// init / begin / send_offsets / commit / abort and reads read_committed.
import { join } from 'node:path';
import { startBroker } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/child-process';
import { kcat, kcatConsumeAll } from '../src/kcat';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

const PYTHON = process.env.MQ_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, '..', 'src', 'confluent-transactions.py');

let dataDir: string;
let broker: Broker;
let bootstrap: string;

beforeAll(async () => {
  dataDir = await makeTempDir('transactions-librdkafka');
  broker = await startBroker({ dataDir });
  bootstrap = `${broker.host}:${broker.port}`;
  const kafka = new Kafka({ clientId: 'setup', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'kc-txn', numPartitions: 1 }, { topic: 'py-txn', numPartitions: 1 }] });
  await admin.disconnect();
}, 120_000);

afterAll(async () => {
  await broker?.stop();
  await removeDir(dataDir);
});

describe('librdkafka transactions', () => {
  it('kcat: a transactional produce is read by read_committed; an aborted kafkajs transaction only by read_uncommitted', async () => {
    await kcat(['-P', '-b', bootstrap, '-t', 'kc-txn', '-p', '0', '-X', 'transactional.id=kc-1'], 120_000, 'k1\nk2\nk3\n');
    const kafka = new Kafka({ clientId: 'abort', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ transactionalId: 'kc-abort', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const t = await producer.transaction();
    await t.send({ topic: 'kc-txn', messages: [{ value: 'aborted', partition: 0 }] });
    await t.abort();
    await producer.disconnect();
    await kcat(['-P', '-b', bootstrap, '-t', 'kc-txn', '-p', '0', '-X', 'transactional.id=kc-1'], 120_000, 'k4\n');

    const committed = await kcatConsumeAll(bootstrap, 'kc-txn', '%s\\n', 120_000, ['-X', 'isolation.level=read_committed']);
    expect(committed.toString().split('\n').filter(Boolean)).toEqual(['k1', 'k2', 'k3', 'k4']);
    const uncommitted = await kcatConsumeAll(bootstrap, 'kc-txn', '%s\\n', 120_000, ['-X', 'isolation.level=read_uncommitted']);
    expect(uncommitted.toString().split('\n').filter(Boolean)).toEqual(['k1', 'k2', 'k3', 'aborted', 'k4']);
  });

  it('python3-confluent-kafka: init, send_offsets, commit, abort; read_committed sees the committed records once', async () => {
    const res = await run(PYTHON, [SCRIPT, bootstrap, 'py-txn', 'py-group'], { timeoutMs: 240_000 });
    expect(res.timedOut, res.stderr).toBe(false);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout.toString().trim().split('\n').pop()!) as { values: string[]; committed: number };
    expect(out.values).toEqual(['py-committed-1', 'py-committed-2', 'py-end']);
    expect(out.committed).toBe(2);
  });
});
