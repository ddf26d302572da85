// The config reference in README.md is what the table generates: a key added to any component's
// definitions without regenerating fails here (fix: pnpm --filter @mq/broker config-reference).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configReference, withReference } from '../src/config-reference';
import { CONFIG_TABLE, TOPIC_CONFIG_TABLE } from '../src/config-table';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('config reference', () => {
  it('README.md holds the generated reference unchanged', () => {
    expect(withReference(README)).toBe(README);
  });

  it('lists every key of the table once, with its env var', () => {
    const text = configReference();
    const [brokerPart, topicPart] = text.split('### Topic configs');
    for (const r of CONFIG_TABLE) {
      expect(brokerPart!.split('\n').filter((l) => l.startsWith(`| \`${r.def.name}\` |`)), r.def.name).toHaveLength(1);
      expect(text).toContain(`\`${r.env}\``);
    }
    for (const d of TOPIC_CONFIG_TABLE) expect(topicPart).toContain(`| \`${d.name}\` |`);
  });
});
