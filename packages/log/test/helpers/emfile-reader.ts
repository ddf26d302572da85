// Child process for the EMFILE test, run under `prlimit --nofile=N`: takes every descriptor the limit
// leaves, then reads a segment whose fd the LRU had closed. Prints one JSON line with what happened.
import { closeSync, openSync } from 'node:fs';
import { Log } from '../../src/index';
import { CaptureLogger } from './capture-logger';

const dir = process.argv[2]!;
const logger = new CaptureLogger();
const log = await Log.open(dir, { maxOpenSegments: 1 }, { logger });
const fillers: number[] = [];
for (;;) {
  try {
    fillers.push(openSync('/dev/null', 'r'));
  } catch {
    break;
  }
}
const failed = await log.read(0n, 1000).then(
  () => null,
  (err: unknown) => ({ name: (err as Error).name, errorCode: (err as { errorCode?: unknown }).errorCode, message: (err as Error).message }),
);
for (const fd of fillers) closeSync(fd);
const after = await log.read(0n, 1000).then((b) => b.length);
await log.close();
process.stdout.write(`${JSON.stringify({ fillers: fillers.length, failed, after, lines: logger.lines })}\n`);
