// Transactions (issue 17) on a real broker process (apps/broker/dist/main.js), one node:
// (1) kafkajs transactions of 1, 10 and 100 records (begin, one send, commit; one at a time, as an
//     exactly-once pipeline runs them): transactions/s, records/s and the commit's latency p50 / p99,
//     against the same records sent by an idempotent producer in sends of the same size (acks=all);
// (2) kcat (librdkafka): a transactional produce (-X transactional.id, the whole input one
//     transaction) against an idempotent one;
// (3) the read_committed fetch cost: kcat -C over a topic of 100-record transactions (every 101st
//     offset a COMMIT marker), read_committed against read_uncommitted.
// `pnpm --filter @mq/bench bench:txn` (BENCH_TXNS transactions per row, default 1 000;
// BENCH_KCAT_TXN_MESSAGES, default 500 000; BENCH_SIZE, default 100 B). Rewrites the
// `transactions` section of BENCHMARKS.md.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { kafkaClient } from './kafkajs-load';
import { kcatConsume, kcatProduce } from './kcat-load';
import { machineLine, writeSection } from './markdown-section';
import { REPO_ROOT, ensureBrokerBuilt, startMqBroker } from './mq-broker';
import { recordBuffers, writeRecordFile } from './payloads';
import { fmtMs, fmtRate, summarize } from './stats';

const TXNS = Number(process.env.BENCH_TXNS ?? 1_000);
const KCAT_MESSAGES = Number(process.env.BENCH_KCAT_TXN_MESSAGES ?? 500_000);
const SIZE = Number(process.env.BENCH_SIZE ?? 100);
const TXN_SIZES = [1, 10, 100];

interface Run {
  readonly label: string;
  readonly records: number;
  readonly ms: number;
  /** Per transaction: its commit (EndTxn through the markers); per idempotent send: the send. */
  readonly latencies: number[];
}

async function transactional(kafka: Kafka, topic: string, perTxn: number): Promise<Run> {
  const RECORDS = TXNS * perTxn;
  const values = recordBuffers(RECORDS, SIZE);
  const producer = kafka.producer({ transactionalId: `bench-txn-${perTxn}`, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < RECORDS; i += perTxn) {
    const txn = await producer.transaction();
    await txn.send({ topic, acks: -1, messages: values.slice(i, i + perTxn).map((value) => ({ value })) });
    const c = performance.now();
    await txn.commit();
    latencies.push(performance.now() - c);
  }
  const ms = performance.now() - t0;
  await producer.disconnect();
  return { label: `kafkajs transactions of ${perTxn}`, records: RECORDS, ms, latencies };
}

async function idempotent(kafka: Kafka, topic: string, perSend: number): Promise<Run> {
  const RECORDS = TXNS * perSend;
  const values = recordBuffers(RECORDS, SIZE);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < RECORDS; i += perSend) {
    const s = performance.now();
    await producer.send({ topic, acks: -1, messages: values.slice(i, i + perSend).map((value) => ({ value })) });
    latencies.push(performance.now() - s);
  }
  const ms = performance.now() - t0;
  await producer.disconnect();
  return { label: `kafkajs idempotent sends of ${perSend}`, records: RECORDS, ms, latencies };
}

function row(r: Run, perUnit: number): string {
  const l = summarize(r.latencies);
  const units = r.records / perUnit;
  return `| ${r.label} | ${fmtRate((units * 1000) / r.ms)} /s | ${fmtRate((r.records * 1000) / r.ms)} rec/s | ${fmtMs(l.p50)} | ${fmtMs(l.p99)} |`;
}

