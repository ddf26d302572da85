// The JSONL sink on a real temp dir: lines written in order, rotation past maxFileBytes, retention
// by total size and by age (with an injected clock), and a torn last line skipped on read.
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonlSink, type TraceSpan } from '../src/index';

const fs = { mkdir, appendFile, readdir, stat, unlink, readFile };
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

function span(i: number): TraceSpan {
  return { traceId: 'a'.repeat(32), spanId: i.toString(16).padStart(16, '0'), parentSpanId: undefined, name: 'mq.produce', startTimeMs: i, endTimeMs: i, attributes: { i } };
}

describe('JsonlSink', () => {
  it('writes spans as lines, rotates past maxFileBytes and deletes the oldest files past maxTotalBytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trace-sink-'));
    dirs.push(dir);
    let now = 1_000;
    const sink = new JsonlSink({ dir: join(dir, 'traces'), fs, maxFileBytes: 400, maxTotalBytes: 1_000, now: () => now });
    for (let i = 0; i < 40; i++) {
      sink.write(span(i));
      await sink.flush();
      now++;
    }
    const files = (await readdir(join(dir, 'traces'))).sort();
    const sizes = await Promise.all(files.map(async (f) => (await stat(join(dir, 'traces', f))).size));
    expect(files.length).toBeGreaterThan(1);
    expect(sizes.every((s) => s <= 400)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1_000 + 400);
    const back = await sink.readAll();
    expect(back.at(-1)).toEqual(span(39));
    expect(back[0]!.startTimeMs).toBeGreaterThan(0); // the oldest were deleted
    const ids = back.map((s) => s.startTimeMs);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('deletes files older than maxAgeMs at the next rotation and skips a torn last line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trace-sink-'));
    dirs.push(dir);
    let now = Date.now();
    const sink = new JsonlSink({ dir, fs, maxFileBytes: 200, maxAgeMs: 60_000, now: () => now });
    sink.write(span(1));
    await sink.flush();
    const first = (await readdir(dir))[0]!;
    await appendFile(join(dir, first), '{"torn":');
    expect((await sink.readAll()).map((s) => s.startTimeMs)).toEqual([1]);
    now += 120_000; // the first file is now two minutes old (by mtime vs the injected clock)
    for (let i = 2; i < 8; i++) {
      sink.write(span(i));
      await sink.flush();
    }
    expect(await readdir(dir)).not.toContain(first);
  });
});
