// Shared tsup preset: ESM + .d.ts, one bundle per entry, workspace and npm deps left external.
import { defineConfig } from 'tsup';

export function preset(entry: string[] = ['src/index.ts']) {
  return defineConfig({
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
  });
}
