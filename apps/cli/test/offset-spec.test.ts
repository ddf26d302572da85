// The offset-spec grammar on its own (the spawned-CLI tests cover each form end to end).
import { describe, expect, it } from 'vitest';
import { parseOffsetSpec, parseTime } from '../src/offset-spec';

const now = (): number => 1_700_000_000_000;

describe('parseOffsetSpec', () => {
  it('reads every rpk form', () => {
    expect(parseOffsetSpec('start')).toEqual({ start: { kind: 'start' } });
    expect(parseOffsetSpec('newest')).toEqual({ start: { kind: 'end' } });
    expect(parseOffsetSpec('42')).toEqual({ start: { kind: 'exact', offset: 42n } });
    expect(parseOffsetSpec('+3')).toEqual({ start: { kind: 'afterStart', n: 3n } });
    expect(parseOffsetSpec('-3')).toEqual({ start: { kind: 'beforeEnd', n: 3n } });
    expect(parseOffsetSpec(':end')).toEqual({ start: { kind: 'start' }, stop: { kind: 'end' } });
    expect(parseOffsetSpec('5:9')).toEqual({ start: { kind: 'exact', offset: 5n }, stop: { kind: 'offset', offset: 9n } });
    expect(parseOffsetSpec('5:')).toEqual({ start: { kind: 'exact', offset: 5n } });
    expect(parseOffsetSpec('@-1h', now)).toEqual({ start: { kind: 'timestamp', ms: 1_700_000_000_000n - 3_600_000n } });
    expect(parseOffsetSpec('@:1700000000', now)).toEqual({ start: { kind: 'start' }, stop: { kind: 'timestamp', ms: 1_700_000_000_000n } });
    expect(parseOffsetSpec('@2023-11-14T22:13:20Z:+1m', now)).toEqual({
      start: { kind: 'timestamp', ms: 1_700_000_000_000n },
      stop: { kind: 'timestamp', ms: 1_700_000_060_000n },
    });
    expect(parseOffsetSpec('@1700000000000:end')).toEqual({ start: { kind: 'timestamp', ms: 1_700_000_000_000n }, stop: { kind: 'end' } });
  });

  it('refuses what it cannot read, with the forms in the message', () => {
    for (const bad of ['', 'soon', '1:2:3', '+x', '@', '@tomorrow', '3:later', '@1:oops']) {
      expect(() => parseOffsetSpec(bad), bad).toThrow(/is not an offset spec \(start, end, N/);
    }
  });

  it('reads epoch seconds, ms, µs and ns by digit count', () => {
    expect(parseTime('1700000000')).toBe(1_700_000_000_000n);
    expect(parseTime('1700000000000')).toBe(1_700_000_000_000n);
    expect(parseTime('1700000000000000')).toBe(1_700_000_000_000n);
    expect(parseTime('1700000000000000000')).toBe(1_700_000_000_000n);
    expect(parseTime('June')).toBeUndefined();
  });
});
