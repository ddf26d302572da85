// traceparent parsing per W3C Trace Context: valid v00, future versions, and every invalid form.
import { describe, expect, it } from 'vitest';
import { Sampler, formatTraceparent, parseSamplingPolicy, parseTraceparent } from '../src/index';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it('reads a v00 header, sampled or not, from a string or the header bytes', () => {
    expect(parseTraceparent(`00-${T}-${S}-01`)).toEqual({ traceId: T, spanId: S, sampled: true });
    expect(parseTraceparent(Buffer.from(`00-${T}-${S}-00`))).toEqual({ traceId: T, spanId: S, sampled: false });
    expect(parseTraceparent(`00-${T}-${S}-03`)?.sampled).toBe(true);
    expect(formatTraceparent({ traceId: T, spanId: S, sampled: true })).toBe(`00-${T}-${S}-01`);
  });

  it('reads the first four fields of a future version and ignores the rest', () => {
    expect(parseTraceparent(`cc-${T}-${S}-01-what-the-future-will-be-like`)).toEqual({ traceId: T, spanId: S, sampled: true });
  });

  it('refuses malformed values', () => {
    for (const bad of [
      undefined,
      null,
      '',
      `00-${T}-${S}-01-extra`, // v00 has exactly four fields
      `ff-${T}-${S}-01`, // version ff is invalid
      `00-${'0'.repeat(32)}-${S}-01`, // all-zero trace id
      `00-${T}-${'0'.repeat(16)}-01`, // all-zero parent id
      `00-${T.toUpperCase()}-${S}-01`, // uppercase hex
      `00-${T.slice(1)}-${S}-01`,
      `00-${T}-${S}-1`,
      'not a traceparent at all, but long enough to pass the length check........',
    ]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
  });
});

describe('sampling', () => {
  it('parses always / off / a ratio and refuses anything else', () => {
    expect(parseSamplingPolicy('always')).toEqual({ kind: 'always' });
    expect(parseSamplingPolicy('off')).toEqual({ kind: 'off' });
    expect(parseSamplingPolicy('0.01')).toEqual({ kind: 'ratio', ratio: 0.01 });
    expect(parseSamplingPolicy('1')).toEqual({ kind: 'always' });
    // 0 starts no trace but still honours a producer's sampled traceparent (ParentBased(ratio 0)); off honours nothing.
    expect(parseSamplingPolicy('0')).toEqual({ kind: 'ratio', ratio: 0 });
    const parentOnly = new Sampler(parseSamplingPolicy('0'));
    expect([parentOnly.sampleNew(), parentOnly.honours(true), parentOnly.honours(false)]).toEqual([false, true, false]);
    for (const bad of ['', 'sometimes', '1.5', '-0.1', 'NaN']) expect(() => parseSamplingPolicy(bad)).toThrow(/trace sampling/);
  });

  it('samples new traces by ratio and follows a producer\'s sampled flag; off ignores headers', () => {
    const draws = [0.005, 0.5, 0.0099, 0.01];
    const s = new Sampler({ kind: 'ratio', ratio: 0.01 }, () => draws.shift()!);
    expect([s.sampleNew(), s.sampleNew(), s.sampleNew(), s.sampleNew()]).toEqual([true, false, true, false]);
    expect(s.honours(true)).toBe(true);
    expect(s.honours(false)).toBe(false);
    const off = new Sampler({ kind: 'off' });
    expect(off.sampleNew()).toBe(false);
    expect(off.honours(true)).toBe(false);
    expect(new Sampler({ kind: 'always' }).sampleNew()).toBe(true);
  });
});
