// One instance of cluster-transactions-failover's consume-transform-produce pipeline, as its own
// process (the test kills it by PID if it does not exit): a kafkajs group consumer reads the input,
// a kafkajs transactional producer writes one output per input and commits the input offsets with
// sendOffsets, one transaction per chunk. It runs until it sees an error or every input is
// committed, reporting on stdout one JSON line per committed transaction (its outputs where their
// produce was acknowledged), per error, and at the end.
// A process, not a function of the test: kafkajs 2.2.4's consumer can spin for ever on resolved
// promises when it is stopped while its fetchers rebalance (a broker left or joined its metadata,
// as the test's kills make happen) — a loop that starves every timer of its process.
import { type EachBatchPayload, Kafka, logLevel } from 'kafkajs';

export interface PipelineConfig {
  readonly brokers: readonly string[];
  readonly group: string;
  readonly transactionalId: string;
  readonly input: string;
  readonly output: string;
  readonly outputPartitions: number;
  readonly chunk: number;
  readonly instance: number;
  /** Transactions begun before this instance (tags continue the count). */
  readonly transactionsBefore: number;
  /** Next input offset to process per input partition, as far as the test knows. */
  readonly committed: Readonly<Record<string, number>>;
  /** Input end offset per partition: the instance is done once every partition is committed there. */
  readonly ends: Readonly<Record<string, number>>;
}

export type PipelineEvent =
  | { readonly type: 'committed'; readonly partition: number; readonly next: number; readonly transactions: number; readonly acked: readonly { partition: number; offset: string; value: string }[] }
  | { readonly type: 'error'; readonly message: string; readonly transactions: number }
  | { readonly type: 'end'; readonly ok: boolean };

function report(e: PipelineEvent): void {
  process.stdout.write(`${JSON.stringify(e)}\n`);
}

async function main(cfg: PipelineConfig): Promise<void> {
  const committed = new Map(Object.entries(cfg.committed).map(([p, n]) => [Number(p), n]));
  const ends = new Map(Object.entries(cfg.ends).map(([p, n]) => [Number(p), n]));
  let transactions = cfg.transactionsBefore;
  const kafka = new Kafka({ brokers: [...cfg.brokers], logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1_000 } });
  const producer = kafka.producer({ transactionalId: cfg.transactionalId, idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: cfg.group, readUncommitted: false, sessionTimeout: 10_000, heartbeatInterval: 500, retry: { retries: 5 } });
  let failed = false;
  let resolveEnd!: (ok: boolean) => void;
  const ended = new Promise<boolean>((r) => (resolveEnd = r));
  const done = () => [...ends].every(([p, end]) => (committed.get(p) ?? 0) >= end);
  const fail = (message: string) => {
    failed = true;
    report({ type: 'error', message, transactions });
    resolveEnd(false);
  };
  try {
    await producer.connect();
    // kafkajs initialises the transactional id at its first transaction: that InitProducerId fences
    // the previous instance and waits for its prepared transaction to complete (offsets included),
    // so it must come before the consumer joins and fetches the group's offsets (Java's
    // initTransactions() before poll()), or a commit still being finished is processed again.
    await (await producer.transaction()).abort();
    await consumer.connect();
    await consumer.subscribe({ topic: cfg.input, fromBeginning: true });
    consumer.on(consumer.events.CRASH, (e) => fail(`consumer crashed: ${String(e.payload.error)}`));
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, isRunning, isStale }: EachBatchPayload) => {
        if (failed) return;
        const from = committed.get(batch.partition) ?? 0;
        const messages = batch.messages.filter((m) => Number(m.offset) >= from);
        for (let i = 0; i < messages.length && !failed && isRunning() && !isStale(); i += cfg.chunk) {
          const chunk = messages.slice(i, i + cfg.chunk);
          const tag = `${cfg.instance}-${++transactions}`;
          const next = Number(chunk[chunk.length - 1]!.offset) + 1;
          const txn = await producer.transaction();
          let step = 'send';
          try {
            const acked: { partition: number; offset: string; value: string }[] = [];
            // One partition per send (see the test's header), the chunk spread over the outputs.
            for (let p = 0; p < cfg.outputPartitions; p++) {
              const values = chunk.filter((_, j) => j % cfg.outputPartitions === p).map((m) => `out-${m.value!.toString()}`);
              if (values.length === 0) continue;
              const [meta] = await txn.send({
                topic: cfg.output,
                acks: -1,
                messages: values.map((value) => ({ partition: p, value, headers: { txn: tag, size: String(chunk.length) } })),
              });
              const base = BigInt(meta!.baseOffset!);
              for (const [k, value] of values.entries()) acked.push({ partition: p, offset: String(base + BigInt(k)), value });
            }
            step = 'sendOffsets';
            await txn.sendOffsets({ consumerGroupId: cfg.group, topics: [{ topic: cfg.input, partitions: [{ partition: batch.partition, offset: String(next) }] }] });
            step = 'commit';
            await txn.commit();
            committed.set(batch.partition, next);
            report({ type: 'committed', partition: batch.partition, next, transactions, acked });
          } catch (err) {
            fail(`transaction ${tag} at ${step}: ${(err as Error).message}`);
            await txn.abort().catch(() => undefined);
          }
        }
        if (!failed && done()) resolveEnd(true);
      },
    });
    const poll = setInterval(() => done() && resolveEnd(true), 200);
    const ok = await ended;
    clearInterval(poll);
    report({ type: 'end', ok });
  } catch (err) {
    report({ type: 'error', message: `setup: ${(err as Error).message}`, transactions });
    report({ type: 'end', ok: false });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
  }
}

main(JSON.parse(process.argv[2]!) as PipelineConfig).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
