// Binary-safe produce/consume through the spawned CLI: encodings, null vs empty, tombstones,
// repeated headers, a fixed key, a custom delimiter and one message per file.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';
import { runCli } from './run-cli';

let broker: RunningBroker;
let b: string[];
let dir: string;
beforeAll(async () => {
  broker = await startBroker({ port: 0 });
  b = ['-b', `127.0.0.1:${broker.port}`];
  dir = await mkdtemp(join(tmpdir(), 'mq-cli-bin-'));
});
afterAll(async () => {
  await broker?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const json = (stdout: string): Array<Record<string, unknown>> => stdout.trim().split('\n').map((l) => JSON.parse(l));

describe('binary-safe produce and consume', () => {
  it('round-trips arbitrary bytes: --value-file in, base64 and hex and raw bytes out', async () => {
    await runCli([...b, 'topics', 'create', 'bin', '--partitions', '1']);
    const blobs = [randomBytes(4096), Buffer.from([0, 10, 13, 255, 10]), Buffer.alloc(0)];
    const files = await Promise.all(blobs.map(async (blob, i) => {
      const f = join(dir, `blob${i}`);
      await writeFile(f, blob);
      return f;
    }));
    const p = await runCli([...b, 'produce', 'bin', '--no-progress', '--value-file', ...files]);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const c64 = await runCli([...b, '-o', 'json', 'consume', 'bin', '--offset', ':end', '--value-encoding', 'base64']);
    expect(c64.code).toBe(0);
    expect(json(c64.stdout).map((r) => Buffer.from(r.value as string, 'base64'))).toEqual(blobs);
    const hex = await runCli([...b, 'consume', 'bin', '--offset', '1:2', '--value-encoding', 'hex']);
    expect(hex.stdout).toBe('000a0dff0a\n');
    // utf8 (the default) writes the stored bytes as they are, even when they are not UTF-8.
    const raw = await runCli([...b, 'consume', 'bin', '--offset', ':1', '--format', '{value}']);
    expect(Buffer.from(raw.stdout, 'latin1').length).toBeGreaterThan(0);
  });

  it('hex and base64 input, fixed key, delimiter, repeated headers', async () => {
    await runCli([...b, 'topics', 'create', 'enc', '--partitions', '1']);
    const p = await runCli([...b, 'produce', 'enc', '--value-encoding', 'hex', '-k', 'fixed', '-H', 'h=1', '-H', 'h=2'], { input: '00ff\n68690a\n' });
    expect(p.code).toBe(0);
    const q = await runCli([...b, 'produce', 'enc', '--key-encoding', 'base64', '-K', ':', '-D', '\\0'], { input: Buffer.from('AAE=:line one\nstill one\0a2V5:two\0') });
    expect(q.stderr).toBe('');
    expect(q.code).toBe(0);
    const c = await runCli([...b, '-o', 'json', 'consume', 'enc', '--offset', 'start:end', '--key-encoding', 'hex', '--value-encoding', 'hex']);
    const recs = json(c.stdout);
    expect(recs.map((r) => [r.key, r.value])).toEqual([
      ['6669786564', '00ff'],
      ['6669786564', '68690a'],
      ['0001', Buffer.from('line one\nstill one').toString('hex')],
      ['6b6579', Buffer.from('two').toString('hex')],
    ]);
    expect(recs[0]!.headers).toEqual([
      { key: 'h', value: '1' },
      { key: 'h', value: '2' },
    ]);
  });

  it('null vs empty: -Z makes tombstones and keyless records, JSON shows null apart from ""', async () => {
    await runCli([...b, 'topics', 'create', 'tomb', '--partitions', '1']);
    expect((await runCli([...b, 'produce', 'tomb', '-K', '='], { input: 'k1=\n=v\n' })).code).toBe(0);
    expect((await runCli([...b, 'produce', 'tomb', '-K', '=', '-Z'], { input: 'k1=\n=v\n' })).code).toBe(0);
    const c = await runCli([...b, '-o', 'json', 'consume', 'tomb', '--offset', ':end']);
    expect(json(c.stdout).map((r) => [r.key, r.value])).toEqual([
      ['k1', ''],
      ['', 'v'],
      ['k1', null],
      [null, 'v'],
    ]);
    const t = await runCli([...b, 'consume', 'tomb', '--offset', '2:end', '--format', '{key}|{value}', '--null-text', 'NULL']);
    expect(t.stdout).toBe('k1|NULL\nNULL|v\n');
  });

  it('json encoding checks input and prints the value as JSON', async () => {
    await runCli([...b, 'topics', 'create', 'js', '--partitions', '1']);
    const bad = await runCli([...b, 'produce', 'js', '--value-encoding', 'json'], { input: '{"a":1}\n{oops\n' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/input record 2: the value is not valid JSON/);
    expect(bad.stderr).toMatch(/1 message\(s\) acknowledged .*--skip-lines 1/);
    const ok = await runCli([...b, 'produce', 'js', '--value-encoding', 'json', '--skip-lines', '1'], { input: '{"a":1}\n{"b":[2]}\n' });
    expect(ok.code).toBe(0);
    const c = await runCli([...b, '-o', 'json', 'consume', 'js', '--offset', ':end', '--value-encoding', 'json']);
    expect(json(c.stdout).map((r) => r.value)).toEqual([{ a: 1 }, { b: [2] }]);
  });
});
