// Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in BENCHMARKS.md (appending
// the section when absent), so each bench script rewrites only its own figures.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function writeSection(file: string, name: string, body: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${start}\n${body.trim()}\n${end}`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  const next = a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

export function machineLine(): string {
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, 2-core Node ${process.versions.node} VM (Debian bookworm)`;
}
