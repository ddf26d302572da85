// Acceptance: storage faults injected through @mq/log's FileSystem seam into a real in-process broker
// (startBroker({ fs })), driven by real clients (kafkajs produces, kcat reads). A write that fails with
// ENOSPC / EIO is answered KAFKA_STORAGE_ERROR and never acknowledged, leaves nothing behind, and the
// partition serves produce and fetch again once the fault clears; a restart recovers exactly the
// acknowledged records. And the durability order: under the default flush policy no produce response
// leaves before the fdatasync of its bytes returned; under a huge log.flush.interval.messages none waits.
import { startBroker } from '@mq/broker';
import { FaultyFileSystem } from '@mq/log/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEYS, requestFrame } from '../src/kafka-frames';
import { kcat } from '../src/kcat';
import { RawConnection } from '../src/raw-connection';
import { makeTempDir, removeDir } from '../src/temp-dir';
import { int32, int64, str } from '../src/wire-bytes';

type Broker = Awaited<ReturnType<typeof startBroker>>;

let broker: Broker | undefined;
let producer: Producer | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await producer?.disconnect();
  producer = undefined;
  await broker?.stop();
  broker = undefined;
  await removeDir(dataDir);
  dataDir = undefined;
});

async function connect(b: Broker, topic?: { name: string; configs?: Record<string, string> }): Promise<Producer> {
  const kafka = new Kafka({ clientId: 'storage-faults', brokers: [`${b.host}:${b.port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  if (topic !== undefined) {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: topic.name, numPartitions: 1, configEntries: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })) }] });
    await admin.disconnect();
  }
  const p = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await p.connect();
  return p;
}

/** The Kafka error type a failed kafkajs send carries (e.g. KAFKA_STORAGE_ERROR). */
async function sendError(p: Producer, topic: string, value: string): Promise<string | undefined> {
  try {
    await p.send({ topic, acks: -1, messages: [{ value }] });
    return undefined;
  } catch (err) {
    const cause = (err as { cause?: { type?: string } }).cause ?? (err as { type?: string });
    return (cause as { type?: string }).type ?? String(err);
  }
}

/** Every record of partition 0 as "offset value", read by kcat from the beginning. */
async function readAll(b: Broker, topic: string): Promise<string[]> {
  const out = (await kcat(['-C', '-b', `${b.host}:${b.port}`, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o %s\n'], 60_000)).stdout.toString().trim();
  return out === '' ? [] : out.split('\n');
}

/** The error code of partition 0 in a Fetch v4 answer from offset 0 (a hand-built request: no retries hide it). */
async function fetchErrorCode(b: Broker, topic: string): Promise<number> {
  const body = Buffer.concat([int32(-1), int32(0), int32(1), int32(1 << 20), Buffer.from([0]), int32(1), str(topic), int32(1), int32(0), int64(0n), int32(1 << 20)]);
  const conn = await RawConnection.open(b.host, b.port);
  try {
    await conn.write(requestFrame(API_KEYS.Fetch, 4, 1, body));
    const frame = (await conn.outcome(30_000, 1)).frames[0]!;
    const at = 4 + 4 + 4 + 2 + frame.readInt16BE(4 + 4 + 4) + 4; // correlation, throttle, topic count, name, partition count
    return frame.readInt16BE(at + 4);
  } finally {
    conn.destroy();
  }
}

const SEGMENTS = (topic: string) => new RegExp(`/${topic}-0/\\d{20}\\.log$`);

describe('storage faults through a real broker', () => {
  it('ENOSPC mid-write and EIO on fdatasync: KAFKA_STORAGE_ERROR, nothing acknowledged or left behind, serves again when cleared, restart is clean', async () => {
    const fs = new FaultyFileSystem();
    dataDir = await makeTempDir('storage-faults');
    broker = await startBroker({ dataDir, fs });
    producer = await connect(broker, { name: 'faulty' });
    for (let i = 0; i < 3; i++) await producer.send({ topic: 'faulty', acks: -1, messages: [{ value: `ok${i}` }] });

    const full = fs.inject({ op: 'writev', path: SEGMENTS('faulty'), code: 'ENOSPC', partial: true });
    expect(await sendError(producer, 'faulty', 'lost-enospc')).toBe('KAFKA_STORAGE_ERROR');
    expect(await sendError(producer, 'faulty', 'lost-enospc-2')).toBe('KAFKA_STORAGE_ERROR');
    expect(full.hits).toBe(2);
    // Reads of what was acknowledged go on while writes fail.
    expect(await readAll(broker, 'faulty')).toEqual(['0 ok0', '1 ok1', '2 ok2']);
    full.clear();
    await producer.send({ topic: 'faulty', acks: -1, messages: [{ value: 'ok3' }] });

    const sick = fs.inject({ op: 'fdatasync', path: SEGMENTS('faulty'), code: 'EIO' });
    expect(await sendError(producer, 'faulty', 'lost-eio')).toBe('KAFKA_STORAGE_ERROR');
    expect(await sendError(producer, 'faulty', 'lost-eio-2')).toBe('KAFKA_STORAGE_ERROR');
    sick.clear();
    await producer.send({ topic: 'faulty', acks: -1, messages: [{ value: 'ok4' }] });
    const acknowledged = ['0 ok0', '1 ok1', '2 ok2', '3 ok3', '4 ok4'];
    expect(await readAll(broker, 'faulty')).toEqual(acknowledged);

    await producer.disconnect();
    producer = undefined;
    await broker.stop();
    broker = await startBroker({ dataDir });
    expect(await readAll(broker, 'faulty')).toEqual(acknowledged);
  }, 120_000);

  it('EIO on read: Fetch answers KAFKA_STORAGE_ERROR while it lasts, then serves the records again', async () => {
    dataDir = await makeTempDir('storage-faults-read');
    broker = await startBroker({ dataDir });
    producer = await connect(broker, { name: 'unreadable' });
    await producer.send({ topic: 'unreadable', acks: -1, messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.disconnect();
    producer = undefined;
    await broker.stop();
    // Reopened: nothing in the partition's in-memory tail, so a Fetch reads the segment file.
    const fs = new FaultyFileSystem();
    broker = await startBroker({ dataDir, fs });
    const eio = fs.inject({ op: 'read', path: SEGMENTS('unreadable'), code: 'EIO' });
    expect(await fetchErrorCode(broker, 'unreadable')).toBe(56); // KAFKA_STORAGE_ERROR
    eio.clear();
    expect(await fetchErrorCode(broker, 'unreadable')).toBe(0);
    expect(await readAll(broker, 'unreadable')).toEqual(['0 a', '1 b']);
  }, 120_000);
});

describe('fsync-before-ack ordering through a real broker', () => {
  /** writev/fdatasync of the topic's segment files and the client's acks, in the order they happened. */
  function recorder(fs: FaultyFileSystem, topic: string): string[] {
    const events: string[] = [];
    fs.listen((e) => {
      if (SEGMENTS(topic).test(e.path) && (e.op === 'writev' || e.op === 'fdatasync')) events.push(`${e.op}:${e.phase}`);
    });
    return events;
  }

  it('default durability (log.flush.interval.messages=1): no produce response before the fdatasync of its bytes returned', async () => {
    const fs = new FaultyFileSystem();
    broker = await startBroker({ fs });
    producer = await connect(broker, { name: 'ordered' });
    const events = recorder(fs, 'ordered');
    const hold = fs.hold({ op: 'fdatasync', path: SEGMENTS('ordered') });
    const acked = producer.send({ topic: 'ordered', acks: -1, messages: [{ value: 'x' }] }).then(() => events.push('produce-response'));
    await hold.reached;
    // The fsync is held: give a response that did not wait for it every chance to arrive.
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toEqual(['writev:start', 'writev:end', 'fdatasync:start']);
    hold.release();
    await acked;
    expect(events).toEqual(['writev:start', 'writev:end', 'fdatasync:start', 'fdatasync:end', 'produce-response']);
  }, 60_000);

  it('log.flush.interval.messages huge: the produce response is sent with no fdatasync of its bytes (fsync left to roll/close)', async () => {
    const fs = new FaultyFileSystem();
    broker = await startBroker({ fs, config: { topicDefaults: { 'flush.messages': '9223372036854775807' } } });
    producer = await connect(broker, { name: 'relaxed' });
    const events = recorder(fs, 'relaxed');
    const hold = fs.hold({ op: 'fdatasync', path: SEGMENTS('relaxed') });
    await producer.send({ topic: 'relaxed', acks: -1, messages: [{ value: 'y' }] });
    events.push('produce-response');
    expect(events).toEqual(['writev:start', 'writev:end', 'produce-response']);
    expect(hold.waiting).toBe(0);
    hold.release();
  }, 60_000);
});
