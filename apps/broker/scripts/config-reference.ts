// Rewrites the generated config reference in apps/broker/README.md from the config table.
import { readFileSync, writeFileSync } from 'node:fs';
import { withReference } from '../src/config-reference';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withReference(before);
writeFileSync(path, after);
process.stderr.write(before === after ? 'config reference: unchanged\n' : 'config reference: README.md updated\n');
