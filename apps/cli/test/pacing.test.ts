// Line splitting, rate limiting and progress output of `mq produce`.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from '../src/line-reader';
import { ProgressReporter } from '../src/progress';
import { RateLimiter } from '../src/rate-limiter';

async function collect(chunks: string[]): Promise<string[]> {
  const out: string[] = [];
  for await (const c of readLines(Readable.from(chunks.map((s) => Buffer.from(s))), 2)) out.push(...c.lines);
  return out;
}

describe('readLines', () => {
  it('splits across chunk boundaries, drops \\r, keeps a last line without newline', async () => {
    expect(await collect(['a\r\nb', 'c\n\nd', 'é\n', 'tail'])).toEqual(['a', 'bc', '', 'dé', 'tail']);
  });

  it('does not split a multi-byte character cut by a chunk boundary', async () => {
    const bytes = Buffer.from('é\n');
    const out: string[] = [];
    for await (const c of readLines(Readable.from([bytes.subarray(0, 1), bytes.subarray(1)]))) out.push(...c.lines);
    expect(out).toEqual(['é']);
  });
});

describe('RateLimiter', () => {
  it('never lets more than rate × elapsed (+1) through', async () => {
    let now = 0;
    const limiter = new RateLimiter(10, () => now, async (ms) => void (now += ms));
    let sent = 0;
    while (sent < 25) sent += await limiter.take(25 - sent);
    // Message i is due at i/10 s: the 25th (i = 24) at 2.4 s.
    expect(now).toBe(2400);
  });
});

describe('ProgressReporter', () => {
  it('writes plain lines when not a TTY, throttled', () => {
    const lines: string[] = [];
    let now = 0;
    const p = new ProgressReporter({ write: (s) => (lines.push(s), true), isTTY: false }, 1000, 1000, () => now);
    p.update(100, 10);
    now = 500;
    p.update(200, 20);
    now = 1500;
    p.update(500, 50);
    p.done(1000, 100);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^progress: +10\.0% 10 msgs 100B\/1000B/);
    expect(lines[2]).toMatch(/100\.0% 100 msgs/);
  });

  it('redraws one line with a bar on a TTY', () => {
    let out = '';
    const p = new ProgressReporter({ write: (s) => ((out += s), true), isTTY: true, columns: 80 }, 100, 1000, () => 0);
    p.done(50, 5);
    expect(out).toMatch(/^\r\[#+\.+\] +50\.0% 5 msgs/);
    expect(out.endsWith('\n')).toBe(true);
  });
});
