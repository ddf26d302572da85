// --format and --null-text shape table output only: -o json / yaml print every field (null as
// null). Given together, one of them would be ignored without a word — refuse instead.
import type { Command } from 'commander';
import { UsageError } from './cli-error';
import type { OutputFormat } from './output';

export function checkTemplateOutput(cmd: Command, output: OutputFormat): void {
  if (output === 'table') return;
  for (const flag of ['format', 'nullText'] as const) {
    if (cmd.getOptionValueSource(flag) === 'cli') {
      const name = flag === 'format' ? '--format' : '--null-text';
      throw new UsageError(`${name} shapes the default output; -o ${output} prints every field of each record (drop ${name}, or -o)`);
    }
  }
}
