// The installed package's version, so `mq --version` says what npm installed: package.json sits
// one level above both src/ (tsx in tests) and dist/ (the bin).
import { readFileSync } from 'node:fs';

export function cliVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
