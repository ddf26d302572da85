// Client benchmark against a real in-process broker (same process, so the figures include the
// broker's own work on the shared 2 cores): murmur2 hashing, produce throughput per acks/codec,
// and plain-consumer fetch throughput. Run with `pnpm --filter @mq/client bench`.
import { startBroker } from '@mq/broker';
import { type CompressionName, MqClient, murmur2 } from '../src/index';

function line(name: string, value: string): void {
  console.log(`${name.padEnd(52)} ${value}`);
}

function benchMurmur2(): void {
  const keys = Array.from({ length: 1000 }, (_, i) => Buffer.from(`customer-key-${i}`));
  for (let i = 0; i < 100_000; i++) murmur2(keys[i % 1000]!);
  const n = 3_000_000;
  const t0 = process.hrtime.bigint();
  let x = 0;
  for (let i = 0; i < n; i++) x ^= murmur2(keys[i % 1000]!);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  line('murmur2 (16-byte keys)', `${Math.round(1e9 / ns).toLocaleString('en-US')} hashes/s (${ns.toFixed(0)} ns) [${x & 1}]`);
}

async function main(): Promise<void> {
  benchMurmur2();
  const broker = await startBroker({ port: 0 });
  const client = new MqClient({ bootstrapServers: `127.0.0.1:${broker.port}` });
  const admin = client.admin();
  const value = Buffer.alloc(100, 0x61);
  const total = 200_000;
  try {
    const cases: Array<[string, -1 | 0 | 1, CompressionName]> = [
      ['acks=-1 none', -1, 'none'],
      ['acks=1 none', 1, 'none'],
      ['acks=0 none', 0, 'none'],
      ['acks=-1 lz4', -1, 'lz4'],
      ['acks=-1 zstd', -1, 'zstd'],
    ];
    for (const [name, acks, compression] of cases) {
      const topic = `bench-${name.replace(/[^a-z0-9]/g, '-')}`;
      await admin.createTopics([{ name: topic, numPartitions: 4 }]);
      const producer = client.producer({ acks, compression, lingerMs: 5, batchBytes: 256 * 1024 });
      const chunk = Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}`, value }));
      const t0 = Date.now();
      const inflight: Promise<unknown>[] = [];
      for (let sent = 0; sent < total; sent += chunk.length) {
        inflight.push(producer.send({ topic, messages: chunk }));
        if (inflight.length >= 20) await inflight.shift();
      }
      await Promise.all(inflight);
      await producer.flush();
      const secs = (Date.now() - t0) / 1000;
      line(`produce 100 B × ${total} (${name})`, `${Math.round(total / secs).toLocaleString('en-US')} msg/s, ${((total * 100) / secs / 1e6).toFixed(1)} MB/s`);
    }
    const consumer = client.consumer({ autoOffsetReset: 'earliest', maxWaitMs: 100 });
    consumer.assign([0, 1, 2, 3].map((partition) => ({ topic: 'bench-acks--1-none', partition })));
    const t0 = Date.now();
    let got = 0;
    while (got < total) got += (await consumer.poll()).length;
    const secs = (Date.now() - t0) / 1000;
    line(`consume 100 B × ${total} (plain, 4 partitions)`, `${Math.round(got / secs).toLocaleString('en-US')} msg/s`);
  } finally {
    await client.close();
    await broker.stop();
  }
}

await main();
