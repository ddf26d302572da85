// Acceptance: @platformatic/kafka 2.12.1 transactions (on Node 24, in a child process — the client
// supports them: Producer.beginTransaction with idempotent + transactionalId, Transaction.send /
// commit / abort / addConsumer / addOffset): commit and abort on one partition, a second producer
// with the same transactionalId fencing the first, read back read_committed (aborted record
// invisible, committed ones once) and read_uncommitted (both).
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode24Fixture } from '../src/node24-fixture';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

interface TxnRun {
  readonly error?: string;
  readonly committed: string[];
  readonly uncommitted: string[];
  readonly fenced: string | null;
}

describe('@platformatic/kafka 2.12.1 transactions (Node 24)', () => {
  let broker: Broker;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await makeTempDir('platformatic-txn');
    broker = await startBroker({ dataDir });
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
  });

  it('commits and aborts; read_committed sees committed records once, read_uncommitted both; a zombie is fenced', async () => {
    const result = await runNode24Fixture<TxnRun>('platformatic-transactions.mjs', { bootstrap: `${broker.host}:${broker.port}`, topic: 'platformatic-txn', transactionalId: 'platformatic-txn-1' });
    expect(result.error).toBeUndefined();
    expect(result.committed).toEqual(['committed-1', 'committed-2', 'end', 'fresh']);
    expect(result.uncommitted).toEqual(['committed-1', 'committed-2', 'aborted', 'end', 'fresh']);
    // PRODUCER_FENCED's text, on the zombie's AddPartitionsToTxn.
    expect(result.fenced).toMatch(/fences the current one/);
  });
});
