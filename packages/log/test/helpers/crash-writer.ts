// Child process for the kill -9 test: appends batches as fast as it can under flush=always and
// prints each acknowledged base offset; the parent SIGKILLs it mid-stream. argv[3] 'preallocate'
// zero-fills the active segment ahead (the kill leaves a zero tail for recovery to find); 'dsync'
// writes through O_DSYNC fds instead of fdatasync (syncWrites).
import { buildRecordBatch } from '@mq/records';
import { Log } from '../../src/index';

const dir = process.argv[2]!;
const mode = process.argv[3];
const log = await Log.open(dir, { flush: 'always', segmentBytes: 64 * 1024, preallocate: mode === 'preallocate', syncWrites: mode === 'dsync' });
let i = 0;
const inFlight = new Set<Promise<void>>();
for (;;) {
  const n = i++;
  const batch = await buildRecordBatch({ records: [{ key: null, value: Buffer.from(`rec-${n}`) }, { key: null, value: Buffer.alloc(200, n & 0xff) }] });
  const p: Promise<void> = log.append(batch).then((r) => {
    process.stdout.write(`${r.baseOffset} ${n}\n`);
    inFlight.delete(p);
  });
  inFlight.add(p);
  if (inFlight.size >= 16) await Promise.race(inFlight);
}
