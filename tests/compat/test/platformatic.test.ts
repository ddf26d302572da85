// Acceptance: @platformatic/kafka 2.12 (on Node 24, in a child process) — admin CreateTopics,
// producer with acks=-1 plain and compressed, consumer-group consumer reading back byte-exact
// keys, values and headers.
import { startBroker } from '@mq/broker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffMessage, makeBinaryMessages, toWire, type WireMessage } from '../src/binary-messages';
import { runNode24Fixture } from '../src/node24-fixture';
import { makeTempDir, removeDir } from '../src/temp-dir';

type Broker = Awaited<ReturnType<typeof startBroker>>;

interface RoundTrip {
  readonly error?: string;
  readonly sends: { topic: string; partition: number; offset: string }[][];
  readonly consumed: ({ partition: number; offset: string } & WireMessage)[];
}

describe('@platformatic/kafka 2.12.1 (Node 24)', () => {
  let broker: Broker;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await makeTempDir('platformatic');
    broker = await startBroker({ dataDir });
  });

  afterAll(async () => {
    await broker?.stop();
    await removeDir(dataDir);
  });

  it.each(['none', 'gzip', 'zstd'] as const)('round-trips byte-exact messages with compression %s', async (compression) => {
    const messages = makeBinaryMessages(40, 7 + compression.length);
    const result = await runNode24Fixture<RoundTrip>('platformatic-roundtrip.mjs', {
      bootstrap: `${broker.host}:${broker.port}`,
      topic: `platformatic-${compression}`,
      groupId: `g-platformatic-${compression}`,
      compression,
      messages: messages.map(toWire),
    });
    expect(result.error).toBeUndefined();
    // The second send's baseOffset proves offsets continue across batches.
    expect(result.sends.map((s) => s.map((o) => o.offset))).toEqual([['0'], [String(messages.length / 2)]]);
    expect(result.consumed.map((c) => c.offset)).toEqual(messages.map((_, i) => String(i)));
    const diffs = result.consumed.map((c, i) => diffMessage(messages[i]!, c)).filter((d) => d !== undefined);
    expect(diffs).toEqual([]);
  });
});
