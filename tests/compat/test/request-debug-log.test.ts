// Acceptance: with log.level=debug the broker logs every request by API and client id, and every
// answer that carries an error — also the per-topic / per-partition errors most APIs report, which
// a top-level errorCode never shows — naming the client that got it. kafkajs makes the requests:
// CreateTopics of a topic that exists (TOPIC_ALREADY_EXISTS per topic) and a Metadata request.
import { Writable } from 'node:stream';
import pino from 'pino';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '@mq/broker';
import { describe, expect, it } from 'vitest';

describe('debug request log', () => {
  it('names the client and counts the per-topic errors of an answer', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    await using broker = await startBroker({ port: 0, logger: pino({ level: 'debug' }, sink) });
    const kafka = new Kafka({ clientId: 'debug-log-client', brokers: [`${broker.host}:${broker.port}`], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'dbg-a', numPartitions: 1 }, { topic: 'dbg-b', numPartitions: 1 }] })).toBe(true);
      // kafkajs answers false for topics that exist: the broker said TOPIC_ALREADY_EXISTS for each.
      expect(await admin.createTopics({ topics: [{ topic: 'dbg-a', numPartitions: 1 }, { topic: 'dbg-b', numPartitions: 1 }] })).toBe(false);
    } finally {
      await admin.disconnect();
    }
    const creates = lines.filter((l) => l.api === 'CreateTopics' && l.clientId === 'debug-log-client');
    expect(creates.filter((l) => l.msg === 'request')).toHaveLength(2);
    const answered = creates.filter((l) => l.msg === 'request answered with an error');
    expect(answered).toHaveLength(1);
    expect(answered[0]).toMatchObject({ level: 20, errors: { TOPIC_ALREADY_EXISTS: 2 } });
    expect(answered[0]!.error).toBeUndefined(); // no top-level error: the errors are per topic
    // A clean answer logs the request only.
    expect(lines.some((l) => l.api === 'Metadata' && l.clientId === 'debug-log-client' && l.msg === 'request')).toBe(true);
    expect(lines.some((l) => l.api === 'Metadata' && l.msg === 'request answered with an error')).toBe(false);
  });
});