async function main(): Promise<void> {
  ensureBrokerBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'txn-bench-'));
  const broker = await startMqBroker(join(dir, 'data'));
  const bootstrap = `127.0.0.1:${broker.spec.port}`;
  const kafka = kafkaClient(bootstrap);
  const load = loadavg()[0]!.toFixed(1);
  try {
    const admin = kafka.admin();
    await admin.connect();
    const topics = ['txn-bench', 'idem-bench', 'kcat-txn', 'kcat-idem', 'rc-bench'];
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1 })) });
    await admin.disconnect();

    const rows: string[] = [];
    for (const n of TXN_SIZES) {
      const t = await transactional(kafka, 'txn-bench', n);
      const i = await idempotent(kafka, 'idem-bench', n);
      rows.push(row(t, n), row(i, n));
      process.stdout.write(`${rows[rows.length - 2]}\n${rows[rows.length - 1]}\n`);
    }

    const file = join(dir, 'records.txt');
    await writeRecordFile(file, KCAT_MESSAGES, SIZE);
    const kt = await kcatProduce(bootstrap, 'kcat-txn', file, KCAT_MESSAGES, ['-X', 'transactional.id=bench-kcat']);
    const ki = await kcatProduce(bootstrap, 'kcat-idem', file, KCAT_MESSAGES, ['-X', 'enable.idempotence=true']);
    const kcatRows = [
      `| kcat -P, one transaction (transactional.id) | ${fmtRate((KCAT_MESSAGES * 1000) / kt.ms)} msg/s | ${fmtMs(kt.ms)} |`,
      `| kcat -P, idempotent (enable.idempotence) | ${fmtRate((KCAT_MESSAGES * 1000) / ki.ms)} msg/s | ${fmtMs(ki.ms)} |`,
    ];
    process.stdout.write(`${kcatRows.join('\n')}\n`);

    // A topic of 100-record transactions for the read_committed fetch cost.
    const rcRecords = TXNS * 100;
    const producer = kafka.producer({ transactionalId: 'bench-rc', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const values = recordBuffers(rcRecords, SIZE);
    for (let i = 0; i < rcRecords; i += 100) {
      const txn = await producer.transaction();
      await txn.send({ topic: 'rc-bench', acks: -1, messages: values.slice(i, i + 100).map((value) => ({ value })) });
      await txn.commit();
    }
    await producer.disconnect();
    const committed = await kcatConsume(bootstrap, 'rc-bench', rcRecords, ['-X', 'isolation.level=read_committed']);
    const uncommitted = await kcatConsume(bootstrap, 'rc-bench', rcRecords, ['-X', 'isolation.level=read_uncommitted']);
    const rcRows = [
      `| kcat -C read_committed | ${fmtRate((rcRecords * 1000) / committed.ms)} msg/s | ${fmtMs(committed.ms)} |`,
      `| kcat -C read_uncommitted | ${fmtRate((rcRecords * 1000) / uncommitted.ms)} msg/s | ${fmtMs(uncommitted.ms)} |`,
    ];
    process.stdout.write(`${rcRows.join('\n')}\n`);

    const body = [
      '## Transactions: `pnpm --filter @mq/bench bench:txn`',
      '',
      `${machineLine()}; 1-min load average ${load} at the start. One broker process, ${SIZE} B records, one partition, acks=all, default durability (fsync before each ack).`,
      '',
      `kafkajs 2.2.4, ${TXNS} transactions (or sends) per row, one at a time. A transaction is AddPartitionsToTxn + Produce + EndTxn (the coordinator writes PrepareCommit, the markers, CompleteCommit); the latency column is the commit's for transactions, the send's for idempotent sends.`,
      '',
      '| run | transactions (or sends) | records | latency p50 (ms) | p99 (ms) |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      `kcat (librdkafka 2.0.2), ${KCAT_MESSAGES} records, linger.ms=5:`,
      '',
      '| run | throughput | time (ms) |',
      '|---|---|---|',
      ...kcatRows,
      '',
      `read_committed fetch cost: kcat -C -e over ${rcRecords} records in transactions of 100 (a COMMIT marker after each):`,
      '',
      '| run | throughput | time (ms) |',
      '|---|---|---|',
      ...rcRows,
    ].join('\n');
    writeSection(join(REPO_ROOT, 'BENCHMARKS.md'), 'transactions', body);
  } finally {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:txn failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
