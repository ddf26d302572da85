// Acceptance: mq has no transactions yet, and a transactional producer must learn that with a clear,
// non-retriable error rather than retry FindCoordinator(TRANSACTION) into a bare timeout (issue 9
// item 14; temporary until the transactions issue lands). Real clients: kcat (librdkafka 2.0.2) with
// -X transactional.id, and the kafkajs 2.2.4 transactional producer. Neither assertion is on time:
// each is on which error the client reports.
import { startBroker } from '@mq/broker';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/child-process';
import { KCAT } from '../src/kcat';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

describe('transactional producers are refused at once', () => {
  let dataDir: string;
  let broker: Broker;

  beforeAll(async () => {
    dataDir = await makeTempDir('transactions-refused');
    broker = await startBroker({ dataDir });
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
  });

  // librdkafka 2.0.2 treats only INVALID_TRANSACTION_TIMEOUT, TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  // CLUSTER_AUTHORIZATION_FAILED and fencing as fatal for InitProducerId (rd_kafka_idemp_check_error):
  // none of them is true here, so it keeps retrying until init_transactions() gives up (5 s in kcat)
  // — but now with the broker's reason instead of "Timed out waiting for operation to finish".
  it('kcat -X transactional.id: init_transactions fails naming UNSUPPORTED_VERSION, not a bare timeout', async () => {
    const res = await run(KCAT, ['-P', '-b', `${broker.host}:${broker.port}`, '-t', 'txn', '-X', 'transactional.id=tx-1'], {
      timeoutMs: 60_000,
      input: 'hello\n',
    });
    const stderr = res.stderr.toString();
    expect(res.timedOut).toBe(false);
    expect(res.code).not.toBe(0);
    expect(stderr).toContain('init_transactions(): Failed to initialize Producer ID: Broker: API version not supported');
    expect(stderr).not.toContain('Timed out');
  });

  it('kafkajs producer.transaction() rejects with a non-retriable UNSUPPORTED_VERSION', async () => {
    const kafka = new Kafka({
      clientId: 'txn-refused',
      brokers: [`${broker.host}:${broker.port}`],
      logLevel: logLevel.NOTHING,
      // Few retries, so the old (retriable) answer fails this test in seconds rather than minutes.
      retry: { retries: 2, initialRetryTime: 50, maxRetryTime: 200 },
    });
    const producer = kafka.producer({ transactionalId: 'tx-2', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const err = await producer.transaction().then(
        () => new Error('transaction() resolved'),
        (e: unknown) => e as Error & { type?: string; retriable?: boolean },
      );
      expect(err).toMatchObject({ name: 'KafkaJSProtocolError', type: 'UNSUPPORTED_VERSION', retriable: false });
    } finally {
      await producer.disconnect();
    }
  });
});
