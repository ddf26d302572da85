// A broker process a test starts, kills and starts again on the same data dir: a fresh data dir and
// config file per test, and every process it started killed and both dirs removed after it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { BrokerProcess } from './broker-process';
import { makeTempDir, removeDir } from './temp-dir';

export interface RestartingBroker {
  /** The broker's data dir (valid inside a test). */
  readonly dataDir: string;
  /** Scratch space for the test's own files (valid inside a test). */
  readonly workDir: string;
  /** Starts a broker process on the data dir with the config. */
  start(): Promise<BrokerProcess>;
}

/** Registers the per-test setup and teardown; call inside a `describe`. */
export function restartingBrokerPerTest(name: string, config: Record<string, unknown>): RestartingBroker {
  const brokers: BrokerProcess[] = [];
  let configFile = '';
  const dirs = { dataDir: '', workDir: '' };
  beforeEach(async () => {
    dirs.dataDir = await makeTempDir(`${name}-data`);
    dirs.workDir = await makeTempDir(`${name}-work`);
    configFile = join(dirs.workDir, 'broker.json');
    await writeFile(configFile, JSON.stringify(config));
  });
  afterEach(async () => {
    for (const b of brokers.splice(0)) await b.kill();
    await removeDir(dirs.dataDir);
    await removeDir(dirs.workDir);
  });
  return {
    get dataDir() {
      return dirs.dataDir;
    },
    get workDir() {
      return dirs.workDir;
    },
    async start() {
      const b = await BrokerProcess.start({ dataDir: dirs.dataDir, configFile });
      brokers.push(b);
      return b;
    },
  };
}
