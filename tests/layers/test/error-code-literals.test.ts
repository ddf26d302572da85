// No Kafka error code spelled as a number outside the one table (packages/errors/src/error-table.ts):
// every src/ file of packages/* and apps/* is scanned, comments stripped, for the few shapes an
// error-code literal takes. Narrow on purpose: it names the field or function, so ports, exit
// codes, versions and sizes never match. Tests are not scanned — their numbers are the wire contract.
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allErrors } from '@mq/errors';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TABLE_FILE = 'packages/errors/src/error-table.ts';

const NUM = String.raw`-?\d+\b`;
const NAMES = allErrors.map((e) => e.name).join('|');
/** Each shape, with what it catches; `guard`: only in files whose text matches it. */
export const LITERAL_RULES: readonly { name: string; re: RegExp; guard?: RegExp }[] = [
  // `errorCode === 3`, `res.errorCode !== 0`, `topLevelErrorCode = -1`, `errorCode ?? 0`.
  { name: 'errorCode comparison', re: new RegExp(String.raw`\w*[eE]rrorCode\s*(?:===?|!==?|\?\?|=(?!=))\s*${NUM}`) },
  // `{ errorCode: 0 }`, `readonly errorCode = 2` is the rule above (a ternary's `x.errorCode : 500` is not a key).
  { name: 'errorCode key', re: new RegExp(String.raw`(?<![.\w])\w*[eE]rrorCode\s*:\s*${NUM}`) },
  // `code === 0`, `code !== -1` on a variable holding a Kafka code (`exitCode` does not match).
  { name: 'code comparison', re: new RegExp(String.raw`\bcode\s*(?:===?|!==?)\s*${NUM}`) },
  // `readonly code = 87` (the pre-table class style).
  { name: 'code class field', re: new RegExp(String.raw`\breadonly\s+code\s*=\s*${NUM}`) },
  // `new KafkaError(3, ...)`, `new CoordinatorError(25, ...)`, `new CoordinatorWriteError(16, ...)`.
  { name: 'error constructor', re: new RegExp(String.raw`\bnew\s+(?:Kafka|Coordinator)\w*Error\(\s*${NUM}\s*[,)]`) },
  // `super(56, ...)` in a direct KafkaError subclass (an HttpError's `super(404)` is HTTP).
  { name: 'error super call', re: new RegExp(String.raw`\bsuper\(\s*${NUM}\s*[,)]`), guard: /\bextends\s+KafkaError\b/ },
  // `errorName(6)`, `errorInfo(42)`, `isRetriable(7)`, `throwIfError(0, ...)`.
  { name: 'table lookup', re: new RegExp(String.raw`\b(?:errorName|errorInfo|isRetriable|throwIfError)\(\s*${NUM}`) },
  // `const INVALID_RECORD = 87`, `{ NOT_COORDINATOR: 16 }`: a table name bound to a number.
  { name: 'table name bound to a number', re: new RegExp(String.raw`\b(?:${NAMES})\s*[:=]\s*${NUM}`) },
  // `[87, 'INVALID_RECORD', ...]`, `[87, "INVALID_RECORD"]`: a row of a second table.
  { name: 'table row', re: new RegExp(String.raw`\[\s*${NUM}\s*,\s*['"](?:${NAMES})['"]`) },
];

/** Source with comments blanked (line numbers kept), so prose like "CORRUPT_MESSAGE (2)" is fine. */
export function stripComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** `path:line: rule: text` for every error-code literal in `text`. */
export function literalFindings(path: string, text: string): string[] {
  const out: string[] = [];
  const code = stripComments(text);
  const rules = LITERAL_RULES.filter((r) => r.guard === undefined || r.guard.test(code));
  code.split('\n').forEach((line, i) => {
    for (const rule of rules) {
      if (rule.re.test(line)) out.push(`${path}:${i + 1}: ${rule.name}: ${line.trim()}`);
    }
  });
  return out;
}

function srcFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : srcFiles(full);
    return /\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

describe('error-code literals', () => {
  it('appear nowhere in packages/*/src and apps/*/src but the one table', () => {
    const files = ['packages', 'apps'].flatMap((parent) =>
      readdirSync(join(REPO, parent)).flatMap((name) => srcFiles(join(REPO, parent, name, 'src'))),
    );
    expect(files.length).toBeGreaterThan(100);
    const findings = files.flatMap((f) => {
      const path = relative(REPO, f).split(sep).join('/');
      return path === TABLE_FILE ? [] : literalFindings(path, readFileSync(f, 'utf8'));
    });
    expect(findings).toEqual([]);
    // The table itself is where the numbers are: the scan would flag it, so the exclusion is real.
    expect(literalFindings(TABLE_FILE, readFileSync(join(REPO, TABLE_FILE), 'utf8')).length).toBeGreaterThan(0);
  });

  it('one class per code: only @mq/errors gives a class a fixed code (`super(ErrorCode.X, ...)`)', () => {
    // A class fixed to one code anywhere else is a second class for that code; extend @mq/errors'
    // class for the code instead (a refinement keeps `instanceof` by code and the table's retriable).
    const fixed = /\bsuper\(\s*ErrorCode\.\w+/;
    const offenders = ['packages', 'apps'].flatMap((parent) =>
      readdirSync(join(REPO, parent)).flatMap((name) =>
        name === 'errors' && parent === 'packages'
          ? []
          : srcFiles(join(REPO, parent, name, 'src')).flatMap((f) =>
              stripComments(readFileSync(f, 'utf8'))
                .split('\n')
                .flatMap((line, i) => (fixed.test(line) ? [`${relative(REPO, f).split(sep).join('/')}:${i + 1}: ${line.trim()}`] : [])),
            ),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('flags each shape an error-code literal takes', () => {
    const bad = [
      'const INVALID_RECORD = 87;',
      'return { partitionIndex: 0, errorCode: 0, baseOffset: -1n };',
      'if (res.errorCode !== 0) throw x;',
      'let topLevelErrorCode = -1;',
      'const c = p.errorCode ?? 0;',
      'if (code === -1) log();',
      '  readonly code = 56;',
      'throw new KafkaError(3, "gone");',
      'throw new CoordinatorError(25, `unknown member`);',
      'class X extends KafkaError {\n  constructor(m: string) {\n    super(2, m);\n  }\n}',
      "const n = errorName(6);",
      'throwIfError(0, "x");',
      'const table = { NOT_COORDINATOR: 16 };',
      "  [16, 'NOT_COORDINATOR', true, 'This is not the correct coordinator.'],",
    ];
    for (const line of bad) expect(literalFindings('x.ts', line), line).toHaveLength(1);
  });

  it('leaves alone codes by name, comments, and numbers that are not error codes', () => {
    const good = [
      'if (res.errorCode !== ErrorCode.NONE) throw x;',
      'return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partitionIndex: 0 };',
      '/** CORRUPT_MESSAGE (2): bad CRC; INVALID_RECORD = 87 in Kafka. */',
      '// errorCode: 0 means NONE',
      'process.exitCode = 1;',
      'return { code: 2, message: "error: usage" };',
      "if (err.code === 'ENOENT') return;",
      'const MAX_EPOCH = 32767;',
      'readonly errorCode: number;',
      'super(message, options);',
      'const url = "http://127.0.0.1:9092"; // port',
      'switch (version) { case 3: break; }',
      "throw new HttpError(404, 'no route');",
      'const body = { error_code: known ? err.errorCode : 500 };',
      'class HttpError extends Error {\n  constructor(m: string) {\n    super(404, m);\n  }\n}',
      'const NONE_SELECTED = 0;',
    ];
    for (const line of good) expect(literalFindings('x.ts', line), line).toEqual([]);
  });
});
