// @mq/cli public API: run the `mq` command tree in-process (tests, embedding) or build it.
export { run, buildProgram, DEFAULT_BOOTSTRAP } from './program';
export type { CliIO, GlobalOptions } from './context';
export { render, renderTable, type OutputFormat } from './output';
