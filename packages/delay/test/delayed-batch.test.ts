// Reading produced batches (built with @mq/records' real builder) for delay headers: due times,
// mixed batches, the refusals (malformed, negative, too far, both headers, idempotent), and the
// delayed-message codec the store keeps them in.
import { InvalidRecordError } from '@mq/errors';
import { RECORD_BATCH_OVERHEAD, type RecordInput, buildRecordBatch, readBatchHeader } from '@mq/records';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_DELAY_MS, mayCarryDelay, planDelayedBatch } from '../src/index';
import { decodeDelayedMessage, encodeDelayedMessage } from '../src/delayed-message';

const NOW = 1_700_000_000_000;
const h = (key: string, value: string) => ({ key, value: Buffer.from(value) });

async function plan(records: RecordInput[], opts: { producerId?: bigint; defaultDelayMs?: number } = {}) {
  const batch = await buildRecordBatch({ records, now: () => NOW - 10, ...(opts.producerId !== undefined ? { producerId: opts.producerId, producerEpoch: 0, baseSequence: 0 } : {}) });
  return {
    batch,
    plan: () =>
      planDelayedBatch(readBatchHeader(batch), batch.subarray(RECORD_BATCH_OVERHEAD), {
        topic: 't',
        partition: 3,
        now: NOW,
        maxDelayMs: DEFAULT_MAX_DELAY_MS,
        defaultDelayMs: opts.defaultDelayMs ?? 0,
      }),
  };
}

const rec = (value: string, ...headers: { key: string; value: Buffer }[]): RecordInput => ({ key: Buffer.from(`k${value}`), value: Buffer.from(value), headers });

describe('planDelayedBatch', () => {
  it('leaves a batch without delay headers alone (and the cheap scan says so)', async () => {
    const { batch, plan: p } = await plan([rec('a', h('other', '1')), rec('b')]);
    expect(mayCarryDelay(batch)).toBe(false);
    expect(p()).toBeUndefined();
  });

  it('turns mq-delay-ms and mq-deliver-at into due times and drops those headers', async () => {
    const { batch, plan: p } = await plan([rec('a', h('mq-delay-ms', '5000'), h('keep', 'x')), rec('b', h('mq-deliver-at', String(NOW + 60_000))), rec('c', h('mq-deliver-at', '5'))]);
    expect(mayCarryDelay(batch)).toBe(true);
    const out = p()!;
    expect(out.map((m) => m.dueAt)).toEqual([NOW + 5_000, NOW + 60_000, NOW]); // a past deliver-at is due at once
    expect(out[0]).toMatchObject({ topic: 't', partition: 3, timestamp: NOW - 10 });
    expect(out[0]!.headers.map((x) => x.key)).toEqual(['keep']);
    expect(out[1]!.headers).toEqual([]);
  });

  it('holds a mixed batch whole: records without delay headers are due at once', async () => {
    const { plan: p } = await plan([rec('now'), rec('later', h('mq-delay-ms', '100')), rec('now2')]);
    expect(p()!.map((m) => [m.value!.toString(), m.dueAt])).toEqual([
      ['now', NOW],
      ['later', NOW + 100],
      ['now2', NOW],
    ]);
  });

  it('applies the topic default delay to records without headers; mq-delay-ms 0 overrides it', async () => {
    const { plan: p } = await plan([rec('a'), rec('b', h('mq-delay-ms', '0'))], { defaultDelayMs: 30_000 });
    expect(p()!.map((m) => m.dueAt)).toEqual([NOW + 30_000, NOW]);
  });

  it.each([
    ['mq-delay-ms', 'soon', /not a whole number/],
    ['mq-delay-ms', '-5', /negative/],
    ['mq-delay-ms', '1.5', /not a whole number/],
    ['mq-delay-ms', '', /not a whole number/],
    ['mq-delay-ms', String(DEFAULT_MAX_DELAY_MS + 1), /exceeds the longest delay/],
    ['mq-deliver-at', String(NOW + DEFAULT_MAX_DELAY_MS + 1), /ahead of the broker's clock/],
    ['mq-deliver-at', '99999999999999999999', /not a whole number/],
  ])('refuses %s: %j with INVALID_RECORD and a per-record error', async (key, value, message) => {
    const { plan: p } = await plan([rec('fine'), rec('bad', h(key, value))]);
    try {
      p();
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidRecordError);
      expect((err as Error).message).toMatch(message);
      expect((err as InvalidRecordError).recordErrors).toEqual([{ batchIndex: 1, message: expect.stringMatching(message) }]);
    }
  });

  it('refuses both headers on one record, and delayed records from an idempotent producer', async () => {
    const both = await plan([rec('x', h('mq-delay-ms', '1'), h('mq-deliver-at', String(NOW)))]);
    expect(both.plan).toThrow(/one of mq-delay-ms and mq-deliver-at/);
    const idempotent = await plan([rec('x', h('mq-delay-ms', '1'))], { producerId: 7n });
    expect(idempotent.plan).toThrow(/idempotently/);
    const plain = await plan([rec('x')], { producerId: 7n });
    expect(plain.plan()).toBeUndefined();
  });
});

describe('delayed message codec', () => {
  it('round-trips every field, nulls included, and refuses truncated values', () => {
    const m = { topic: 'tøpic', partition: 7, dueAt: NOW + 1, timestamp: NOW, key: null, value: Buffer.from('v'), headers: [h('a', '1'), { key: 'n', value: null }] };
    const buf = encodeDelayedMessage(m);
    expect(decodeDelayedMessage(buf)).toEqual(m);
    expect(() => decodeDelayedMessage(buf.subarray(0, buf.length - 1))).toThrow(/runs past the end/);
    expect(() => decodeDelayedMessage(Buffer.concat([buf, Buffer.from([0])]))).toThrow(/left over/);
  });
});
