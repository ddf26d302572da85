// README doc tests: every ```ts block of every README (root, packages/*, apps/*) is type-checked
// against the workspace packages' sources, and the runnable ones run (tsx, a fresh temp cwd) with
// `127.0.0.1:9092` pointed at a startBroker() on a free port. Convention (root README, Development):
// a block is runnable unless the line before it is an html comment `<!-- typecheck-only: why ... -->`;
// the comment's lines after its first are TypeScript prepended when type-checking (the fragment's
// free names, e.g. `declare const socket: import('node:net').Socket;`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '@mq/broker';

const HERE = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(HERE, '..', '..');
const require = createRequire(import.meta.url);

interface Block {
  readme: string; // repo-relative path
  line: number; // line of the opening fence
  code: string;
  runnable: boolean;
  preamble: string;
}

function readmes(): string[] {
  const out = ['README.md'];
  for (const parent of ['packages', 'apps']) {
    for (const name of readdirSync(join(REPO, parent)).sort()) {
      if (existsSync(join(REPO, parent, name, 'README.md'))) out.push(`${parent}/${name}/README.md`);
    }
  }
  return out;
}

function extractBlocks(readme: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    // The html comment that ends on the last non-blank line before the fence, if any.
    let j = start - 1;
    while (j >= 0 && lines[j]!.trim() === '') j--;
    let comment = '';
    if (j >= 0 && lines[j]!.trimEnd().endsWith('-->')) {
      let k = j;
      while (k >= 0 && !lines[k]!.includes('<!--')) k--;
      if (k >= 0) comment = lines.slice(k, j + 1).join('\n');
    }
    // First line: `<!-- typecheck-only: why -->` prose; the lines after it (if any): the preamble.
    const m = /<!--\s*typecheck-only\b[^\n]*\n?([\s\S]*?)-->/.exec(comment);
    blocks.push({ readme, line: start + 1, code: body.join('\n'), runnable: m === null, preamble: m?.[1]?.trim() ?? '' });
  }
  return blocks;
}

const BLOCKS = readmes().flatMap((r) => extractBlocks(r, readFileSync(join(REPO, r), 'utf8')));
const fileName = (b: Block): string => `${b.readme.replace(/[/.]/g, '_')}_L${b.line}.ts`;

function runNode(args: string[], cwd: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stderr }));
  });
}

let gen: string;
let broker: RunningBroker;

beforeAll(async () => {
  // Inside the workspace so `@mq/*` resolve to their sources (the @mq/source condition).
  gen = mkdtempSync(join(HERE, '.readme-blocks-'));
  writeFileSync(join(gen, 'tsconfig.json'), JSON.stringify({ extends: '../../../tooling/typescript/base.json', include: ['*.ts'] }));
  broker = await startBroker();
});

afterAll(async () => {
  await broker?.stop();
  if (gen !== undefined) rmSync(gen, { recursive: true, force: true });
});

describe('README TypeScript blocks', () => {
  it('finds the blocks, runnable and typecheck-only', () => {
    expect(BLOCKS.filter((b) => b.runnable).length).toBeGreaterThan(3);
    expect(BLOCKS.some((b) => !b.runnable)).toBe(true);
  });

  it('every block type-checks against the workspace packages', () => {
    for (const b of BLOCKS) writeFileSync(join(gen, fileName(b)), `${b.preamble}\n${b.code}\nexport {};\n`);
    const tsc = require.resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(gen, 'tsconfig.json')], { encoding: 'utf8', timeout: 180_000 });
    // tsc names the generated file: <readme path with _>_L<fence line>.ts(line,col) — the block's line + 1 + preamble lines.
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  const runnable = BLOCKS.filter((b) => b.runnable);
  it.each(runnable.map((b) => [`${b.readme}:${b.line}`, b] as const))('%s runs against startBroker()', async (_name, b) => {
    const file = join(gen, `run_${fileName(b)}`);
    writeFileSync(file, `${b.code.replaceAll('127.0.0.1:9092', `${broker.host}:${broker.port}`)}\nexport {};\n`);
    const cwd = mkdtempSync(join(tmpdir(), 'mq-readme-run-'));
    try {
      // Asynchronous: the broker lives in this process, so blocking it on spawnSync would hang the block.
      const r = await runNode(['--conditions=@mq/source', '--import', require.resolve('tsx'), file], cwd);
      expect(r.stderr, `${b.readme}:${b.line} (cwd ${relative(REPO, cwd)})`).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
