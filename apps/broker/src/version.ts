// The installed package's version: package.json sits one level above both src/ and dist/.
import { readFileSync } from 'node:fs';

export function brokerVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
